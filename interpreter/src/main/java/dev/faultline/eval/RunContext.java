package dev.faultline.eval;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.fault.FaultLifecycle;
import dev.faultline.fault.RollbackStack;
import dev.faultline.host.CallContext;
import dev.faultline.source.Position;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the evaluator needs from the run around it: scopes, the fault lifecycle, events, and the
 * scenario and step lifecycle, which belongs to {@code dev.faultline.run}. The REPL provides its own.
 */
public interface RunContext {
  /** The innermost scope that owns faults (step, scenario or playbook). */
  RollbackStack currentScope();

  FaultLifecycle faults();

  Cancellation cancellation();

  /** A pre-started timer for timed reverts and step timeouts. */
  ScheduledExecutorService timers();

  CallContext callContext(Position at);

  /** Runs a step with its own scope, status and timeout. */
  void runStep(Decl.Step step, Environment env, Evaluator evaluator);

  /** A scenario declared at the top level: kept for selection, not run now. */
  void declareScenario(Decl.Scenario scenario);

  /** A guard declared at the top level, with the environment its condition reads. */
  void declareGuard(Decl.Guard guard, Environment env);

  /** The parsed library file an {@code import} names. */
  Playbook library(Decl.Import imp);

  void record(String name, Object value, Position at);

  void log(String message, Position at);

  /** {@code decide}: which arm was taken (index from 0, -1 for else, -2 for none) and why. */
  void decision(Position at, int arm, String condition);

  /** An {@code expect} that held or failed, for the report. */
  void expectation(Position at, String text, boolean held, String detail);

  /**
   * An {@code await} succeeded: {@code condition} became true {@code endNanos - startNanos} after
   * the first check ({@link System#nanoTime()} instants). The run counts recoveries from these.
   */
  default void awaited(Position at, String condition, long startNanos, long endNanos) {}

  /** The source text a position covers, for messages that quote the playbook. */
  String sourceText(Position at);

  /** The dry run's side of evaluation, or null in a real run (the default). */
  default PlanMode planMode() {
    return null;
  }

  /** Values already fixed before the run (params, profile), for the report. */
  default Map<String, Object> settings() {
    return Map.of();
  }
}
