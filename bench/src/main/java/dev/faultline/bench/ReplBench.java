package dev.faultline.bench;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.report.EventType;
import dev.faultline.repl.ReplSession;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * REPL emergency-command benchmark: the time from pressing Enter on {@code revert all} or
 * {@code stop all}, with 10 and 100 active faults, to every fault reverted. Run by {@code bench/repl.sh}.
 *
 * <p>Each trial is a real REPL session ({@link ReplSession} on a JLine terminal whose input is a
 * pipe, as for a scripted session) with the fault journal on: one input injects N file faults
 * ({@code file(p).replace(…)} on N files of a temporary directory, real writes and real reverts),
 * then the bench writes the command and its newline into the terminal's input. The clock starts
 * when the newline is written (the Enter key) and stops when the last fault's revert has ended
 * (a run listener records when each {@code fault.reverted} event is emitted, right after its
 * revert); every file is then checked to hold its original bytes. Warm-up sessions come first.
 *
 * <pre>
 *   ReplBench [results.md] [trials]     default bench/results/repl.md, 30 trials per case
 * </pre>
 */
public final class ReplBench {
  static final int[] FAULT_COUNTS = {10, 100};
  static final String[] COMMANDS = {"revert all", "stop all"};
  /** File faults (real writes, each revert restores a file) and proxy latency faults (in memory, a revert costs about nothing). */
  static final String[] KINDS = {"file", "proxy"};
  static final int WARM_UP = 5;

  private ReplBench() {}

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results/repl.md");
    int trials = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Faultline faultline = Faultline.builder().standardLibrary().build();
    for (String kind : KINDS) for (int i = 0; i < WARM_UP; i++) trial(faultline, 100, "revert all", kind);
    StringBuilder rows = new StringBuilder();
    for (String kind : KINDS) for (String command : COMMANDS) {
      for (int n : FAULT_COUNTS) {
        double[] ms = new double[trials];
        for (int t = 0; t < trials; t++) ms[t] = trial(faultline, n, command, kind);
        Arrays.sort(ms);
        String row = String.format("| %s | `%s` | %d | %d | %.2f / %.2f / %.2f |", kind.equals("file") ? "file.replace" : "net.latency",
            command, n, trials, pct(ms, 50), pct(ms, 99), ms[ms.length - 1]);
        System.out.println(row);
        rows.append(row).append('\n');
      }
    }
    write(results, rows.toString(), trials);
  }

  /** One session: inject {@code n} file faults, then time {@code command} from Enter to the last revert. */
  static double trial(Faultline faultline, int n, String command, String kind) throws Exception {
    Path dir = Files.createTempDirectory("repl-bench");
    List<Path> files = new ArrayList<>();
    for (int i = 0; kind.equals("file") && i < n; i++) files.add(Files.writeString(dir.resolve("f" + i + ".conf"), "original " + i + "\n"));
    AtomicInteger reverted = new AtomicInteger();
    AtomicLong lastRevert = new AtomicLong();
    Faultline watched = Faultline.builder().standardLibrary().listener(e -> {
      if (e.type() == EventType.FAULT_REVERTED) {
        lastRevert.set(System.nanoTime());
        reverted.incrementAndGet();
      }
    }).build();
    LoadedPlaybook playbook = watched.load("bench", "playbook \"repl-bench\" { }");
    RunOptions options = RunOptions.builder().allow(Set.of(Capability.FS, Capability.NET)).journalDir(dir.resolve("journal")).watchdog(false).build();
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys, 1 << 16);
    OutputStream sink = OutputStream.nullOutputStream();
    try (Terminal terminal = new DumbTerminal("bench", Terminal.TYPE_DUMB, in, sink, StandardCharsets.UTF_8)) {
      ReplSession.Settings settings = new ReplSession.Settings(dir.resolve("report"), null, false, false, false, false, false);
      ReplSession session = ReplSession.builder(watched, playbook, options, terminal, settings).start();
      Thread loop = new Thread(session::run, "repl");
      loop.start();
      if (kind.equals("file")) {
        StringBuilder list = new StringBuilder("let paths = [");
        for (int i = 0; i < n; i++) list.append(i == 0 ? "" : ", ").append('"').append(files.get(i)).append('"');
        type(keys, list + "]\nfor p in paths { inject file(p).replace(\"broken\") }\n");
      } else {
        type(keys, "let link = proxy(upstream: \"127.0.0.1:9\")\nrepeat " + n + " { inject link.latency(1ms) }\n");
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (session.interactiveRun().run().faults().active().size() < n) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the faults were never all injected");
        Thread.sleep(1);
      }
      Thread.sleep(50);  // the prompt is back: the session waits for the next key
      keys.write(command.getBytes(StandardCharsets.UTF_8));
      keys.flush();
      long enter = System.nanoTime();
      keys.write('\n');
      keys.flush();
      while (reverted.get() < n) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the faults were never all reverted");
        Thread.onSpinWait();
      }
      double ms = (lastRevert.get() - enter) / 1e6;
      for (int i = 0; i < files.size(); i++) {
        if (!Files.readString(files.get(i)).equals("original " + i + "\n")) throw new IllegalStateException(files.get(i) + " was not restored");
      }
      type(keys, "quit\n");
      keys.close();
      loop.join(60_000);
      return ms;
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void type(OutputStream keys, String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void write(Path results, String rows, int trials) throws IOException {
    String header = """
        # REPL emergency commands: Enter to every fault reverted

        Each block is one run of `bench/repl.sh`. A real REPL session (a JLine terminal whose input is a
        pipe, the fault journal on) holds 10 or 100 active faults, either file faults (`file(p).replace(…)`
        on as many files: each revert writes a file back) or latency faults on one fault proxy (in
        memory: a revert costs about nothing, so the figure is the REPL's and the lifecycle's own
        overhead); the bench then types `revert all` or `stop all`. Measured outside Faultline: from the
        moment the Enter key's newline is written into the terminal's input to the end of the last
        fault's revert (a run listener notes each `fault.reverted` event, emitted right after its
        revert). Every file is checked to hold its original bytes afterwards. Reverts run newest first,
        one after another, each through the journal (its record deleted once reverted).

        """;
    String text = Files.exists(results) ? Files.readString(results) : header;
    String commit = System.getProperty("bench.commit", "-");
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    text += "\n## " + Instant.now().truncatedTo(ChronoUnit.MINUTES).toString().replace(":00Z", "Z") + ", commit " + commit + "\n\n"
        + "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", options as the launcher's (C1 only, serial GC); "
        + Runtime.getRuntime().availableProcessors() + " CPUs; load average " + String.format("%.1f", load) + " at the end\n\n"
        + "| faults | command | active faults | trials | Enter to all reverted p50 / p99 / max (ms) |\n|---|---|---:|---:|---|\n" + rows;
    Files.writeString(results, text);
  }
}
