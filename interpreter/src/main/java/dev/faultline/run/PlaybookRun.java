package dev.faultline.run;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.eval.Aborted;
import dev.faultline.eval.Cancellation;
import dev.faultline.eval.Environment;
import dev.faultline.eval.EvalError;
import dev.faultline.eval.Evaluator;
import dev.faultline.eval.ExpectFailed;
import dev.faultline.eval.RunContext;
import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.FaultJournal;
import dev.faultline.fault.FaultLifecycle;
import dev.faultline.fault.RollbackStack;
import dev.faultline.guard.Breach;
import dev.faultline.guard.GuardMonitor;
import dev.faultline.guard.Limits;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Interrupted;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.report.RunListener;
import dev.faultline.report.SecretMask;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.value.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One run of a playbook: binds parameters and the profile, runs the playbook's top-level
 * statements (its setup), then each selected scenario in declaration order, and leaves a
 * {@link RunResult}. It owns the scenario and step lifecycle and is the evaluator's
 * {@link RunContext}.
 *
 * <p>Scopes: the playbook, each scenario and each step own a {@link RollbackStack}; a scope's
 * faults are reverted, its rollback blocks run and its resources close when it ends, however it
 * ends. A failed step fails its scenario, and the scenario's later steps are skipped. An abort
 * ends the whole run; the remaining scenarios are skipped.
 *
 * <p>Permissions are checked at first use through {@link Permissions}; a dry run has a
 * {@link DryRunPlan}, which the evaluator asks instead of injecting, and exits 0 or, for a mistake
 * in the playbook, 2.
 * <p>Guards and limits: a {@link GuardMonitor} checks the playbook's guards and its
 * {@code max_duration} limits on a thread of its own; a breach reverts every active fault from there
 * and cancels the run as an abort. {@link Limits} holds the settings read before the setup runs.
 *
 * <p>Threading: {@link #execute()} runs on the calling thread. Timers (timed reverts, step
 * timeouts) run on one pre-started daemon thread, guards on another; {@link #cancel} may be called
 * from any thread. Single use.
 */
public final class PlaybookRun implements RunContext {
  private final LoadedPlaybook playbook;
  private final HostRegistry registry;
  private final RunOptions options;
  private final List<RunListener> listeners;
  private final Preflight.Plan plan;
  private final Permissions permissions;
  /** A dry run's planner, or null in a real run. */
  private final DryRunPlan dryRun;

  private final Cancellation cancellation = new Cancellation();
  private final ScheduledThreadPoolExecutor timers;
  private final FaultLifecycle faults;
  /** Secrets (secret params, URL passwords, bearer tokens) hidden from every event, record and result. */
  private final SecretMask secrets = new SecretMask();
  private final GuardMonitor guards;
  /** Probes, traffic, recoveries, steady states and SLO verdicts (see dev.faultline.measure). */
  private final dev.faultline.measure.Measurements measurements = new dev.faultline.measure.Measurements(this::emit);
  /** The settings that bound the run; read before the setup, on the evaluating thread. */
  private volatile Limits limits = Limits.NONE;
  /** Whether the run is undoing work (a scope unwinding): what a second Ctrl-C reports. */
  private volatile boolean undoing;
  private final FaultJournal journal;
  private final Deque<RollbackStack> scopes = new ArrayDeque<>();
  private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
  private final List<String> revertFailures = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Object> runRecords = new LinkedHashMap<>();
  private final Map<String, Object> boundParams = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private final Instant start = Instant.now();

  /** The scenario being run, or null during setup. Volatile: guard and timer threads name it in events. */
  private volatile ScenarioState scenario;
  /** The step being run, or null between steps. */
  private volatile String stepName;

  /** Mutable record of the running scenario; frozen into a {@link ScenarioResult}. */
  private static final class ScenarioState {
    final Decl.Scenario decl;
    final Instant start = Instant.now();
    final long startNanos = System.nanoTime();
    final List<StepResult> steps = new ArrayList<>();
    final Map<String, Object> records = new LinkedHashMap<>();
    final java.util.Set<Decl.Step> ran = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    boolean failed;
    String failure = "";

    ScenarioState(Decl.Scenario decl) {
      this.decl = decl;
    }
  }

  /** Unwinds the scenario body after a failed step, so later statements do not run. */
  private static final class StepFailedSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepFailedSignal() {
      super(null, null, false, false);
    }
  }

  /**
   * A run, not started; {@link dev.faultline.embed.Faultline#start} makes one after checking the
   * options and the fault journal, which is the way to get one.
   *
   * @param playbook the checked playbook
   * @param registry the interpreter's host functions; the playbook's hooks are added to them
   * @param options the run's options
   * @param listeners told about every event, in this order
   * @throws dev.faultline.source.PlaybookError when the options do not fit the playbook
   */
  public PlaybookRun(LoadedPlaybook playbook, HostRegistry registry, RunOptions options, List<RunListener> listeners) {
    this.playbook = playbook;
    this.registry = registry.with(playbook.hookFunctions());  // a hook's functions are host functions of this run
    this.options = options;
    this.listeners = List.copyOf(listeners);
    this.plan = Preflight.resolve(playbook, options);
    this.timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "faultline-timer");
      t.setDaemon(true);
      return t;
    });
    this.timers.setRemoveOnCancelPolicy(true);
    this.timers.prestartAllCoreThreads();
    // Lazy: the journal touches the disk only when the first fault is injected.
    this.journal = FaultJournal.forRun(options.journalDir().orElseGet(FaultJournal::defaultDir), options.watchdog(),
        notice -> log("watchdog: " + notice, Position.NONE));
    this.faults = new FaultLifecycle(new FaultEvents(), options.revertTimeout().orElse(RunOptions.DEFAULT_REVERT_TIMEOUT), journal);
    this.permissions = Permissions.of(options, playbook);
    this.dryRun = options.dryRun()
        ? new DryRunPlan(options.dryRunMode(), playbook, this::emit, () -> currentScope().name(), () -> scenario == null)
        : null;
    this.guards = new GuardMonitor(this.registry, this, faults, cancellation, () -> callContext(Position.NONE), new BreachEvents(),
        Limits.needsMonitor(playbook.main()));
  }

  /**
   * Asked on the evaluating thread before each step of a scenario runs, outside the step's scope.
   * The REPL pauses there to step through a scenario; what it throws ends the scenario as the same
   * exception would from inside it ({@code Interrupted} aborts it).
   */
  public interface StepGate {
    /**
     * Called before a step runs.
     *
     * @param scenario the scenario's id
     * @param step the step about to run
     */
    void beforeStep(String scenario, Decl.Step step);
  }

  private volatile StepGate stepGate = (scenarioId, step) -> { };
  /** Text typed at the REPL, by source name, so that messages can quote it as they quote the playbook. */
  private final Map<String, SourceFile> typedSources = new java.util.concurrent.ConcurrentHashMap<>();

  /** Makes text typed at the REPL quotable in messages ({@code decide}, {@code await}). */
  void addSource(SourceFile source) {
    typedSources.put(source.name(), source);
  }

  /**
   * Sets the gate every later step passes; by default none waits.
   *
   * @param gate the gate, or null for none
   */
  public void stepGate(StepGate gate) {
    stepGate = gate == null ? (scenarioId, step) -> { } : gate;
  }

  /** {@return the run's guards and limits} */
  public GuardMonitor guards() {
    return guards;
  }

  /** {@return what the run measures}: the REPL reads {@code measurements().liveTraffic()} for its status line */
  public dev.faultline.measure.Measurements measurements() {
    return measurements;
  }

  /** {@return whether the run is reverting faults or running rollback blocks} */
  public boolean isUndoing() {
    return undoing;
  }

  /** {@return this run's fault journal}: where it is, and what it still lists once the run has ended */
  public FaultJournal journal() {
    return journal;
  }

  /**
   * Stops the run from any thread (Ctrl-C, an embedding application): the running statement is
   * interrupted, every fault is reverted, rollback blocks run and the run ends as aborted. Returns
   * at once; {@link #execute()} returns when that work is done.
   *
   * @param reason why, for the events and the report
   */
  public void cancel(String reason) {
    cancellation.cancel(reason);
  }

  /**
   * Runs the playbook to the end on the calling thread. Never throws for a user mistake at run time:
   * failures, aborts and failed reverts are in the result. Single use.
   *
   * @return what happened
   */
  public RunResult execute() {
    Outcome o = open();
    try {
      for (Decl.Scenario sc : plan.scenarios()) {
        if (o.setupError != null) {
          o.results.add(skipped(sc, "not run: the playbook's setup failed"));
        } else if (o.aborted) {
          o.results.add(skipped(sc, "not run: the run was aborted"));
        } else {
          scenario(sc, o);
        }
      }
    } finally {
      close(o);
    }
    return result(o);
  }

  /**
   * Starts a run that the caller drives one statement at a time (the REPL): the setup runs now, on
   * the calling thread, and the playbook's scope stays open until {@link InteractiveRun#end}.
   *
   * @return the session's handle; use it instead of {@link #execute()}
   */
  public InteractiveRun interactive() {
    return new InteractiveRun(this, open(), playbook);
  }

  /** What a run has done so far: the playbook's environment and scope, the results, and how the setup ended. */
  static final class Outcome {
    final Environment globals = new Environment(null);
    final Evaluator evaluator;
    final RollbackStack playbookScope;
    final List<ScenarioResult> results = Collections.synchronizedList(new ArrayList<>());
    Diagnostic setupError;
    boolean aborted;
    String abortReason = "";

    Outcome(PlaybookRun run) {
      this.evaluator = new Evaluator(run.registry, run, globals);
      this.playbookScope = new RollbackStack("playbook \"" + run.playbook.name() + "\"");
    }
  }

  /** Emits run.started, binds params and the profile, reads the limits and runs the playbook's setup. */
  Outcome open() {
    cancellation.bind(Thread.currentThread());
    Map<String, Object> startData = new LinkedHashMap<>();
    startData.put("file", playbook.main().file());
    startData.put("profile", plan.profile().map(Decl.Profile::name).orElse(null));
    if (dryRun != null) startData.put("dry_run", options.dryRunMode().word());
    emit(EventType.RUN_STARTED, "playbook " + playbook.name(), null, startData);
    Outcome o = new Outcome(this);
    Environment globals = o.globals;
    Evaluator evaluator = o.evaluator;
    scopes.push(o.playbookScope);
    try {
      try {
        bindParamsAndProfile(evaluator, globals);
        limits = Limits.read(playbook.main(), plan.profile(), options.rollbackStrategy(), evaluator, globals);
        limits.maxDuration().ifPresent(m -> guards.limit("max_duration of the run", m.limit(), startNanos, m.at()));
        evaluator.execute(playbook.main().body(), globals);
        cancellation.check(); // a breach or a signal during the last statement still ends the run
      } catch (Interrupted e) {
        throw cancellation.cause(e);
      }
    } catch (PlaybookError e) {
      o.setupError = e.first();
      emit(EventType.ERROR, e.first().message(), e.first().at(), errorData(e));
    } catch (ExpectFailed e) {
      o.setupError = Diagnostic.error(e.at(), e.getMessage());
      emit(EventType.ERROR, e.getMessage(), e.at(), Map.of());
    } catch (Aborted e) {
      o.aborted = true;
      o.abortReason = abortMessage(e);
      emit(EventType.ABORTED, o.abortReason, e.at(), Map.of("severity", e.severity().name()));
    } catch (Interrupted e) {
      o.aborted = true;
      o.abortReason = "interrupted: " + e.getMessage();
      emit(EventType.ABORTED, o.abortReason, null, Map.of());
    } catch (RuntimeException bug) {
      o.setupError = Diagnostic.error(playbook.main().at(), "internal error: " + bug)
          .withHelp("rerun with --debug for the Java stack trace");
      emit(EventType.ERROR, o.setupError.message(), null, Map.of("exception", stackTrace(bug)));
    }
    return o;
  }

  /** Runs one scenario of the playbook and adds its result to {@code o}. */
  ScenarioResult scenario(Decl.Scenario sc, Outcome o) {
    ScenarioResult r;
    try {
      r = runScenario(sc, o.evaluator, o.globals);
    } finally {
      scenario = null; // kept until the scenario's last event, so that every event names it
    }
    o.results.add(r);
    if (r.status() == Status.ABORTED) {
      o.aborted = true;
      o.abortReason = r.message();
    }
    return r;
  }

  /** Ends the playbook's scope (every fault reverted, rollback blocks, resources) and stops the run's threads. */
  void close(Outcome o) {
    scopes.clear();
    Thread.interrupted();
    boolean failed = o.setupError != null || o.aborted || cancellation.isCancelled()
        || o.results.stream().anyMatch(r -> r.status() == Status.FAILED || r.status() == Status.ABORTED);
    String teardown = unwind(o.playbookScope, failed);
    if (teardown != null && o.setupError == null) {
      // The playbook's own undo work failed: the run has not passed, even if every scenario did.
      o.setupError = Diagnostic.error(playbook.main().at(), "the playbook's rollback failed: " + teardown);
    }
    guards.close();
    timers.shutdownNow();
    faults.close();
    journal.close();
    cancellation.unbind();
  }

  /** The run's result once {@link #close} has run, with the run.ended event. */
  RunResult result(Outcome o) {
    int exit = exitCode(o.results, o.setupError, o.aborted);
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    emit(EventType.RUN_ENDED, "exit " + exit, null, Map.of("exit_code", exit, "duration_ms", took.toMillis()));
    return snapshot(o, exit);
  }

  /** What the run has left so far, with {@code exit} as its exit code; the run may go on. */
  RunResult snapshot(Outcome o, int exit) {
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    List<Event> eventsSoFar;
    synchronized (events) {
      eventsSoFar = new ArrayList<>(events);
    }
    return new RunResult(playbook.name(), playbook.main().file(), maskedParams(), plan.profile().map(Decl.Profile::name),
        start, took, new ArrayList<>(o.results), runRecords, eventsSoFar, Optional.ofNullable(secrets.mask(o.setupError)), revertFailures,
        exit, options.dryRunMode());
  }

  /** The exit code the run would have if it ended now. */
  int exitCodeSoFar(Outcome o) {
    return exitCode(o.results, o.setupError, o.aborted);
  }

  private int exitCode(List<ScenarioResult> results, Diagnostic setupError, boolean aborted) {
    if (dryRun != null) {
      // Rationale: a dry run judges nothing, so a failure in it is a mistake in the playbook.
      int real = realExitCode(results, setupError, aborted);
      return real == ExitCode.FAILED ? ExitCode.BAD_INPUT : real;
    }
    return realExitCode(results, setupError, aborted);
  }

  private int realExitCode(List<ScenarioResult> results, Diagnostic setupError, boolean aborted) {
    if (!revertFailures.isEmpty()) return ExitCode.REVERT_FAILED;
    if (aborted || guards.isBreached() || results.stream().anyMatch(r -> r.status() == Status.ABORTED)) return ExitCode.ABORTED;
    if (setupError != null || results.stream().anyMatch(r -> r.status() == Status.FAILED)) return ExitCode.FAILED;
    return ExitCode.PASSED;
  }

  // ------------------------------------------------------------ params and profile

  private void bindParamsAndProfile(Evaluator evaluator, Environment globals) {
    for (Decl.Param p : playbook.params()) {
      Object value;
      if (plan.params().containsKey(p.name())) value = plan.params().get(p.name());
      else value = evaluator.eval(p.byDefault().orElseThrow(), globals);
      globals.define(p.name(), value);
      if (p.secret() && value != null) secrets.add(String.valueOf(value));
      boundParams.put(p.name(), p.secret() ? SecretMask.MASK : secrets.maskValue(value));
    }
    if (plan.profile().isEmpty()) return;
    for (Decl.Profile.Entry entry : plan.profile().get().entries()) {
      Object value = evaluator.eval(entry.value(), globals);
      String root = entry.path().get(0);
      if (entry.path().size() == 1) {
        globals.define(root, value);
        continue;
      }
      Object existing = globals.lookup(root).map(dev.faultline.eval.Literals::unwrap).orElse(null);
      Map<String, Object> map = existing instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
      Map<String, Object> cursor = map;
      for (int i = 1; i < entry.path().size() - 1; i++) {
        String key = entry.path().get(i);
        Map<String, Object> next = cursor.get(key) instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
        cursor.put(key, next);
        cursor = next;
      }
      cursor.put(entry.path().get(entry.path().size() - 1), value);
      globals.define(root, map);
    }
  }

  private static Map<String, Object> copy(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private Map<String, Object> maskedParams() {
    return boundParams;
  }

  // ------------------------------------------------------------ scenarios and steps

  private ScenarioResult runScenario(Decl.Scenario sc, Evaluator evaluator, Environment globals) {
    ScenarioState state = new ScenarioState(sc);
    scenario = state;
    RollbackStack scope = new RollbackStack("scenario \"" + sc.id() + "\"");
    scopes.push(scope);
    emit(EventType.SCENARIO_STARTED, sc.id(), sc.at(), Map.of("tags", sc.tags()));
    Status status = Status.PASSED;
    String undoFailure = null;
    String message = "";
    Diagnostic error = null;
    ScheduledFuture<?> limit = null;
    try {
      try {
        Environment body = globals.child();
        Optional<Limits.MaxDuration> max = Limits.maxDuration(sc.body().stmts(), evaluator, body);
        if (max.isPresent()) {
          limit = guards.limit("max_duration of scenario \"" + sc.id() + "\"", max.get().limit(), state.startNanos, max.get().at());
        }
        Optional<String> unsteady = measurements.scenarioStarted(sc.id());
        if (unsteady.isPresent()) throw new ExpectFailed(sc.at(), unsteady.get());
        evaluator.execute(sc.body().stmts(), body);
        cancellation.check();
      } catch (Interrupted e) {
        throw cancellation.cause(e);
      }
      if (state.failed) {
        status = Status.FAILED;
        message = state.failure;
      }
    } catch (StepFailedSignal e) {
      status = Status.FAILED;
      message = state.failure;
    } catch (ExpectFailed e) {
      status = Status.FAILED;
      message = e.getMessage();
      error = Diagnostic.error(e.at(), message);
      emit(EventType.EXPECT_FAILED, e.getMessage(), e.at(), Map.of());
    } catch (PlaybookError e) {
      status = Status.FAILED;
      message = e.first().message();
      error = e.first();
      emit(EventType.ERROR, message, e.first().at(), errorData(e));
    } catch (Aborted e) {
      status = Status.ABORTED;
      message = abortMessage(e);
      // An abort inside a step is that step's error already; only one in the scenario body is new here.
      if (state.steps.stream().noneMatch(r -> r.status() == Status.ABORTED)) {
        error = Diagnostic.error(e.at(), message);
        emit(EventType.ABORTED, message, e.at(), Map.of("severity", e.severity().name()));
      }
    } catch (Interrupted e) {
      status = Status.ABORTED;
      message = "interrupted: " + e.getMessage();
    } catch (RuntimeException bug) {
      status = Status.FAILED;
      message = "internal error: " + bug;
      emit(EventType.ERROR, message, sc.at(), Map.of("exception", stackTrace(bug)));
    } finally {
      if (limit != null) limit.cancel(false);
      scopes.pop();
      Thread.interrupted();
      undoFailure = unwind(scope, status != Status.PASSED || state.failed);
    }
    if (undoFailure != null && status == Status.PASSED) {
      status = Status.FAILED;
      message = undoFailure;
      error = Diagnostic.error(sc.at(), undoFailure);
    }
    Optional<String> verdict = scenarioVerdict(globals, status != Status.ABORTED && !cancellation.isCancelled() && dryRun == null);
    if (verdict.isPresent() && status == Status.PASSED) {
      status = Status.FAILED;
      message = verdict.get();
      error = Diagnostic.error(sc.at(), message);
    }
    if (status == Status.FAILED || status == Status.ABORTED) skipRemainingSteps(state, status);
    Duration took = Duration.ofNanos(System.nanoTime() - state.startNanos);
    emit(EventType.SCENARIO_ENDED, sc.id() + " " + status.word(), sc.at(),
        Map.of("status", status.word(), "duration_ms", took.toMillis(), "message", message));
    return new ScenarioResult(sc.id(), sc.tags(), status, state.start, took, secrets.mask(message), state.steps, state.records,
        Optional.ofNullable(secrets.mask(error)));
  }

  /**
   * After a scenario has unwound: its steady states checked again and the profile's SLO targets
   * ({@code slo.*}) judged, see {@link dev.faultline.measure.SloTargets}. Nothing is judged after an abort.
   */
  private Optional<String> scenarioVerdict(Environment globals, boolean judge) {
    Object slo = globals.lookup("slo").map(dev.faultline.eval.Literals::unwrap).orElse(null);
    try {
      return measurements.scenarioEnded(slo, judge);
    } catch (PlaybookError | ExpectFailed e) {
      return Optional.of(e.getMessage());
    } catch (Interrupted | Aborted e) {
      return Optional.empty(); // the run is ending: the abort is what it reports
    }
  }

  private void skipRemainingSteps(ScenarioState state, Status why) {
    String message = why == Status.ABORTED ? "not run: the run was aborted"
        : state.failed ? "not run: an earlier step failed" : "not run: the scenario failed outside its steps";
    for (Stmt s : state.decl.body().stmts()) {
      if (s instanceof Decl.Step step && !state.ran.contains(step)) state.steps.add(skippedStep(step, message));
    }
  }

  /** A step that did not run; told to listeners like any other step end, so the journal lists it. */
  private StepResult skippedStep(Decl.Step step, String why) {
    stepName = step.name();
    try {
      emit(EventType.STEP_ENDED, step.name() + " skipped", step.at(),
          Map.of("status", Status.SKIPPED.word(), "duration_ms", 0L, "message", why));
    } finally {
      stepName = null;
    }
    return new StepResult(step.name(), Status.SKIPPED, Instant.now(), Duration.ZERO, why, step.at().toString());
  }

  private ScenarioResult skipped(Decl.Scenario sc, String why) {
    List<StepResult> steps = new ArrayList<>();
    for (Stmt s : sc.body().stmts()) {
      if (s instanceof Decl.Step step) steps.add(new StepResult(step.name(), Status.SKIPPED, Instant.now(), Duration.ZERO, why, step.at().toString()));
    }
    scenario = new ScenarioState(sc); // so that the event names the scenario it skips
    try {
      emit(EventType.SCENARIO_ENDED, sc.id() + " skipped", sc.at(), Map.of("status", "skipped", "duration_ms", 0L, "message", why));
    } finally {
      scenario = null;
    }
    return new ScenarioResult(sc.id(), sc.tags(), Status.SKIPPED, Instant.now(), Duration.ZERO, why, steps, Map.of());
  }

  @Override
  public void runStep(Decl.Step step, Environment env, Evaluator evaluator) {
    ScenarioState state = scenario;
    if (state == null) {
      throw EvalError.at(step.at(), "a step must be inside a scenario", "wrap it in 'scenario \"name\" { … }'");
    }
    if (!state.failed) stepGate.beforeStep(state.decl.id(), step);
    state.ran.add(step);
    if (state.failed) {
      state.steps.add(skippedStep(step, "not run: an earlier step failed"));
      return;
    }
    RollbackStack scope = new RollbackStack("step \"" + step.name() + "\"");
    scopes.push(scope);
    stepName = step.name();
    Instant stepStart = Instant.now();
    long t0 = System.nanoTime();
    emit(EventType.STEP_STARTED, step.name(), step.at(), Map.of());
    Status status = Status.PASSED;
    String undoFailure = null;
    String message = "";
    Position failedAt = step.at();
    Diagnostic error = null;
    ScheduledFuture<?> timeout = null;
    String timeoutReason = null;
    String timeoutMessage = null;
    RuntimeException rethrow = null;
    try {
      if (step.timeout().isPresent()) {
        Object limit = evaluator.eval(step.timeout().get(), env);
        if (!(limit instanceof Duration d)) {
          throw EvalError.at(step.timeout().get().at(), "a step timeout must be a duration, got " + Values.typeOf(limit), null);
        }
        timeoutMessage = "timed out after " + Values.show(d);
        if (dryRun != null) dryRun.list(step.timeout().get().at(), "timeout", "the step times out after " + Values.show(d));
        timeoutReason = "step \"" + step.name() + "\" " + timeoutMessage;
        final String reason = timeoutReason;
        timeout = timers.schedule(() -> cancellation.cancel(reason), d.toNanos(), TimeUnit.NANOSECONDS);
      }
      try {
        evaluator.execute(step.body().stmts(), env.child());
        cancellation.check(); // a breach during the step's last statement (a host call that ignores interrupts)
      } catch (Interrupted e) {
        throw cancellation.cause(e);
      }
    } catch (ExpectFailed e) {
      status = Status.FAILED;
      message = e.getMessage();
      failedAt = e.at();
      error = Diagnostic.error(e.at(), message);
      emit(EventType.EXPECT_FAILED, e.getMessage(), e.at(), Map.of());
    } catch (PlaybookError e) {
      status = Status.FAILED;
      message = e.first().message();
      failedAt = e.first().at();
      error = e.first();
      emit(EventType.ERROR, message, e.first().at(), errorData(e));
    } catch (Interrupted e) {
      if (timeoutReason != null && timeoutReason.equals(cancellation.reason())) {
        status = Status.FAILED;
        message = timeoutMessage;
        error = Diagnostic.error(step.at(), message);
        cancellation.clear();
      } else {
        status = Status.ABORTED;
        message = "interrupted: " + e.getMessage();
        rethrow = e;
      }
    } catch (Aborted e) {
      status = Status.ABORTED;
      message = abortMessage(e);
      failedAt = e.at();
      error = Diagnostic.error(e.at(), message);
      emit(EventType.ABORTED, message, e.at(), Map.of("severity", e.severity().name()));
      rethrow = e;
    } catch (RuntimeException bug) {
      if (bug instanceof StepFailedSignal) throw bug;
      status = Status.FAILED;
      message = "internal error: " + bug;
      emit(EventType.ERROR, message, step.at(), Map.of("exception", stackTrace(bug)));
    } finally {
      if (timeout != null) timeout.cancel(false);
      if (timeoutReason != null && timeoutReason.equals(cancellation.reason())) cancellation.clear();
      scopes.pop();
      boolean interrupted = Thread.interrupted();
      undoFailure = unwind(scope, status != Status.PASSED);
      if (interrupted && rethrow != null) Thread.currentThread().interrupt();
    }
    if (undoFailure != null && status == Status.PASSED) {
      status = Status.FAILED;
      message = undoFailure;
      error = Diagnostic.error(step.at(), undoFailure);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    state.steps.add(new StepResult(step.name(), status, stepStart, took, secrets.mask(message), failedAt.toString(), Optional.ofNullable(secrets.mask(error))));
    try {
      emit(EventType.STEP_ENDED, step.name() + " " + status.word(), step.at(),
          Map.of("status", status.word(), "duration_ms", took.toMillis(), "message", message));
    } finally {
      stepName = null;
    }
    if (rethrow != null) throw rethrow;
    if (status == Status.FAILED) {
      state.failed = true;
      state.failure = "step \"" + step.name() + "\" failed: " + message;
      throw new StepFailedSignal();
    }
  }

  /** The diagnostic's help, and for internal errors the Java stack trace (shown only with --debug). */
  private static Map<String, Object> errorData(PlaybookError e) {
    Map<String, Object> data = new LinkedHashMap<>();
    e.first().help().ifPresent(h -> data.put("help", h));
    if (e instanceof EvalError ee && ee.internal() != null) data.put("exception", stackTrace(ee.internal()));
    return data;
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  private static String abortMessage(Aborted e) {
    return "aborted " + e.severity().name() + ": " + e.getMessage();
  }

  /**
   * Ends a scope; reverts are never skipped, and each failure is recorded. Returns what failed, in
   * words, or null when everything was undone: a scope whose undo work failed has not passed.
   * Rollback blocks run as the rollback strategy says; {@code failed} tells whether the scope failed
   * or was aborted.
   */
  private String unwind(RollbackStack scope, boolean failed) {
    CallContext ctx = callContext(Position.NONE);
    List<RollbackStack.Failure> failures = new ArrayList<>();
    undoing = true;
    try {
      cancellation.runUncancelled(() -> failures.addAll(scope.unwind(faults, ctx, limits.strategy(), failed)));
    } finally {
      undoing = false;
    }
    List<String> said = new ArrayList<>();
    for (RollbackStack.Failure f : failures) {
      String why = f.cause() == null ? "" : ": " + (f.cause().getMessage() == null ? f.cause().getClass().getSimpleName() : f.cause().getMessage());
      if (f.what().startsWith("revert ")) {
        // Already reported by the lifecycle observer, as a revert failure.
        said.add("could not " + f.what());
        continue;
      }
      said.add(f.what() + " failed" + why);
      emit(EventType.ERROR, f.what() + " failed" + why, null, Map.of());
    }
    return said.isEmpty() ? null : String.join("; ", said);
  }

  // ------------------------------------------------------------ RunContext

  @Override
  public RollbackStack currentScope() {
    RollbackStack top = scopes.peek();
    if (top == null) throw new IllegalStateException("no scope: the run has ended");
    return top;
  }

  @Override
  public FaultLifecycle faults() {
    return faults;
  }

  @Override
  public Cancellation cancellation() {
    return cancellation;
  }

  @Override
  public ScheduledExecutorService timers() {
    return timers;
  }

  @Override
  public CallContext callContext(Position at) {
    return new CallContext() {
      public Position at() { return at; }
      public void sleep(Duration d) { cancellation.sleep(d); }
      public void checkInterrupted() { cancellation.check(); }
      public void log(String message) { PlaybookRun.this.log(message, at); }
      public void own(AutoCloseable resource, String description) { currentScope().own(resource::close, description); }
      public boolean isDryRun() { return dryRun != null; }
      public java.util.Set<dev.faultline.fault.Capability> granted() { return permissions.granted(); }
      public void require(java.util.Set<dev.faultline.fault.Capability> needed, String what) { permissions.require(at, needed, what); }
      public dev.faultline.fault.BlastRadius blastRadius() { return limits.blastRadius(); }
      public Map<String, Object> params() { return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(boundParams)); }
      public Map<String, Object> recorded() { return recordsSoFar(); }
      public java.util.Optional<dev.faultline.value.Function> function(String name) {
        return registry.function(name).map(b -> new dev.faultline.host.HostCall(b.signature(), b.receiver()));
      }
      public dev.faultline.measure.Measurements measurements() { return measurements; }
    };
  }

  /** A copy of what {@code record} stored: the playbook's values, then the current scenario's. */
  private synchronized Map<String, Object> recordsSoFar() {
    Map<String, Object> all = new LinkedHashMap<>(runRecords);
    if (scenario != null) all.putAll(scenario.records);
    return all;
  }

  @Override
  public dev.faultline.eval.PlanMode planMode() {
    return dryRun;
  }

  @Override
  public void declareScenario(Decl.Scenario s) {
    // Scenarios are selected statically (Preflight) and run after the setup; nothing to do here.
  }

  @Override
  public void declareGuard(Decl.Guard guard, Environment env) {
    // The interval is evaluated here, on the evaluating thread; the condition only on the monitor's.
    Object every = new Evaluator(registry, this, env).eval(guard.every(), env);
    if (!(every instanceof Duration d)) {
      throw EvalError.at(guard.every().at(), "a guard's interval must be a duration, got " + Values.typeOf(every), null);
    }
    guards.declare(guard, d, env);
  }

  @Override
  public Playbook library(Decl.Import imp) {
    Playbook lib = playbook.imports().get(imp);
    if (lib == null) throw new IllegalStateException("import not loaded: " + imp.path());
    return lib;
  }

  @Override
  public void record(String name, Object value, Position at) {
    value = secrets.maskValue(value);
    if (scenario != null) scenario.records.put(name, value);
    else runRecords.put(name, value);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("value", Values.showNested(value));
    emit(EventType.RECORD, name + " = " + Values.show(value), at, data);
  }

  @Override
  public void log(String message, Position at) {
    emit(EventType.LOG, message, at, Map.of());
  }

  @Override
  public void decision(Position at, int arm, String condition) {
    String message = arm >= 0 ? "when " + condition : arm == -1 ? "else" : "no arm matched";
    emit(EventType.DECISION, message, at, Map.of("arm", arm));
  }

  @Override
  public void expectation(Position at, String text, boolean held, String detail) {
    if (held) emit(EventType.EXPECT_PASSED, text, at, detail.isEmpty() ? Map.of() : Map.of("detail", detail));
  }

  @Override
  public void awaited(Position at, String condition, long startNanos, long endNanos) {
    measurements.awaited(at, condition, startNanos, endNanos);
  }

  @Override
  public String sourceText(Position at) {
    SourceFile src = playbook.sources().get(at.file());
    if (src == null) src = typedSources.get(at.file());
    if (src == null || !at.isKnown()) return "";
    String line = src.line(at.line());
    int from = Math.min(line.length(), Math.max(0, at.column() - 1));
    int to = Math.min(line.length(), from + at.length());
    return line.substring(from, to).strip();
  }

  // ------------------------------------------------------------ events

  void emit(EventType type, String message, Position at, Map<String, Object> data) {
    ScenarioState s = scenario;
    Event e = new Event(Instant.now(), System.nanoTime() - startNanos, type, s == null ? null : s.decl.id(),
        stepName, secrets.mask(message), at == null || !at.isKnown() ? null : at.toString(), secrets.maskData(data));
    events.add(e);
    for (RunListener l : listeners) {
      try {
        l.on(e);
      } catch (RuntimeException ignored) {
        // Rationale: a broken listener (a report, a progress line) must never stop reverts.
      }
    }
  }

  /** Turns fault lifecycle changes into events; called from whichever thread reverts. */
  private final class FaultEvents implements FaultLifecycle.Observer {
    @Override
    public void beforeInject(dev.faultline.fault.Fault fault) {
      guards.beforeInjection();
    }

    @Override
    public void injected(ActiveFault f) {
      measurements.faultInjected();
      emit(EventType.FAULT_INJECTED, f.fault().describe(), null, faultData(f));
      guards.faultsChanged();
    }

    @Override
    public void reverted(ActiveFault f, Duration took) {
      Map<String, Object> data = faultData(f);
      data.put("revert_us", took.toNanos() / 1000);
      emit(EventType.FAULT_REVERTED, f.fault().describe(), null, data);
      guards.faultsChanged();
    }

    @Override
    public void revertFailed(ActiveFault f, Throwable cause) {
      String why = cause == null ? "" : (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
      revertFailures.add(f.fault().describe() + ": " + why);
      Map<String, Object> data = faultData(f);
      data.put("error", why);
      emit(EventType.REVERT_FAILED, "could not revert " + f.fault().describe() + ": " + why, null, data);
      guards.faultsChanged();
    }

    private Map<String, Object> faultData(ActiveFault f) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("id", f.id());
      data.put("kind", f.fault().kind());
      data.put("target", f.fault().target());
      data.put("scope", f.scope());
      return data;
    }
  }

  /** Turns breaches into events; called on the monitor thread. */
  private final class BreachEvents implements GuardMonitor.Listener {
    @Override
    public void breached(Breach b) {
      Map<String, Object> data = breachData(b);
      data.remove("reason"); // known once the faults are reverted (it may call a probe)
      String what = b.kind() == Breach.Kind.GUARD ? "guard \"" + b.name() + "\"" : b.name();
      emit(b.kind() == Breach.Kind.GUARD ? EventType.GUARD_BREACHED : EventType.LIMIT_EXCEEDED,
          what + " breached", null, data);
    }

    @Override
    public void reverted(Breach b, Breach.Reverted r) {
      Map<String, Object> data = breachData(b);
      data.put("faults_reverted", r.reverted());
      data.put("faults_failed", r.failed());
      data.put("reverted_at", r.revertedAt().toString());
      data.put("check_to_reverted_us", r.checkToReverted().toNanos() / 1000);
      int n = r.reverted() + r.failed();
      String message = n == 0 ? "no fault was active"
          : r.failed() == 0 ? (n == 1 ? "the active fault was reverted" : "all " + n + " active faults were reverted")
          : r.reverted() + " of " + n + " active faults were reverted; " + r.failed() + " could not be";
      emit(EventType.BREACH_REVERTED, message, null, data);
    }

    private Map<String, Object> breachData(Breach b) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("kind", b.kind().word());
      data.put("name", b.name());
      data.put("severity", b.severity().name());
      data.put("condition", b.condition());
      data.put("value", b.value());
      data.put("threshold", b.threshold().orElse(null));
      data.put("error", b.error().orElse(null));
      data.put("checked_at", b.checkedAt().toString());
      data.put("reason", b.abort().getMessage());
      return data;
    }
  }
}
