package dev.faultline.cli;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.fault.RollbackStrategy;
import dev.faultline.fault.FaultJournal;
import dev.faultline.metrics.MetricsEndpoint;
import dev.faultline.report.ProgressLog;
import dev.faultline.report.ReportFormat;
import dev.faultline.report.RunListener;
import dev.faultline.report.TerminalPrinter;
import dev.faultline.run.DryRun;
import dev.faultline.run.ExitCode;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.source.PlaybookError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code faultline run FILE}: checks the playbook and the options, runs the selected scenarios with
 * live output, writes {@code report.json} and prints its path as the last line. Exit codes as
 * {@link ExitCode} documents them.
 *
 * <p>Ctrl-C and SIGTERM cancel the run instead of killing it ({@link Signals}): the running
 * statement is interrupted, every fault is reverted, rollback blocks run, the report is written and
 * the command exits 3. A second Ctrl-C or SIGTERM never skips that work; it prints its progress.
 * Other ways the JVM is asked to end (SIGHUP) go through a shutdown hook that cancels the run the same
 * way and waits for it.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    description = "Runs a playbook's scenarios and writes report.json.",
    footer = {"", "Exit codes: 0 passed, 1 a scenario failed, 2 bad input (nothing was run), 3 aborted, 4 a revert failed.",
        "", "Examples:", "  faultline run playbooks/magds.fl --scenario db.down --env staging --allow db,net",
        "  faultline run playbooks/magds.fl --tags smoke -p pg_port=5433",
        "  faultline run playbooks/magds.fl --dry-run"})
final class RunCommand implements Callable<Integer> {
  /** Rationale: a revert may retry with backoff; a signal should not cut that short, but must not wait forever. */
  private static final long SIGNAL_GRACE_SECONDS = 60;

  @Parameters(index = "0", paramLabel = "FILE", description = "The playbook to run (a .fl file).")
  String file;

  @Option(names = "--scenario", split = ",", paramLabel = "ID", description = "Run only these scenarios (comma-separated ids; repeatable).")
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Run only scenarios with one of these tags (comma-separated; repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--env", paramLabel = "NAME", description = "The profile to run with (its SLOs, limits and intensities).")
  String env;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Sets a declared param, e.g. -p pg_port=5433 (repeatable).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--allow", paramLabel = "exec,fs,docker,db,net|all", converter = CapabilitiesConverter.class,
      description = "Lets the playbook have these kinds of side effect: run commands (exec), change files (fs), act on Docker"
          + " (docker) or databases (db), open listening ports (net); 'all' grants every one (comma-separated; repeatable)."
          + " A call that needs one not granted is an error before anything runs.")
  List<Grant> allow = new ArrayList<>();

  /** One {@code --allow} value: the capabilities it names. */
  record Grant(Set<Capability> capabilities) {}

  @Option(names = "--dry-run", arity = "0..1", fallbackValue = "plan", paramLabel = "probes", preprocessor = DryRunValue.class,
      converter = DryRunConverter.class,
      description = "Plan the run without touching anything: print, per step, what would be injected, where, for how long and"
          + " under which guards. Nothing is injected, started or waited for, and no permission is needed."
          + " --dry-run=probes also runs the probes that only read (HTTP, TCP).")
  DryRun dryRun = DryRun.OFF;

  @Option(names = "--rollback", paramLabel = "always|on-failure|never", converter = StrategyConverter.class,
      description = "When rollback { } blocks run: always (default), on-failure (only in a scope that failed or was aborted) or never. "
          + "Overrides the playbook's rollback_strategy. Faults are reverted whatever this says.")
  RollbackStrategy rollback;

  @Option(names = "--revert-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The longest one revert attempt may take (e.g. 500ms, 10s, 1m; default 10s); a revert that takes longer is "
          + "reported as failed (exit 4) and the reverts after it proceed.")
  Duration revertTimeout;

  @Option(names = "--report-dir", paramLabel = "DIR", description = "Where to write the report (default: reports/<yyyyMMdd-HHmmss>-<playbook>/).")
  Path reportDir;

  @Option(names = "--report", paramLabel = "FORMATS", defaultValue = dev.faultline.report.ReportFormat.DEFAULTS,
      description = "The report's formats, comma-separated: json (report.json), md (report.md), junit (junit.xml), html (report.html). Default: json,md.")
  String reportFormats;

