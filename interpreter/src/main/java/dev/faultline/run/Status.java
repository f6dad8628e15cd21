package dev.faultline.run;

/** The outcome of a step or a scenario. */
public enum Status {
  /** Everything held (in a dry run: planned without error). */
  PASSED,
  /** An expectation did not hold, an await or a timeout expired, or a statement failed. */
  FAILED,
  /** Not run: an earlier step failed, the run was aborted, or it was not reached. */
  SKIPPED,
  /** Stopped by {@code abort}, a guard breach, a limit, or a signal. */
  ABORTED;

  /** {@return the status as reports write it}: {@code passed}, {@code failed} */
  public String word() {
    return name().toLowerCase();
  }
}
