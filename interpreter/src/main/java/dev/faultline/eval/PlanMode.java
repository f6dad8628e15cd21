package dev.faultline.eval;

import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.Fault;
import dev.faultline.source.Position;

/**
 * What the {@link Evaluator} asks of a dry run ({@code --dry-run}), given by the
 * {@link RunContext}; a real run has none. In a dry run the evaluator runs the playbook statement by
 * statement, but: injectors are planned, not injected; ACTION host functions are not called, and
 * PROBE ones run only when {@link #runsProbes()}, each leaving a {@link Planned} placeholder;
 * {@code wait}, {@code await} and {@code measure} do not wait; {@code expect} and {@code abort} are
 * listed, never judged or raised. What it did not do is told through {@link #list}.
 */
public interface PlanMode {
  /** Whether host functions marked PROBE run ({@code --dry-run=probes}). */
  boolean runsProbes();

  /**
   * Lists something the dry run did not do, or could not decide: {@code kind} is one word
   * ({@code call}, {@code probe}, {@code wait}, {@code await}, {@code expect}, {@code decide}…),
   * {@code text} says what, in the playbook's words.
   */
  void list(Position at, String kind, String text);

  /**
   * Records what {@code inject} would do, where, for how long ({@code forDuration} is a duration,
   * a {@link Planned}, or null for "until the scope ends") and under which guards, and returns
   * the handle {@code inject} yields: never active, never reverted.
   */
  ActiveFault plan(Fault fault, Object forDuration, Position at);
}