  @Option(names = "--journal", paramLabel = "DIR",
      description = "The fault journal directory, where each fault is recorded before it is injected (default: .faultline/journal).")
  Path journal;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics of this run on http://127.0.0.1:PORT/metrics while it runs (0 picks a free port).")
  Integer metricsPort;

  @Option(names = "--no-progress",
      description = "No progress: neither the live line at the bottom of a terminal nor, on a pipe or in a CI log, the timestamped"
          + " event lines on standard error.")
  boolean noProgress;

  @Option(names = "--no-watchdog",
      description = "Start no watchdog process; if this process is killed, 'faultline recover' must revert its faults.")
  boolean noWatchdog;

  /** For golden files: every elapsed time prints, and is written to the report, as a placeholder. */
  @Option(names = "--mask-durations", hidden = true)
  boolean maskDurations;

  @Mixin
  CommonOptions common = new CommonOptions();

  /** Where output goes; on a terminal with a progress line, through it. */
  private Invocation io;
  /** The report formats, parsed from {@link #reportFormats} before the run. */
  private java.util.Set<ReportFormat> formats;
  /** The journal of the run being executed, for the note on faults it could not revert. */
  private FaultJournal runJournal;

  RunCommand(Invocation io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Faultline faultline = Playbooks.interpreter();
    Playbooks.Loaded loaded = Playbooks.load(io, common, faultline, file, true);
    if (!loaded.ok()) return loaded.exitCode();
    LoadedPlaybook playbook = loaded.playbook();
    String display = Problems.displayName(Path.of(file));

    RunOptions.Builder builder = RunOptions.builder().dryRun(dryRun);
    allow.forEach(g -> builder.allow(g.capabilities()));
    scenarios.forEach(builder::scenario);
    tags.forEach(builder::tag);
    if (env != null) builder.env(env);
    params.forEach(builder::param);
    if (rollback != null) builder.rollbackStrategy(rollback);
    if (revertTimeout != null) builder.revertTimeout(revertTimeout);
    if (journal != null) builder.journalDir(journal.toAbsolutePath().normalize());
    // A watchdog watches a process: only when this command owns its JVM (not when run in-process).
    builder.watchdog(io.ownsProcess() && !noWatchdog);
    RunOptions options = builder.build();

    try {
      faultline.plan(playbook, options);  // options and permissions: every problem at once, before anything runs
    } catch (PlaybookError e) {
      return Problems.badInput(io, common, display, e, playbook.sources());
    }
    // A dry run touches nothing, so faults a dead run left behind do not stop it.
    int refused = options.dryRun() ? 0 : JournalNotes.refuseWhileDeadRunsPending(io, options);
    if (refused != 0) return refused;

    try {
      formats = ReportFormat.parse(reportFormats);
    } catch (IllegalArgumentException e) {
      io.err().println("error: --report: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    Path dir = reportDir != null ? reportDir : defaultReportDir(playbook.name());
    // A live bottom line on a real terminal; elsewhere (a pipe, a CI log) timestamped event lines on
    // standard error, so that standard output holds the same step lines in both cases.
    boolean liveTerminal = io.terminal() && !"dumb".equals(io.env().get("TERM"));
    ProgressLine progress = liveTerminal && !noProgress ? new ProgressLine(io.out(), true) : null;
    ProgressLog progressLog = !liveTerminal && !noProgress ? new ProgressLog(io.err(), maskDurations) : null;
    if (progress != null) io = new Invocation(progress.out(), io.err(), io.env(), io.terminal(), io.ownsProcess());
    TerminalPrinter printer = TerminalPrinter.builder(io.out())
        .colour(io.colour(common.noColor))
        .maskDurations(maskDurations)
        .shortErrors(common.shortErrors())
        .sources(playbook.sources())
        .build();
    MetricsEndpoint metrics = null;
    if (metricsPort != null) {
      try {
        metrics = MetricsEndpoint.start("127.0.0.1", metricsPort);
      } catch (java.io.UncheckedIOException e) {
        io.err().println("error: " + e.getMessage());
        io.err().println("  = help: choose another --metrics-port, or 0 for a free one");
        return ExitCode.BAD_INPUT;
      }
      io.out().println("metrics: " + metrics.url());
    }
    try {
      List<RunListener> listeners = new ArrayList<>(List.of(printer));
      if (metrics != null) listeners.add(metrics.metrics());
      if (progress != null) listeners.add(progress);
      if (progressLog != null) listeners.add(progressLog);
      PlaybookRun run = faultline.start(playbook, options, listeners.toArray(RunListener[]::new));
      if (metrics != null) metrics.metrics().watch(run);
      if (progress != null) progress.extra(run.measurements()::liveTrafficStatus);
      runJournal = run.journal();
      RunResult result = executeCancellable(run, printer, dir);
      return result.exitCode();
    } finally {
      if (progress != null) progress.close();
      if (metrics != null) metrics.close();
    }
  }

  /**
   * Runs to the end, then prints the summary and writes the report. When this call owns the
   * process, a signal cancels the run and the hook waits for all of that before the JVM ends.
   */
  private RunResult executeCancellable(PlaybookRun run, TerminalPrinter printer, Path dir) {
    if (!io.ownsProcess()) return finish(run.execute(), printer, dir);
    CountDownLatch done = new CountDownLatch(1);
    int[] exit = {ExitCode.ABORTED};
    Thread hook = new Thread(() -> {
      run.cancel("stopped: the process was asked to end");
      try {
        if (done.await(SIGNAL_GRACE_SECONDS, TimeUnit.SECONDS)) {
          io.out().flush();
          Runtime.getRuntime().halt(exit[0]);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "faultline-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals signals = Signals.install(run, io.err());
    try {
      RunResult result = run.execute();
      signals.runEnded();
      result = finish(result, printer, dir);
      exit[0] = result.exitCode();
      return result;
    } finally {
      signals.close();
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it halts with the run's exit code now that the run is done.
      }
    }
  }

  private RunResult finish(RunResult result, TerminalPrinter printer, Path dir) {
    printer.summary(result);
    JournalNotes.leftInJournal(io, runJournal);
    if (common.debug) {
      // Internal errors inside steps keep their Java stack trace in the event; show it only when asked.
      for (var event : result.events()) {
        Object trace = event.data().get("exception");
        if (trace != null) io.err().print("debug: " + event.message() + "\n" + trace);
      }
    }
    try {
      for (Path report : ReportFormat.writeAll(result, dir, formats, maskDurations)) io.out().println("report: " + report);
    } catch (IOException e) {
      io.out().flush();
      io.err().println("error: could not write the report to " + dir + ": " + e.getMessage());
    }
    io.out().flush();
    io.err().flush();
    return result;
  }

  /** {@code --allow fs,exec} or {@code --allow all}: an unknown word is a usage error (exit 2). */
  static final class CapabilitiesConverter implements ITypeConverter<Grant> {
    @Override
    public Grant convert(String value) {
      try {
        return new Grant(Capability.parse(value));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --dry-run} is {@code plan}; {@code --dry-run=probes} also runs probes. */
  static final class DryRunConverter implements ITypeConverter<DryRun> {
    @Override
    public DryRun convert(String value) {
      return switch (value) {
        case "plan" -> DryRun.PLAN;
        case "probes" -> DryRun.PROBES;
        default -> throw new TypeConversionException("'" + value + "' is not a kind of dry run; write --dry-run, or --dry-run=probes to run probes too");
      };
    }
  }

  /**
   * Takes a value only when it is attached ({@code --dry-run=probes}). Rationale: with an optional
   * value, {@code run --dry-run playbook.fl} would read the playbook's name as the kind of dry run.
   */
  static final class DryRunValue implements IParameterPreprocessor {
    @Override
    public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
      if (!"=".equals(info.get("separator"))) args.push("plan");
      return false;
    }
  }

  /** {@code always}, {@code on-failure} (or {@code on_failure}), {@code never}. */
  static final class StrategyConverter implements picocli.CommandLine.ITypeConverter<RollbackStrategy> {
    @Override
    public RollbackStrategy convert(String value) {
      try {
        return RollbackStrategy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** A duration as playbooks write it: {@code 500ms}, {@code 10s}, {@code 2m}. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)");

    @Override
    public Duration convert(String value) {
      java.util.regex.Matcher m = FORM.matcher(value.strip());
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a positive duration; write e.g. 500ms, 10s or 1m");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMinutes(n);
      };
    }
  }

  /** {@code reports/20250101-120000-magds-chaos/}, made unique if two runs start in the same second. */
  static Path defaultReportDir(String playbookName) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String name = playbookName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    if (name.isEmpty()) name = "playbook";
    Path base = Path.of("reports", stamp + "-" + name);
    Path dir = base;
    for (int i = 2; Files.exists(dir); i++) dir = Path.of(base + "-" + i);
    return dir;
  }
}
