package dev.faultline.report;

/**
 * Told about every {@link Event} of a run as it happens, on the thread that caused it (the
 * evaluating thread, a timer, a guard). Reports, metrics, the progress line and the REPL are
 * listeners; none is a special case inside the evaluator. Implementations must be thread-safe
 * and must not throw.
 */
@FunctionalInterface
public interface RunListener {
  /**
   * Hears one event. Rationale for the rules above: events come from several threads at once, and
   * a listener that throws is ignored by the run, which must go on reverting faults whatever a
   * report or a dashboard does; a slow listener slows the run, since reverts wait for it.
   *
   * @param event what happened; immutable
   */
  void on(Event event);
}
