package dev.faultline.run;

/** How much of the world a dry run may touch. */
public enum DryRun {
  /** A real run. */
  OFF,
  /** Nothing is injected or started; injectors print their plan. Pure functions run. */
  PLAN,
  /** Like {@link #PLAN}, and probes that only read (HTTP, TCP, queries) run too. */
  PROBES;

  /** {@return how report.json and the command line write it}: {@code plan}, {@code probes}, {@code off} */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
