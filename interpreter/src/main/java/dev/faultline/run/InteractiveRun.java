package dev.faultline.run;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Stmt;
import dev.faultline.eval.Cancellation;
import dev.faultline.eval.Environment;
import dev.faultline.host.Interrupted;
import dev.faultline.report.EventType;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PlaybookRun} driven one statement at a time, for the REPL: the same run machinery
 * (fault lifecycle and journal, watchdog, guards, limits, events and report) with the playbook's
 * scope held open between statements. Made by {@link PlaybookRun#interactive()}, which runs the
 * playbook's setup (params, profile, top-level statements) first.
 *
 * <p>Scopes: statements run in the playbook's environment, and faults they inject belong to the
 * innermost open scope: the playbook's (the session's) at the prompt, so that they stay active
 * until reverted or {@link #end}; a scenario's while it is paused before a step. Scenarios run
 * with their own scopes exactly as in {@code faultline run}.
 *
 * <p>Threading: {@link #execute} and {@link #runScenario} run on the calling thread, which is the
 * evaluating thread only while they run: a cancellation (Ctrl-C, a guard breach) arriving between
 * statements interrupts nothing and is forgotten by {@link #recover}. {@link #stopAll} and the
 * run's {@code cancel} may be called from any thread. Not for concurrent statements.
 */
public final class InteractiveRun {
  private final PlaybookRun run;
  private final PlaybookRun.Outcome outcome;
  private final LoadedPlaybook playbook;
  private volatile boolean ended;
  /** How many of this session's statements and scenarios are running on the evaluating thread (nested at a paused step). */
  private int depth;

  InteractiveRun(PlaybookRun run, PlaybookRun.Outcome outcome, LoadedPlaybook playbook) {
    this.run = run;
    this.outcome = outcome;
    this.playbook = playbook;
    // The prompt is no statement: until one runs, nothing is to be interrupted.
    run.cancellation().unbind();
    recover();
  }

  /** {@return the run underneath}: its faults, guards, events and measurements */
  public PlaybookRun run() {
    return run;
  }

  /** {@return the session's top-level names}: the playbook's params, profile values, lets and fns, then what was typed */
  public Environment environment() {
    return outcome.globals;
  }

  /** {@return what went wrong in the playbook's setup, if anything did}; the session goes on without what it did not define */
  public Optional<Diagnostic> setupError() {
    return Optional.ofNullable(outcome.setupError);
  }

  /** {@return the scenarios the playbook declares}, in order */
  public List<Decl.Scenario> scenarios() {
    return playbook.scenarios();
  }

  /** {@return the results of the scenarios run so far}, in the order they ended */
  public List<ScenarioResult> results() {
    synchronized (outcome.results) {
      return List.copyOf(outcome.results);
    }
  }

  /**
   * Runs one top-level statement on the calling thread and returns the value of an expression
   * statement ({@code null} for other statements, and for an expression whose value is null).
   * Throws what the statement ends with: a {@code PlaybookError}, an {@code ExpectFailed}, an
   * {@code Aborted} (a guard breach during the statement is one), an {@link Interrupted}.
   *
   * @param stmt a statement as the REPL parsed it
   * @return the expression's value, or null
   */
  public Object execute(Stmt stmt) {
    Cancellation c = run.cancellation();
    enter();
    try {
      c.check();
      if (stmt instanceof Stmt.ExprStmt e) return outcome.evaluator.eval(e.expr(), outcome.globals);
      outcome.evaluator.execute(List.of(stmt), outcome.globals);
      return null;
    } catch (Interrupted e) {
      throw c.cause(e);
    } finally {
      leave();
    }
  }

  /**
   * Runs a scenario of the playbook with its own scope, as {@code faultline run} does, and returns
   * its result; its steps pass the run's {@link PlaybookRun.StepGate}. A scenario may run again.
   *
   * @param sc one of {@link #scenarios()}
   * @return how it ended
   */
  public ScenarioResult runScenario(Decl.Scenario sc) {
    enter();
    try {
      return run.scenario(sc, outcome);
    } finally {
      leave();
    }
  }

  /**
   * Runs {@code prompt} (a nested prompt at a paused step) as if nothing were running: a cancellation
   * meanwhile (a breach, Ctrl-C) interrupts nothing, and is seen by the scenario when it goes on.
   *
   * @param <T> what the prompt returns
   * @param prompt the nested prompt
   * @return what the prompt returned
   */
  public <T> T paused(java.util.function.Supplier<T> prompt) {
    int saved = depth;
    depth = 0;
    run.cancellation().unbind();
    try {
      return prompt.get();
    } finally {
      depth = saved;
      if (saved > 0) run.cancellation().bind(Thread.currentThread());
    }
  }

  private void enter() {
    if (depth++ == 0) run.cancellation().bind(Thread.currentThread());
  }

  private void leave() {
    if (--depth == 0) run.cancellation().unbind();
  }

  /**
   * Makes the session usable again after an interruption or a breach: the cancellation is
   * forgotten and the guards are checked again. Call it on the evaluating thread between statements.
   */
  public void recover() {
    run.cancellation().reset();
    if (run.guards().isBreached()) run.guards().rearm();
    // A breach or a scenario's abort is in the events and the report; it does not end the session.
    outcome.aborted = false;
  }

  /**
   * Stops everything from any thread: the running statement or scenario is interrupted and every
   * active fault is reverted at once, newest first.
   *
   * @param why the reason, for the events and the report
   * @return how many faults could not be reverted
   */
  public int stopAll(String why) {
    run.cancel(why);
    return run.faults().revertAll(run.callContext(Position.NONE));
  }

  /** {@return how many faults could not be reverted} Reverts every active fault, newest first, from any thread. */
  public int revertAll() {
    return run.faults().revertAll(run.callContext(Position.NONE));
  }

  /**
   * Adds text typed at the prompt, so that messages about it can quote it (a decision's condition, an await).
   *
   * @param typed the input as a source file
   */
  public void source(dev.faultline.source.SourceFile typed) {
    run.addSource(typed);
  }

  /**
   * Records what was typed, for the transcript in the report.
   *
   * @param text the input as typed
   */
  public void input(String text) {
    run.emit(EventType.INPUT, text, null, Map.of());
  }

  /**
   * Records what an input gave.
   *
   * @param outcomeText its value in words, or its error
   * @param failed whether it ended with an error
   */
  public void result(String outcomeText, boolean failed) {
    run.emit(EventType.RESULT, outcomeText, null, Map.of("failed", failed));
  }

  /** {@return the report so far}: the run as if it ended now (no run.ended event; faults stay as they are) */
  public RunResult resultSoFar() {
    return run.snapshot(outcome, run.exitCodeSoFar(outcome));
  }

  /**
   * Ends the session on the calling thread: the playbook's scope unwinds (every fault still
   * active is reverted, rollback blocks run, resources stop), the run's threads stop and the
   * result is returned. Idempotent in effect: a second call is refused.
   *
   * @return the session's result
   * @throws IllegalStateException when the session has already ended
   */
  public synchronized RunResult end() {
    if (ended) throw new IllegalStateException("the session has ended");
    ended = true;
    run.cancellation().bind(Thread.currentThread());
    run.close(outcome);
    return run.result(outcome);
  }

  /** {@return whether {@link #end()} was called} */
  public boolean hasEnded() {
    return ended;
  }
}
