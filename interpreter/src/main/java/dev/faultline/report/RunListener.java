package dev.faultline.report;

/**
 * Told about every {@link Event} of a run as it happens, on the thread that caused it (the
 * evaluating thread, a timer, a guard). Reports, metrics, the progress line and the REPL are
 * listeners; none is a special case inside the evaluator. Implementations must be thread-safe
 * and must not throw.
 */
@FunctionalInterface
public interface RunListener {
  void on(Event event);
}
