package dev.faultline.measure;

import java.util.Optional;

/**
 * A steady-state hypothesis that the run checks around each scenario: before its faults and again
 * after its rollback ("did we really recover?"). Checked on the evaluating thread only.
 */
public interface SteadyState {
  /** The hypothesis' name, for messages. */
  String name();

  /**
   * Samples the system now and compares it with the baseline. Returns why the steady state does
   * not hold (figure, value, baseline, tolerance), or empty when it holds. {@code when} says which
   * check this is, e.g. {@code after the rollback of scenario "db.down"}, for the report.
   */
  Optional<String> check(String when);
}
