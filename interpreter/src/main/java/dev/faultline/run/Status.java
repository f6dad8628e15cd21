package dev.faultline.run;

/** The outcome of a step or a scenario. */
public enum Status {
  PASSED, FAILED, SKIPPED, ABORTED;

  public String word() {
    return name().toLowerCase();
  }
}
