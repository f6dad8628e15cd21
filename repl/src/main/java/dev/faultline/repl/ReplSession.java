package dev.faultline.repl;

import dev.faultline.ast.Decl;
import dev.faultline.embed.Faultline;
import dev.faultline.fault.ActiveFault;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Interrupted;
import dev.faultline.report.ReportJson;
import dev.faultline.report.TerminalPrinter;
import dev.faultline.run.ExitCode;
import dev.faultline.run.InteractiveRun;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.source.PlaybookError;
import dev.faultline.value.Values;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * One game-day session at the prompt: reads input with JLine, runs REPL commands
 * ({@link Command}) and statements of the language on an {@link InteractiveRun}, so that the
 * fault lifecycle, journal, watchdog, guards and report are those of {@code faultline run}, and
 * ends by reverting every fault and writing {@code report.json} and {@code transcript.txt}.
 *
 * <p>Safety: Ctrl-C interrupts the running statement, never the session; a guard breach reverts
 * every fault (on the guard thread) and is printed above the prompt; {@link #terminate} (SIGTERM,
 * SIGHUP) and quitting revert everything. Stepping: {@code step ID} runs a scenario whose steps
 * pause at the run's {@link PlaybookRun.StepGate}, where a nested prompt takes statements and
 * commands until {@code step}, {@code continue} or {@code stop all}.
 *
 * <p>Threading: input is read and run on the thread that calls {@link #run}; events are printed
 * from whichever thread emits them; {@link #terminate} and the Ctrl-C handler run on signal threads.
 */
public final class ReplSession {
  /** Rationale: a revert may retry with backoff; a signal should not cut that short, but must not wait forever. */
  private static final long SIGNAL_GRACE_SECONDS = 60;
  static final String PROMPT = "faultline> ";
  private static final String CONTINUATION = "      ...> ";

  /**
   * How a session behaves. {@code interactive}: a person at a terminal (quitting with active faults
   * asks first); {@code statusLine}: show the live bottom line when the terminal can.
   */
  public record Settings(Path reportDir, Path historyFile, boolean interactive, boolean statusLine, boolean colour,
      boolean shortErrors, boolean debug) {}

  /** How the session ended: its result, where the report is, and the exit code (0, or 4 when a revert failed). */
  public record Ended(RunResult result, Path report, int exitCode) {}

  /** What a nested prompt at a paused step asks of the scenario. */
  private enum Resume { STEP, CONTINUE, ABORT, QUIT }

  private final InteractiveRun run;
  /** The report's formats at the session's end. */
  private final java.util.Set<dev.faultline.report.ReportFormat> formats;
  private final HostRegistry registry;
  private final LoadedPlaybook playbook;
  private final Terminal terminal;
  private final LineReader reader;
  private final Settings settings;
  private final Console console;
  private final Transcript transcript;
  private final TerminalPrinter printer;
  private final Statements statements;
  private final StatusLine status;
  private final List<Runnable> stopAllHooks = new CopyOnWriteArrayList<>();

  private final AtomicInteger ctrlC = new AtomicInteger();
  private final AtomicBoolean ending = new AtomicBoolean();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Ended outcome;
  private volatile boolean evaluating;
  private volatile boolean reading;
  /** Whether steps pause before they run: set by 'step', cleared by 'continue'. */
  private volatile boolean stepping;
  /** The scenario and step paused at, for the prompt and the status line; null when none is. */
  private volatile String pausedAt;
  private boolean quitRequested;

  private ReplSession(Builder b, InteractiveRun run, LineReader reader, Console console, Transcript transcript,
      TerminalPrinter printer, StatusLine status) {
    this.run = run;
    this.registry = b.faultline.registry().with(b.playbook.hookFunctions()); // the playbook's JavaScript hooks are functions here too
    this.playbook = b.playbook;
    this.terminal = b.terminal;
    this.reader = reader;
    this.settings = b.settings;
    this.console = console;
    this.transcript = transcript;
    this.printer = printer;
    this.status = status;
    this.statements = new Statements(run, new InputChecker(registry, playbook), console, settings);
    this.formats = b.formats;
  }

  public static Builder builder(Faultline faultline, LoadedPlaybook playbook, RunOptions options, Terminal terminal, Settings settings) {
    return new Builder(faultline, playbook, options, terminal, settings);
  }

  /** Wires a session: the terminal's reader, the transcript, the run with its printer, then the playbook's setup. */
  public static final class Builder {
    private final Faultline faultline;
    private final LoadedPlaybook playbook;
    private final RunOptions options;
    private final Terminal terminal;
    private final Settings settings;
    private java.util.Set<dev.faultline.report.ReportFormat> formats =
        dev.faultline.report.ReportFormat.parse(dev.faultline.report.ReportFormat.DEFAULTS);
    private final java.util.List<dev.faultline.report.RunListener> extraListeners = new java.util.ArrayList<>();
    private final java.util.List<java.util.function.Consumer<PlaybookRun>> onStarted = new java.util.ArrayList<>();

    private Builder(Faultline faultline, LoadedPlaybook playbook, RunOptions options, Terminal terminal, Settings settings) {
      this.faultline = faultline;
      this.playbook = playbook;
      this.options = options;
      this.terminal = terminal;
      this.settings = settings;
    }

    /** Told about every event of the session's run besides the printer (metrics), and given the run once it starts. */
    public Builder listener(dev.faultline.report.RunListener value, java.util.function.Consumer<PlaybookRun> started) {
      extraListeners.add(value);
      onStarted.add(started);
      return this;
    }

    /** The formats the session's report is written in at its end (as {@code faultline run --report}); json and md by default. */
    public Builder reportFormats(java.util.Set<dev.faultline.report.ReportFormat> value) {
      formats = java.util.EnumSet.copyOf(value);
      return this;
    }

    /**
     * Starts the run and runs the playbook's setup, printing its events. Throws
     * {@link PlaybookError} for what {@code faultline run} refuses before anything runs.
     */
    public ReplSession start() {
      Completion completion = new Completion(faultline.registry().with(playbook.hookFunctions()), null);
      LineReaderBuilder rb = LineReaderBuilder.builder().terminal(terminal).appName("faultline")
          .parser(new InputParser())
          .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
          .variable(LineReader.HISTORY_SIZE, 5000)
          .variable(LineReader.HISTORY_FILE_SIZE, 5000)
          .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
          .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
          .option(LineReader.Option.INSERT_TAB, false);
      if (settings.historyFile() != null) rb.variable(LineReader.HISTORY_FILE, settings.historyFile());
      LineReader reader = rb.build();
      Transcript transcript = Transcript.open(settings.reportDir());
      Console console = new Console(reader, transcript, settings.colour());
      TerminalPrinter printer = TerminalPrinter.builder(console.stream()).colour(settings.colour())
          .shortErrors(settings.shortErrors()).sources(playbook.sources()).build();
      if (transcript.problem() != null) console.println("warning: " + transcript.problem());
      java.util.List<dev.faultline.report.RunListener> all = new java.util.ArrayList<>(java.util.List.of(printer));
      all.addAll(extraListeners);
      PlaybookRun playbookRun = faultline.start(playbook, options, all.toArray(dev.faultline.report.RunListener[]::new));
      onStarted.forEach(c -> c.accept(playbookRun));
      StatusLine status = StatusLine.start(terminal, settings.statusLine() && settings.interactive(), new Painter(reader, console));
      ReplSession[] self = new ReplSession[1];
      playbookRun.stepGate((scenario, step) -> self[0].beforeStep(scenario, step));
      InteractiveRun run = playbookRun.interactive();
      ReplSession session = new ReplSession(this, run, reader, console, transcript, printer, status);
      self[0] = session;
      completion.environment(run.environment());
      ((org.jline.reader.impl.LineReaderImpl) reader).setCompleter(completion);
      session.statusSegments();
      return session;
    }
  }

  /**
   * Draws the status line where nothing else writes at the same time: through a widget of the line
   * reader while it reads (widgets run under the reader's lock, like its own drawing), otherwise
   * under the lock of the session's other output.
   */
  private static final class Painter implements java.util.function.Consumer<Runnable> {
    private static final String WIDGET = "faultline-status";
    private final LineReader reader;
    private final Console console;
    private volatile Runnable pending;

    Painter(LineReader reader, Console console) {
      this.reader = reader;
      this.console = console;
      reader.getWidgets().put(WIDGET, () -> {
        Runnable r = pending;
        if (r != null) r.run();
        return true;
      });
    }

    @Override
    public synchronized void accept(Runnable draw) {
      if (reader.isReading()) {
        pending = draw;
        try {
          reader.callWidget(WIDGET);
          return;
        } catch (IllegalStateException notReading) {
          // The line was accepted meanwhile: draw under the output lock instead.
        } finally {
          pending = null;
        }
      }
      synchronized (console) {
        draw.run();
      }
    }
  }

  /** Adds a segment to the status line (see {@link StatusLine}): running traffic plugs in here. */
  public void addStatusSegment(java.util.function.Supplier<String> segment) {
    status.add(segment);
  }

  /** Work that {@code stop all} stops besides scenarios and faults (background traffic plugs in here). */
  public void onStopAll(Runnable stop) {
    stopAllHooks.add(stop);
  }

  private void statusSegments() {
    status.add(() -> {
      int n = run.run().faults().active().size();
      return n == 0 ? "no fault active" : n == 1 ? "1 fault active" : n + " faults active";
    });
    status.add(() -> {
      var guards = run.run().guards();
      if (guards.guards().isEmpty()) return "no guards";
      if (guards.isBreached()) return "guard BREACHED";
      long failing = guards.guards().stream().filter(g -> g.lastHeld().map(h -> !h).orElse(false)).count();
      return failing > 0 ? failing + " guard(s) failing" : "guards ok (" + guards.guards().size() + ")";
    });
    status.add(() -> pausedAt == null ? null : "paused: " + pausedAt);
    // Background traffic of the session: its rate, error rate and p95 over the last 10 seconds.
    status.add(() -> run.run().measurements().liveTrafficStatus());
    // stop all (and SIGTERM, SIGHUP) stops every background traffic too.
    onStopAll(() -> run.run().measurements().liveTraffic().forEach(dev.faultline.measure.LiveTraffic::halt));
  }

  /** The status line's text now, whether or not a status line is drawn (for tests and scripts). */
  String statusText() {
    return status.text();
  }

  public InteractiveRun interactiveRun() {
    return run;
  }

  // ------------------------------------------------------------ the loop

  /** Reads and runs input until quit or end of input, then ends the session; returns how it ended. */
  public Ended run() {
    banner();
    try {
      loop(false);
    } catch (RuntimeException | Error e) {
      console.println("internal error: " + e + " - ending the session; every fault is reverted");
      if (settings.debug()) console.println(stackTrace(e));
    }
    return finish();
  }

  private void banner() {
    console.println("faultline repl: 'help' lists the commands, Tab completes, 'quit' or Ctrl-D ends the session");
    run.setupError().ifPresent(d -> console.println(
        statements.render(d) + "the playbook's setup failed; what it did not define is missing from the session"));
  }

  /** Reads inputs until quit; nested, at a paused step, until the scenario may go on. */
  private Resume loop(boolean nested) {
    while (true) {
      if (nested && run.run().cancellation().isCancelled()) {
        console.println("the paused scenario is stopped: " + run.run().cancellation().reason());
        return Resume.ABORT;
      }
      String line;
      reading = true;
      try {
        line = reader.readLine(prompt());
      } catch (UserInterruptException e) {
        if (e.getPartialLine() == null || e.getPartialLine().isBlank()) {
          console.println("(Ctrl-C interrupts a running statement; to quit type 'quit' or press Ctrl-D: every active fault is reverted first)");
        }
        continue;
      } catch (EndOfFileException e) {
        if (!settings.interactive()) echo("");
        if (confirmQuit()) return Resume.QUIT;
        continue;
      } catch (java.io.IOError e) {
        // The terminal is gone (SIGHUP): end as a quit without asking.
        return Resume.QUIT;
      } finally {
        reading = false;
      }
      if (ending.get()) return Resume.QUIT;
      if (!settings.interactive()) echo(line);
      if (line.isBlank()) continue;
      transcript.input(prompt(), line);
      Resume r = handle(line, nested);
      if (r != null) return r;
      if (quitRequested && !nested) return Resume.QUIT;
    }
  }

  /** On a pipe nothing echoes the input: it is printed after the prompt, so that the output reads as a transcript. */
  private void echo(String line) {
    terminal.writer().println(line.replace("\n", "\n" + CONTINUATION));
    terminal.writer().flush();
  }

  private String prompt() {
    String at = pausedAt;
    return at == null ? PROMPT : "faultline [" + at + "]> ";
  }

  /** Runs one input; returns what the loop should do, or null to read the next input. */
  private Resume handle(String line, boolean nested) {
    boolean outer = evaluating;  // at a paused step, the scenario around this input still runs
    evaluating = true;
    ctrlC.set(0);
    try {
      if (!nested) run.recover();
      Optional<String> unknown = Command.unknown(line);
      if (unknown.isPresent()) {
        console.println("error: " + unknown.get());
        return null;
      }
      Optional<Command> command = Command.parse(line);
      run.input(line.strip());
      if (command.isPresent()) return command(command.get(), nested);
      statements.run(line);
      return null;
    } finally {
      evaluating = outer;
      if (!nested) run.recover();
      status.refresh();
    }
  }

  // ------------------------------------------------------------ commands

  private Resume command(Command c, boolean nested) {
    switch (c.word()) {
      case "scenarios" -> say(Views.scenarios(allScenarios()));
      case "faults" -> say(Views.faults(run.run().faults().active(), Instant.now()));
      case "guards" -> say(Views.guards(run.run().guards(), run.run().faults().hasActive()));
      case "revert all" -> revertAll();
      case "stop all" -> {
        stopAll();
        if (nested) return Resume.ABORT;
      }
      case "report" -> writeReport();
      case "help" -> help(c.argument());
      case "quit", "exit" -> {
        if (confirmQuit()) {
          if (nested) {
            quitRequested = true;
            return Resume.QUIT;
          }
          return Resume.QUIT;
        }
      }
      case "run", "step" -> {
        if (c.word().equals("step") && c.argument() == null) {
          if (nested) return Resume.STEP;
          say("error: no scenario is paused; start one with 'step ID' ('scenarios' lists them)");
          return null;
        }
        if (nested) {
          say("error: scenario " + pausedAt + " is paused; 'step' or 'continue' runs it, 'stop all' stops it");
          return null;
        }
        if (c.argument() == null) {
          say("error: 'run' needs a scenario id, e.g. run " + allScenarios().stream().findFirst().map(Decl.Scenario::id).orElse("checkout.latency"));
          return null;
        }
        runScenario(c.argument(), c.word().equals("step"));
      }
      case "continue" -> {
        if (nested) return Resume.CONTINUE;
        say("error: no scenario is paused; 'continue' goes on with one paused by 'step'");
      }
      default -> say("error: unknown command " + c.word());
    }
    return null;
  }

  private void say(String text) {
    console.println(text);
  }

  private List<Decl.Scenario> allScenarios() {
    List<Decl.Scenario> all = new ArrayList<>(run.scenarios());
    for (Decl.Scenario typed : statements.typedScenarios()) {
      all.removeIf(s -> s.id().equals(typed.id()));
      all.add(typed);
    }
    return all;
  }

  private void runScenario(String id, boolean step) {
    Optional<Decl.Scenario> sc = allScenarios().stream().filter(s -> s.id().equals(id)).findFirst();
    if (sc.isEmpty()) {
      List<String> ids = allScenarios().stream().map(Decl.Scenario::id).toList();
      String close = dev.faultline.source.Suggest.didYouMean(id, ids);
      say("error: no scenario '" + id + "'" + (close != null ? "; " + close : ids.isEmpty() ? "; none is declared" : "; the scenarios are " + String.join(", ", ids)));
      return;
    }
    stepping = step;
    try {
      var result = run.runScenario(sc.get());
      run.result("scenario " + id + " " + result.status().word(), result.status() != dev.faultline.run.Status.PASSED);
    } finally {
      stepping = false;
      pausedAt = null;
    }
  }

  /** The run's step gate: pauses before each step while stepping, with a prompt of its own. */
  private void beforeStep(String scenario, Decl.Step step) {
    if (!stepping) return;
    pausedAt = scenario + " > " + step.name();
    say("paused before step \"" + step.name() + "\" of " + scenario
        + ": 'step' runs it, 'continue' runs the rest, 'stop all' stops the scenario");
    Resume r;
    try {
      status.refresh();
      r = run.paused(() -> loop(true));
    } finally {
      pausedAt = null;
    }
    switch (r) {
      case STEP -> { }
      case CONTINUE -> stepping = false;
      case ABORT -> throw new Interrupted("stopped at the prompt");
      case QUIT -> {
        quitRequested = true;
        throw new Interrupted("the session is ending");
      }
    }
  }

  private void revertAll() {
    int n = run.run().faults().active().size();
    if (n == 0) {
      say("no fault is active");
      return;
    }
    long t0 = System.nanoTime();
    int failed = run.revertAll();
    String took = Values.show(java.time.Duration.ofMillis(Math.max(0, (System.nanoTime() - t0) / 1_000_000)));
    say(failed == 0 ? "reverted " + (n == 1 ? "1 fault" : n + " faults") + " in " + took
        : console.alarm(failed + " of " + n + " faults could not be reverted and may still be in place") + " ('faults' lists what is left)");
  }

  /** Seed 001's emergency procedure: every scenario, every fault, every piece of background work, at once. */
  private void stopAll() {
    int n = run.run().faults().active().size();
    long t0 = System.nanoTime();
    int failed = run.stopAll("stopped by 'stop all'");
    for (Runnable hook : stopAllHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        say(console.alarm("could not stop background work: " + e.getMessage()));
      }
    }
    String took = Values.show(java.time.Duration.ofMillis(Math.max(0, (System.nanoTime() - t0) / 1_000_000)));
    say(failed == 0 ? "stopped: " + (n == 1 ? "1 fault" : n + " faults") + " reverted in " + took
        + (pausedAt != null ? "; the paused scenario is stopped" : "")
        : console.alarm("stopped, but " + failed + " of " + n + " faults could not be reverted and may still be in place"));
  }

  private void writeReport() {
    Path file = settings.reportDir().resolve("report.json");
    try {
      ReportJson.write(run.resultSoFar(), file, false);
      say("report so far: " + file);
    } catch (IOException e) {
      say("error: could not write the report to " + file + ": " + e.getMessage());
    }
  }

  private void help(String name) {
    say(Help.of(name, registry, run.environment()));
  }

  // ------------------------------------------------------------ quitting and signals

  /** Whether to quit now: always on a pipe; at a terminal with active faults, after asking once. */
  private boolean confirmQuit() {
    List<ActiveFault> active = run.run().faults().active();
    if (active.isEmpty() || !settings.interactive() || ending.get()) return true;
    say(Views.faults(active, Instant.now()));
    try {
      reading = true;
      String answer = reader.readLine("revert " + (active.size() == 1 ? "it" : "all " + active.size()) + " and quit? [y/N] ");
      return answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    } catch (EndOfFileException e) {
      return true;  // Ctrl-D again: yes
    } catch (UserInterruptException e) {
      return false;
    } finally {
      reading = false;
    }
  }

  /** Called on the Ctrl-C signal while a statement runs: interrupts it; a second one reports progress. */
  public void interrupt() {
    if (!evaluating || reading) return;  // at the prompt JLine turns Ctrl-C into UserInterruptException
    if (ctrlC.incrementAndGet() == 1) {
      console.println("^C interrupting the running statement...");
      run.run().cancel("interrupted by Ctrl-C");
    } else {
      int pending = run.run().faults().pending();
      console.println(pending > 0 ? "still reverting " + pending + " faults... (reverts are never skipped)" : "still stopping...");
    }
  }

  /**
   * SIGTERM or SIGHUP, on a signal thread: stops the running statement, reverts every fault at once,
   * waits (up to a minute) for the evaluating thread to stop, then ends the session here.
   */
  public Ended terminate(String words) {
    if (ending.get()) return awaitEnd();
    console.println("faultline: " + words + ": stopping; every fault is reverted and the report is written");
    run.stopAll("stopped by " + words);
    for (Runnable hook : stopAllHooks) {
      try {
        hook.run();
      } catch (RuntimeException ignored) {
        // The session ends anyway; the faults are what matters.
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SIGNAL_GRACE_SECONDS);
    while (evaluating && !reading && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return finish();
  }

  private Ended awaitEnd() {
    try {
      ended.await(SIGNAL_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return outcome;
  }

  /** Ends the session once: every fault reverted, the summary printed, report.json written. */
  private Ended finish() {
    if (!ending.compareAndSet(false, true)) return awaitEnd();
    try {
      int n = run.run().faults().active().size();
      if (n > 0) say("reverting " + (n == 1 ? "1 active fault" : n + " active faults") + " before quitting...");
      RunResult result = run.end();
      playbook.closeHooks();
      status.close();
      printer.summary(result);
      Path file = settings.reportDir().resolve("report.json");
      try {
        for (Path written : dev.faultline.report.ReportFormat.writeAll(result, settings.reportDir(), formats, false)) say("report: " + written);
      } catch (IOException e) {
        say("error: could not write the report to " + settings.reportDir() + ": " + e.getMessage());
      }
      say("transcript: " + transcript.file());
      transcript.close();
      try {
        reader.getHistory().save();
      } catch (IOException | RuntimeException e) {
        // History is a convenience: a read-only home directory must not fail the session's end.
      }
      int exit = result.revertFailures().isEmpty() ? ExitCode.PASSED : ExitCode.REVERT_FAILED;
      outcome = new Ended(result, file, exit);
      return outcome;
    } finally {
      ended.countDown();
    }
  }

  public Terminal terminal() {
    return terminal;
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
