package dev.faultline.fault;

import dev.faultline.host.CallContext;

/**
 * Something injected that must be undone. An injector method returns one without touching
 * anything; the lifecycle then injects it, registers it on the rollback stack of the enclosing
 * scope and reverts it, LIFO, when that scope ends, fails or aborts.
 *
 * <p>Contract: {@link #inject} and {@link #revert} must both be safe to run twice, and
 * {@link #revert} must work on a fault whose {@code inject} failed half-way.
 */
public interface Fault {
  /** What this fault does, for output and reports: "latency 500ms on link db". */
  String describe();

  /** What it acts on: a link, a file, a process. */
  default String target() {
    return "";
  }

  /** A short kind for metrics and reports: "latency", "file.replace". */
  default String kind() {
    return getClass().getSimpleName();
  }

  /** What a dry run prints instead of injecting. */
  default String plan() {
    return describe();
  }

  void inject(CallContext context) throws Exception;

  void revert(CallContext context) throws Exception;
}
