package dev.faultline.host;

/**
 * What calling a host function does to the world, which decides what a dry run may call.
 * Rationale: a dry run must touch nothing, so anything not marked as only reading is planned, not run.
 */
public enum Effect {
  /** Computes from its arguments only ({@code len}, {@code str}): always runs, dry run included. */
  PURE,
  /** Reads the world (an HTTP probe, a query): runs in a dry run only with {@code --dry-run=probes}. */
  PROBE,
  /** Changes or starts something (a service, a proxy, a file): never runs in a dry run. */
  ACTION
}
