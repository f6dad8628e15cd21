package dev.faultline.run;

/** The documented exit codes of {@code faultline run}; docs/cli.md lists the same table. */
public final class ExitCode {
  private ExitCode() {}

  /** Every selected scenario passed. */
  public static final int PASSED = 0;
  /** A scenario failed (an expect, an await, an error in a step). */
  public static final int FAILED = 1;
  /** Bad input: usage, parse or check error; nothing was run. */
  public static final int BAD_INPUT = 2;
  /** Aborted: {@code abort}, a guard breach, a signal. */
  public static final int ABORTED = 3;
  /** A revert failed: faults may remain. */
  public static final int REVERT_FAILED = 4;
}
