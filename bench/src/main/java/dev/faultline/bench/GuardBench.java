package dev.faultline.bench;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Injector;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Guard breach benchmark: how long from the guard check that sees a breach to every active fault
 * reverted, with 1, 10 and 100 active in-memory faults (their revert costs about nothing), a guard
 * checked every 100 ms, over many breaches each. Run by {@code bench/guards.sh}.
 *
 * <p>Each breach is one real run through the public API: the playbook injects N faults and waits;
 * a bench thread makes the guard's condition false at a random moment of the guard's interval. The
 * figures are taken outside Faultline: the condition records when it first returned false (the end
 * of the check that sees the breach), each fault records when its revert ended; the time to all
 * reverted is the last revert's end minus that. The reverts themselves are Faultline's own
 * measure of each revert ({@code revert_us}: the hand-off to a revert thread and the revert), and
 * the span from the breach's first revert to its last. Goals: p99 check-to-all-reverted &lt;= 50 ms,
 * p99 revert &lt;= 10 ms.
 *
 * <pre>
 *   GuardBench [results.md] [breaches]     default bench/results/guards.md, 200 breaches per fault count
 * </pre>
 */
public final class GuardBench {
  static final int[] FAULT_COUNTS = {1, 10, 100};
  static final int WARM_UP = 30;
  static final double GOAL_ALL_REVERTED_P99_MS = 50;
  static final double GOAL_REVERT_P99_MS = 10;

  static final String PLAYBOOK = """
      playbook "guard-bench" {
        param faults = 1
        guard "healthy" every 100ms { bench.healthy() } else abort P2 "unhealthy"
        scenario "breach" {
          step "inject and wait" {
            repeat faults { inject bench.fault() }
            bench.ready()
            wait 30s
          }
        }
      }
      """;

  /** The host side of the benchmark: a health flag, in-memory faults, and the times they record. */
  public static final class Bench {
    volatile boolean healthy = true;
    volatile CountDownLatch ready = new CountDownLatch(1);
    /** When the condition first returned false in this run (nanoTime), or 0. */
    final AtomicLong seenFalse = new AtomicLong();
    /** When the last revert of this run ended (nanoTime). */
    final AtomicLong lastRevertEnd = new AtomicLong();
    /** When the first revert of this run started (nanoTime), or 0. */
    final AtomicLong firstRevertStart = new AtomicLong();

    @HostFunction(name = "bench.healthy", doc = "Whether the bench says the system is healthy.")
    public boolean healthy() {
      boolean h = healthy;
      if (!h) seenFalse.compareAndSet(0, System.nanoTime());
      return h;
    }

    @HostFunction(name = "bench.ready", doc = "Tells the bench that every fault is injected.")
    public boolean ready() {
      ready.countDown();
      return true;
    }

    @Injector(name = "bench.fault", doc = "An in-memory fault: a flag set on inject and cleared on revert.")
    public Fault fault() {
      return new Fault() {
        volatile boolean on;

        public String describe() { return "in-memory flag"; }
        public void inject(CallContext c) { on = true; }
        public void revert(CallContext c) {
          firstRevertStart.compareAndSet(0, System.nanoTime());
          on = false;
          lastRevertEnd.accumulateAndGet(System.nanoTime(), Math::max);
        }
      };
    }

    void reset() {
      healthy = true;
      ready = new CountDownLatch(1);
      seenFalse.set(0);
      lastRevertEnd.set(0);
      firstRevertStart.set(0);
    }
  }

  /** One fault count's figures, in milliseconds. */
  record Figures(int faults, int breaches, double[] allReverted, double[] reverts, double[] revertSpan, double[] flipToSeen) {}

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results/guards.md");
    int breaches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Bench bench = new Bench();
    Faultline faultline = Faultline.builder().library(bench).build();
    LoadedPlaybook playbook = faultline.load("guard-bench.fl", PLAYBOOK);
    Random random = new Random(42);

    System.out.printf(Locale.ROOT, "warming up (%d breaches)%n", WARM_UP);
    for (int i = 0; i < WARM_UP; i++) once(faultline, playbook, bench, FAULT_COUNTS[i % FAULT_COUNTS.length], random, null);

