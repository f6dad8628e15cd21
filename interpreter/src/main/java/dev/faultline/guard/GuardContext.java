package dev.faultline.guard;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.eval.Cancellation;
import dev.faultline.eval.Environment;
import dev.faultline.eval.EvalError;
import dev.faultline.eval.Evaluator;
import dev.faultline.eval.RunContext;
import dev.faultline.fault.FaultLifecycle;
import dev.faultline.fault.RollbackStack;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.source.Position;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a guard's condition may use of the run, on the monitor thread: it reads names and calls
 * host functions, and it may log. It refuses everything that changes the run: injecting or
 * reverting faults, rollback blocks, steps, scenarios, guards and records.
 * Rationale: a guard observes; one that injected or recorded would race the evaluating thread,
 * whose run state is confined to it.
 *
 * <p>Waits inside a condition (a probe's timeout) go through this context's own
 * {@link Cancellation}, which the monitor cancels when the run ends. Thread-safe as far as the
 * run it delegates to is: only {@code sourceText}, {@code library} and {@code log} reach it.
 */
final class GuardContext implements RunContext {
  private static final String HELP = "a guard only reads: move this into a step";

  private final RunContext run;
  private final Cancellation cancellation = new Cancellation();

  GuardContext(RunContext run) {
    this.run = run;
  }

  @Override
  public RollbackStack currentScope() {
    throw refused("a guard's condition cannot inject faults or add rollback blocks");
  }

  @Override
  public FaultLifecycle faults() {
    throw refused("a guard's condition cannot inject or revert faults");
  }

  @Override
  public Cancellation cancellation() {
    return cancellation;
  }

  @Override
  public ScheduledExecutorService timers() {
    throw refused("a guard's condition cannot start timers");
  }

  @Override
  public CallContext callContext(Position at) {
    return new CallContext() {
      public Position at() { return at; }
      public void sleep(Duration d) { cancellation.sleep(d); }
      public void checkInterrupted() { cancellation.check(); }
      public void log(String message) { run.log(message, at); }
      public void own(AutoCloseable resource, String description) {
        throw new HostError("a guard's condition cannot start " + description, "start it in the playbook's setup and read it in the guard");
      }
    };
  }

  @Override
  public void runStep(Decl.Step step, Environment env, Evaluator evaluator) {
    throw refused("a guard's condition cannot run steps");
  }

  @Override
  public void declareScenario(Decl.Scenario scenario) {
    throw refused("a guard's condition cannot declare scenarios");
  }

  @Override
  public void declareGuard(Decl.Guard guard, Environment env) {
    throw refused("a guard's condition cannot declare guards");
  }

  @Override
  public Playbook library(Decl.Import imp) {
    return run.library(imp);
  }

  @Override
  public void record(String name, Object value, Position at) {
    throw refused("a guard's condition cannot record values");
  }

  @Override
  public void log(String message, Position at) {
    run.log(message, at);
  }

  @Override
  public void decision(Position at, int arm, String condition) {
    // Decisions inside a guard's functions are not part of the run's story.
  }

  @Override
  public void expectation(Position at, String text, boolean held, String detail) {
    // An expect that fails inside a guard's function makes the condition fail: that is reported.
  }

  @Override
  public String sourceText(Position at) {
    return run.sourceText(at);
  }

  @Override
  public Map<String, Object> settings() {
    return run.settings();
  }

  private static EvalError refused(String message) {
    return EvalError.at(Position.NONE, message, HELP);
  }
}
