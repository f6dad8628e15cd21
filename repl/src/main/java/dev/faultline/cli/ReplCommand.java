package dev.faultline.cli;

import dev.faultline.embed.Faultline;
import dev.faultline.repl.ReplSession;
import dev.faultline.run.ExitCode;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import dev.faultline.source.PlaybookError;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code faultline repl [FILE]}: the game-day REPL (see docs/repl.md and {@link ReplSession}). With a
 * FILE, the playbook's params, profile, top-level names and guards are the session's, and its
 * scenarios can be run or stepped through. Exit code 0, or 4 when a revert failed; 2 for bad input
 * before the session starts.
 *
 * <p>Signals: Ctrl-C interrupts the running statement (through the terminal's INT handler); SIGTERM
 * and SIGHUP (the terminal closed) revert every fault, write the report and transcript, and exit.
 */
@Command(name = "repl", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    description = "Starts the game-day REPL: inject, watch and revert faults live, step through a playbook.",
    footer = {"", "Exit codes: 0 ended normally, 2 bad input (nothing was run), 4 a revert failed.",
        "", "Examples:", "  faultline repl", "  faultline repl playbooks/quickstart.fl --env dev --allow net",
        "  faultline repl playbooks/magds.fl < gameday.txt     (a scripted session)"})
final class ReplCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "A playbook whose params, profile, top-level names, guards and scenarios the session gets.")
  String file;

  @Option(names = "--env", paramLabel = "NAME", description = "The profile to use (its SLOs, limits and intensities).")
  String env;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Sets a declared param, e.g. -p pg_port=5433 (repeatable).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--allow", paramLabel = "exec,fs,docker,db,net|all", converter = RunCommand.CapabilitiesConverter.class,
      description = "Lets the session have these kinds of side effect, as for 'faultline run' (comma-separated; repeatable).")
  List<RunCommand.Grant> allow = new ArrayList<>();

  @Option(names = "--report-dir", paramLabel = "DIR",
      description = "Where to write the report and transcript.txt (default: reports/<yyyyMMdd-HHmmss>-<playbook>/).")
  Path reportDir;

  @Option(names = "--report", paramLabel = "FORMATS", defaultValue = dev.faultline.report.ReportFormat.DEFAULTS,
      description = "The formats of the report written at the end: json, md, junit, html, comma-separated (default: json,md).")
  String reportFormats;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics of the session on http://127.0.0.1:PORT/metrics while it lasts (0 picks a free port).")
  Integer metricsPort;

  @Option(names = "--journal", paramLabel = "DIR", description = "The fault journal directory (default: .faultline/journal).")
  Path journal;

  @Option(names = "--no-watchdog", description = "Start no watchdog process; if this process is killed, 'faultline recover' must revert its faults.")
  boolean noWatchdog;

  @Option(names = "--revert-timeout", paramLabel = "DURATION", converter = RunCommand.DurationConverter.class,
      description = "The longest one revert attempt may take (default 10s).")
  Duration revertTimeout;

  @Option(names = "--history", paramLabel = "FILE", description = "The history file (default: ~/.faultline_history).")
  Path history;

  @Option(names = "--no-status", description = "Do not show the live status line at the bottom of the terminal.")
  boolean noStatus;

  @Mixin
  CommonOptions common = new CommonOptions();

  private final Invocation io;

  ReplCommand(Invocation io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    Faultline faultline = Playbooks.interpreter();
    LoadedPlaybook playbook;
    String display;
    if (file != null) {
      Playbooks.Loaded loaded = Playbooks.load(io, common, faultline, file, true);
      if (!loaded.ok()) return loaded.exitCode();
      playbook = loaded.playbook();
      display = Problems.displayName(Path.of(file));
    } else {
      playbook = faultline.load("repl", "playbook \"repl\" { }");
      display = "the session";
    }
    RunOptions.Builder builder = RunOptions.builder();
    allow.forEach(g -> builder.allow(g.capabilities()));
    if (env != null) builder.env(env);
    params.forEach(builder::param);
    if (revertTimeout != null) builder.revertTimeout(revertTimeout);
    if (journal != null) builder.journalDir(journal.toAbsolutePath().normalize());
    builder.watchdog(io.ownsProcess() && !noWatchdog);
    RunOptions options = builder.build();
    try {
      faultline.plan(playbook, options);
    } catch (PlaybookError e) {
      return Problems.badInput(io, common, display, e, playbook.sources());
    }
    int refused = JournalNotes.refuseWhileDeadRunsPending(io, options);
    if (refused != 0) return refused;

    java.util.Set<dev.faultline.report.ReportFormat> formats;
    try {
      formats = dev.faultline.report.ReportFormat.parse(reportFormats);
    } catch (IllegalArgumentException e) {
      io.err().println("error: --report: " + e.getMessage());
      return dev.faultline.run.ExitCode.BAD_INPUT;
    }
    Path dir = reportDir != null ? reportDir : RunCommand.defaultReportDir(playbook.name());
    Path historyFile = history != null ? history : Path.of(System.getProperty("user.home"), ".faultline_history");
    Terminal terminal = TerminalBuilder.builder().name("faultline").system(true).dumb(true)
        .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build();
    boolean interactive = !terminal.getType().startsWith(Terminal.TYPE_DUMB);
    ReplSession.Settings settings = new ReplSession.Settings(dir, historyFile, interactive, !noStatus,
        interactive && io.colour(common.noColor), common.shortErrors(), common.debug);
    dev.faultline.metrics.MetricsEndpoint metrics = null;
    if (metricsPort != null) {
      try {
        metrics = dev.faultline.metrics.MetricsEndpoint.start("127.0.0.1", metricsPort);
      } catch (java.io.UncheckedIOException e) {
        terminal.close();
        io.err().println("error: " + e.getMessage());
        io.err().println("  = help: choose another --metrics-port, or 0 for a free one");
        return dev.faultline.run.ExitCode.BAD_INPUT;
      }
      io.out().println("metrics: " + metrics.url());
    }
    ReplSession session;
    try {
      ReplSession.Builder sessionBuilder = ReplSession.builder(faultline, playbook, options, terminal, settings).reportFormats(formats);
      if (metrics != null) sessionBuilder.listener(metrics.metrics(), metrics.metrics()::watch);
      session = sessionBuilder.start();
    } catch (PlaybookError e) {
      terminal.close();
      if (metrics != null) metrics.close();
      return Problems.badInput(io, common, display, e, playbook.sources());
    }
    terminal.handle(Terminal.Signal.INT, sig -> session.interrupt());
    List<Runnable> restore = io.ownsProcess() ? endOnSignals(session, terminal) : List.of();
    try {
      return session.run().exitCode();
    } finally {
      restore.forEach(Runnable::run);
      terminal.close();
      if (metrics != null) metrics.close();
    }
  }

  /**
   * SIGTERM and SIGHUP end the session from the signal's thread: every fault reverted, the report
   * written, the terminal restored, then the process halts with the session's exit code. Returns
   * what puts the previous handlers back.
   */
  private List<Runnable> endOnSignals(ReplSession session, Terminal terminal) {
    List<Runnable> restore = new ArrayList<>();
    for (String[] s : new String[][] {{"TERM", "SIGTERM"}, {"HUP", "SIGHUP (the terminal was closed)"}}) {
      try {
        Signal signal = new Signal(s[0]);
        var previous = Signal.handle(signal, sig -> {
          ReplSession.Ended ended = session.terminate(s[1]);
          try {
            terminal.close();
          } catch (IOException | RuntimeException ignored) {
            // The terminal may be gone already.
          }
          io.out().flush();
          Runtime.getRuntime().halt(ended == null ? ExitCode.ABORTED : ended.exitCode());
        });
        restore.add(() -> Signal.handle(signal, previous));
      } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
        // Not on this platform: the journal and the watchdog still cover the faults.
      }
    }
    return restore;
  }
}