    List<Figures> all = new ArrayList<>();
    for (int n : FAULT_COUNTS) {
      double[] allReverted = new double[breaches];
      double[] span = new double[breaches];
      double[] flip = new double[breaches];
      List<Double> reverts = new ArrayList<>();
      for (int i = 0; i < breaches; i++) {
        double[] one = new double[3];
        reverts.addAll(once(faultline, playbook, bench, n, random, one));
        allReverted[i] = one[0];
        span[i] = one[1];
        flip[i] = one[2];
      }
      Figures f = new Figures(n, breaches, allReverted, reverts.stream().mapToDouble(Double::doubleValue).toArray(), span, flip);
      all.add(f);
      System.out.printf(Locale.ROOT, "%3d faults: check to all reverted p50 %.2f ms, p99 %.2f ms, max %.2f ms; revert p99 %.3f ms%n",
          n, pct(allReverted, 50), pct(allReverted, 99), max(allReverted), pct(f.reverts(), 99));
    }
    write(results, all);
  }

  /**
   * One breach: a run with {@code n} faults; the condition turns false at a random moment of the
   * guard's interval. Fills {@code out} with check-to-all-reverted, the revert span and flip-to-seen
   * (ms) and returns each revert's own duration (ms).
   */
  static List<Double> once(Faultline faultline, LoadedPlaybook playbook, Bench bench, int n, Random random, double[] out)
      throws InterruptedException {
    bench.reset();
    CountDownLatch ready = bench.ready;
    long delayMicros = random.nextInt(100_000);
    long[] flippedAt = new long[1];
    Thread flipper = new Thread(() -> {
      try {
        if (!ready.await(30, TimeUnit.SECONDS)) return;
        TimeUnit.MICROSECONDS.sleep(delayMicros);
        flippedAt[0] = System.nanoTime();
        bench.healthy = false;
      } catch (InterruptedException ignored) {
        // the run ended first
      }
    }, "bench-flipper");
    flipper.start();
    RunResult r = faultline.start(playbook, RunOptions.builder().param("faults", (long) n).build()).execute();
    flipper.join();
    if (r.exitCode() != 3) throw new IllegalStateException("expected a breach (exit 3), got " + r.exitCode() + ": " + r.scenarios());
    List<Double> reverts = new ArrayList<>();
    for (Event e : r.events()) {
      if (e.type() == EventType.FAULT_REVERTED) reverts.add(((Number) e.data().get("revert_us")).longValue() / 1e3);
    }
    if (reverts.size() != n) throw new IllegalStateException("expected " + n + " reverts, got " + reverts.size());
    if (out != null) {
      out[0] = (bench.lastRevertEnd.get() - bench.seenFalse.get()) / 1e6;
      out[1] = (bench.lastRevertEnd.get() - bench.firstRevertStart.get()) / 1e6;
      out[2] = (bench.seenFalse.get() - flippedAt[0]) / 1e6;
    }
    return reverts;
  }

  /** The 1-minute load average, which explains a noisy tail on a shared machine. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static double pct(double[] values, double p) {
    double[] v = values.clone();
    Arrays.sort(v);
    int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, i))];
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static void write(Path results, List<Figures> all) throws IOException {
    String when = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    String commit = System.getProperty("bench.commit", "-");
    String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    StringBuilder b = new StringBuilder();
    if (!Files.exists(results)) {
      b.append("""
          # Guard breach benchmark

          Each block is one run of `bench/guards.sh`. A guard checked every 100 ms watches a run
          with 1, 10 or 100 active in-memory faults (their revert costs about nothing); at a random
          moment of the guard's interval its condition turns false. Measured outside Faultline, per
          breach: **check to all reverted**, from the end of the guard check that saw the breach to
          the end of the last revert; **revert**, each fault's revert as Faultline measures it (the
          hand-off to a revert thread, bounded by the revert timeout, and the revert); **revert span**,
          from the breach's first revert to its last; **condition false to seen**, how long the
          condition was false before a check saw it (at most the interval, by design). Every breach
          is a whole run through the public API, after warm-up runs. Goals: check to all reverted
          p99 <= 50 ms; revert p99 <= 10 ms.

          """);
    }
    b.append("## ").append(when).append(", commit ").append(commit).append("\n\n");
    b.append("JVM: ").append(jvm).append(", options as the launcher's (C1 only, serial GC); ")
        .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; load average at the end ").append(loadAverage())
        .append("\n\n");
    b.append("| active faults | breaches | check to all reverted p50 / p99 / max (ms) | goal | revert p50 / p99 / max (ms) | goal | revert span p99 (ms) | condition false to seen p50 / max (ms) |\n");
    b.append("|---:|---:|---|---|---|---|---:|---|\n");
    for (Figures f : all) {
      double p99 = pct(f.allReverted(), 99);
      double r99 = pct(f.reverts(), 99);
      b.append(String.format(Locale.ROOT, "| %d | %d | %.2f / %.2f / %.2f | %s | %.3f / %.3f / %.3f | %s | %.2f | %.1f / %.1f |%n",
          f.faults(), f.breaches(), pct(f.allReverted(), 50), p99, max(f.allReverted()), p99 <= GOAL_ALL_REVERTED_P99_MS ? "met" : "MISSED",
          pct(f.reverts(), 50), r99, max(f.reverts()), r99 <= GOAL_REVERT_P99_MS ? "met" : "MISSED",
          pct(f.revertSpan(), 99), pct(f.flipToSeen(), 50), max(f.flipToSeen())));
    }
    b.append('\n');
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println("results appended to " + results);
  }
}
