package dev.faultline.fault;

/**
 * When {@code rollback { }} blocks run. Faults are reverted when their scope ends whatever the
 * strategy: only the REPL keeps faults injected at its prompt until they are reverted.
 * Rationale: the promise is that no fault is left behind; a strategy may skip undo work the user
 * wrote, never the reverts Faultline owes.
 */
public enum RollbackStrategy {
  /** Rollback blocks run whenever their scope ends (the default). */
  ALWAYS,
  /** Rollback blocks run only when their scope failed or was aborted. */
  ON_FAILURE,
  /** Rollback blocks never run (the REPL's choice for its top level). */
  NEVER;

  /**
   * Whether a scope's {@code rollback { }} blocks run when it ends; {@code failed} is true when the
   * scope failed, was aborted or interrupted, or one of its faults could not be reverted.
   *
   * @param failed whether the scope failed
   * @return whether its rollback blocks run
   */
  public boolean runsRollbacks(boolean failed) {
    return this == ALWAYS || this == ON_FAILURE && failed;
  }

  /** {@return the word {@code --rollback} and {@code rollback_strategy} take}: {@code on-failure} */
  public String word() {
    return name().toLowerCase().replace('_', '-');
  }

  /**
   * Reads a strategy as {@code --rollback} takes it.
   *
   * @param word {@code always}, {@code on-failure} (or {@code on_failure}), {@code never}
   * @return the strategy
   * @throws IllegalArgumentException for another word, naming the known ones
   */
  public static RollbackStrategy parse(String word) {
    for (RollbackStrategy s : values()) {
      if (s.word().equals(word) || s.name().equalsIgnoreCase(word)) return s;
    }
    throw new IllegalArgumentException("unknown rollback strategy '" + word + "'; use always, on-failure or never");
  }
}
