package dev.faultline.cli;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Stmt;
import dev.faultline.embed.Faultline;
import dev.faultline.fault.FaultJournal;
import dev.faultline.report.ReportJson;
import dev.faultline.report.TerminalPrinter;
import dev.faultline.run.ExitCode;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.Preflight;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.source.PlaybookError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline run FILE}: checks the playbook and the options, runs the selected scenarios with
 * live output, writes {@code report.json} and prints its path as the last line. Exit codes as
 * {@link ExitCode} documents them.
 *
 * <p>Ctrl-C and SIGTERM cancel the run instead of killing it: the shutdown hook waits until every
 * fault is reverted and the report is written, then ends the process with the run's exit code.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    description = "Runs a playbook's scenarios and writes report.json.",
    footer = {"", "Exit codes: 0 passed, 1 a scenario failed, 2 bad input (nothing was run), 3 aborted, 4 a revert failed.",
        "", "Examples:", "  faultline run playbooks/magds.fl --scenario db.down --env staging",
        "  faultline run playbooks/magds.fl --tags smoke -p pg_port=5433"})
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

  @Option(names = "--dry-run", description = "Check the playbook and the options and show the scenarios that would run; run nothing.")
  boolean dryRun;

  @Option(names = "--report-dir", paramLabel = "DIR", description = "Where to write report.json (default: reports/<yyyyMMdd-HHmmss>-<playbook>/).")
  Path reportDir;

  @Option(names = "--journal", paramLabel = "DIR",
      description = "The fault journal directory, where each fault is recorded before it is injected (default: .faultline/journal).")
  Path journal;

  @Option(names = "--no-watchdog",
      description = "Start no watchdog process; if this process is killed, 'faultline recover' must revert its faults.")
  boolean noWatchdog;

  /** For golden files: every elapsed time prints, and is written to the report, as a placeholder. */
  @Option(names = "--mask-durations", hidden = true)
  boolean maskDurations;

  @Mixin
  CommonOptions common = new CommonOptions();

  private final Invocation io;
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
    scenarios.forEach(builder::scenario);
    tags.forEach(builder::tag);
    if (env != null) builder.env(env);
    params.forEach(builder::param);
    if (journal != null) builder.journalDir(journal.toAbsolutePath().normalize());
    // A watchdog watches a process: only when this command owns its JVM (not when run in-process).
    builder.watchdog(io.ownsProcess() && !noWatchdog);
    RunOptions options = builder.build();

    Preflight.Plan plan;
    try {
      plan = faultline.plan(playbook, options);
    } catch (PlaybookError e) {
      return Problems.badInput(io, common, display, e, playbook.sources());
    }
    if (dryRun) return dryRun(playbook, plan);

    int refused = JournalNotes.refuseWhileDeadRunsPending(io, options);
    if (refused != 0) return refused;

    Path dir = reportDir != null ? reportDir : defaultReportDir(playbook.name());
    TerminalPrinter printer = TerminalPrinter.builder(io.out())
        .colour(io.colour(common.noColor))
        .maskDurations(maskDurations)
        .shortErrors(common.shortErrors())
        .sources(playbook.sources())
        .build();
    PlaybookRun run = faultline.start(playbook, options, printer);
    runJournal = run.journal();
    RunResult result = executeCancellable(run, printer, dir);
    return result.exitCode();
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
      run.cancel("stopped by a signal (Ctrl-C or SIGTERM)");
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
    try {
      RunResult result = finish(run.execute(), printer, dir);
      exit[0] = result.exitCode();
      return result;
    } finally {
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
    Path report = dir.resolve("report.json");
    try {
      ReportJson.write(result, report, maskDurations);
      io.out().println("report: " + report);
    } catch (IOException e) {
      io.out().flush();
      io.err().println("error: could not write the report to " + report + ": " + e.getMessage());
    }
    io.out().flush();
    io.err().flush();
    return result;
  }

  /**
   * What a dry run can honestly do today: the checks and the plan. Injectors have no plan mode yet,
   * so nothing is evaluated; it says so rather than pretend.
   */
  private int dryRun(LoadedPlaybook playbook, Preflight.Plan plan) {
    var out = io.out();
    out.println("playbook \"" + playbook.name() + "\" (" + playbook.main().file() + ")"
        + plan.profile().map(p -> ", profile " + p.name()).orElse(""));
    out.println("dry run: the playbook and the options are valid; nothing was run and nothing was injected");
    out.println("dry run: injectors have no plan mode yet, so faults, targets and durations are not shown");
    int n = plan.scenarios().size();
    out.println("");
    out.println(n == 0 ? "no scenario would run" : "would run " + n + (n == 1 ? " scenario:" : " scenarios:"));
    for (Decl.Scenario s : plan.scenarios()) {
      out.println("  scenario \"" + s.id() + "\"" + (s.tags().isEmpty() ? "" : " [" + String.join(", ", s.tags()) + "]"));
      for (Stmt st : s.body().stmts()) {
        if (st instanceof Decl.Step step) out.println("    step \"" + step.name() + "\"");
      }
    }
    out.flush();
    return ExitCode.PASSED;
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
