package dev.faultline.bench;

import dev.faultline.ast.Playbook;
import dev.faultline.parse.PlaybookParser;
import dev.faultline.source.SourceFile;
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
import java.util.concurrent.TimeUnit;

/**
 * Parser benchmark: (a) warm throughput over a generated ~10 MB playbook of realistic scenarios,
 * (b) a cold parse of a ~10 KB playbook in a fresh JVM, from launching the JVM to the parse being
 * done, and the parse alone. Each figure is the median of five runs. Run by {@code bench/parse-bench}.
 *
 * <pre>
 *   ParseBench [results.md]          the whole benchmark; appends a row to results.md
 *   ParseBench cold &lt;file.fl&gt;     one cold run (used by the above): prints end time and parse time
 * </pre>
 */
public final class ParseBench {
  static final int RUNS = 5;
  static final int WARM_UP = 10;
  static final double WARM_GOAL_MB_PER_S = 10;
  static final double COLD_GOAL_MS = 150;

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("cold")) {
      coldChild(Path.of(args[1]));
      return;
    }
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results/parse.md");
    run(results);
  }

  // ------------------------------------------------------------ the fresh JVM of a cold run

  /** Reads and parses one file, then prints when it finished (epoch µs) and how long the parse took (ns). */
  private static void coldChild(Path file) {
    SourceFile source = SourceFile.read(file, file.getFileName().toString());
    long start = System.nanoTime();
    Playbook playbook = new PlaybookParser().parse(source);
    long parseNanos = System.nanoTime() - start;
    Instant done = Instant.now();
    long doneMicros = TimeUnit.SECONDS.toMicros(done.getEpochSecond()) + done.getNano() / 1_000;
    System.out.println(doneMicros + " " + parseNanos + " " + playbook.body().size());
  }

  // ------------------------------------------------------------ the benchmark

  private static void run(Path results) throws Exception {
    String big = playbook(10_000_000);
    String small = playbook(10_000);
    int bigBytes = big.getBytes(StandardCharsets.UTF_8).length;
    int smallBytes = small.getBytes(StandardCharsets.UTF_8).length;
    System.out.printf(Locale.ROOT, "generated playbooks: %.1f MB (%d scenarios) and %.1f KB%n",
        bigBytes / 1e6, scenarios(big), smallBytes / 1e3);

    // (b) cold, measured first so that the children do not compete with this JVM's large heap:
    // a fresh JVM per run, timed from just before it is launched.
    Path smallFile = Files.createTempFile("parse-bench-", ".fl");
    Files.writeString(smallFile, small);
    double[] coldTotalMs = new double[RUNS];
    double[] coldParseMs = new double[RUNS];
    double[] coldC1TotalMs = new double[RUNS];
    double[] coldCdsTotalMs = new double[RUNS];
    Path archive = smallFile.resolveSibling(smallFile.getFileName() + ".jsa");
    try {
      // For the launcher, not goals: the same with C1 only, and with an AppCDS archive of the classes
      // a parse loads (AppCDS needs the classes in jars, which is how bench/parse-bench runs this).
      coldRun(smallFile, "-XX:ArchiveClassesAtExit=" + archive);
      boolean haveArchive = Files.exists(archive);
      for (int i = 0; i < RUNS; i++) {
        double[] plain = coldRun(smallFile);
        coldTotalMs[i] = plain[0];
        coldParseMs[i] = plain[1];
        coldC1TotalMs[i] = coldRun(smallFile, "-XX:TieredStopAtLevel=1")[0];
        coldCdsTotalMs[i] = haveArchive ? coldRun(smallFile, "-XX:SharedArchiveFile=" + archive)[0] : Double.NaN;
      }
    } finally {
      Files.deleteIfExists(smallFile);
      Files.deleteIfExists(archive);
    }
    double coldTotal = median(coldTotalMs);
    double coldParse = median(coldParseMs);
    double coldC1Total = median(coldC1TotalMs);
    double coldCdsTotal = median(coldCdsTotalMs);

    // (a) warm: parse the big playbook until the JIT has settled, then time five parses.
    SourceFile bigSource = new SourceFile("big.fl", big);
    PlaybookParser parser = new PlaybookParser();
    for (int i = 0; i < WARM_UP; i++) parser.parse(bigSource);
    double[] warmSeconds = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t = System.nanoTime();
      Playbook p = parser.parse(bigSource);
      warmSeconds[i] = (System.nanoTime() - t) / 1e9;
      if (p.body().isEmpty()) throw new IllegalStateException("nothing parsed");
    }
    double warmMedian = median(warmSeconds);
    double warmMbPerS = bigBytes / 1e6 / warmMedian;

    String warmVerdict = warmMbPerS >= WARM_GOAL_MB_PER_S ? "met" : "MISSED";
    String coldVerdict = coldTotal <= COLD_GOAL_MS ? "met" : "MISSED";
    String parseVerdict = coldParse <= COLD_GOAL_MS ? "met" : "MISSED";
    System.out.printf(Locale.ROOT, "warm parse: %.1f MB/s (median of %d, %.0f ms per parse); goal >= %.0f MB/s: %s%n",
        warmMbPerS, RUNS, warmMedian * 1e3, WARM_GOAL_MB_PER_S, warmVerdict);
    System.out.printf(Locale.ROOT, "cold parse of %.1f KB (median of %d), goal <= %.0f ms:%n", smallBytes / 1e3, RUNS,
        COLD_GOAL_MS);
    System.out.printf(Locale.ROOT, "  from JVM launch to parsed: %.0f ms: %s%n", coldTotal, coldVerdict);
    System.out.printf(Locale.ROOT, "  parse alone (first parse in the fresh JVM): %.0f ms: %s%n", coldParse, parseVerdict);
    System.out.printf(Locale.ROOT, "  for comparison, launch to parsed with -XX:TieredStopAtLevel=1: %.0f ms,"
        + " with an AppCDS archive: %.0f ms%n", coldC1Total, coldCdsTotal);
    System.out.println("  warm runs (ms): " + list(warmSeconds, 1e3));
    System.out.println("  cold runs, launch to parsed (ms): " + list(coldTotalMs, 1) + "; parse only: "
        + list(coldParseMs, 1));

    record(results, String.format(Locale.ROOT, "| %s | %s | %.1f MB | %.1f | %s | %.1f KB | %.0f | %.0f | %s | %.0f | %.0f |",
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC).format(Instant.now()),
        System.getProperty("bench.commit", "-"), bigBytes / 1e6, warmMbPerS, warmVerdict, smallBytes / 1e3,
        coldTotal, coldParse, coldVerdict, coldC1Total, coldCdsTotal));
  }

  /** One fresh JVM parsing {@code file}: milliseconds from just before its launch to parsed, and of the parse alone. */
  private static double[] coldRun(Path file, String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ParseBench.class.getName(), "cold",
        file.toString()));
    Instant launched = Instant.now();
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (child.waitFor() != 0) throw new IllegalStateException("cold run failed: " + out);
    String[] f = out.split(" ");
    long launchedMicros = TimeUnit.SECONDS.toMicros(launched.getEpochSecond()) + launched.getNano() / 1_000;
    return new double[] {(Long.parseLong(f[0]) - launchedMicros) / 1e3, Long.parseLong(f[1]) / 1e6};
  }

  private static void record(Path results, String row) throws IOException {
    if (!Files.exists(results)) {
      Files.createDirectories(results.toAbsolutePath().getParent());
      Files.writeString(results, """
          # Parser benchmark

          Each row is one run of `bench/parse-bench`; every figure is the median of five runs.
          Warm: parse throughput over a generated playbook of many realistic scenarios, after ten
          warm-up parses (1 MB = 10^6 bytes). Cold: a fresh JVM parses a ~10 KB playbook; "launch to
          parsed" is from just before the JVM is launched until the parse is done, "parse" the parse
          alone. Classes come from jars, as the command line runs them. The last two columns, for
          comparison only, are launch to parsed with -XX:TieredStopAtLevel=1 and with an AppCDS
          archive of the classes a parse loads. Goals: warm >= 10 MB/s, cold <= 150 ms from launch
          to parsed.

          | date (UTC) | commit | warm input | warm MB/s | goal | cold input | cold launch to parsed (ms) | cold parse (ms) | goal | cold, C1 only (ms) | cold, AppCDS (ms) |
          |---|---|---:|---:|---|---:|---:|---:|---|---:|---:|
          """);
    }
    Files.writeString(results, row + "\n", StandardOpenOption.APPEND);
    System.out.println("recorded in " + results);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String list(double[] values, double scale) {
    List<String> out = new ArrayList<>();
    for (double v : values) out.add(String.format(Locale.ROOT, "%.0f", v * scale));
    return String.join(" ", out);
  }

  private static int scenarios(String text) {
    int n = 0;
    for (int i = text.indexOf("\n  scenario "); i >= 0; i = text.indexOf("\n  scenario ", i + 1)) n++;
    return n;
  }

  // ------------------------------------------------------------ a realistic playbook of a given size

  /** A playbook of about {@code bytes} bytes: a header, then as many scenarios as fit, each a little different. */
  static String playbook(int bytes) {
    Random random = new Random(20_240_601L);
    StringBuilder b = new StringBuilder(bytes + 4096);
    b.append(HEADER);
    for (int i = 0; ; i++) {
      String svc = SERVICES[i % SERVICES.length] + "-" + i;
      String scenario = SCENARIO
          .replace("$SVC", svc)
          .replace("$TAG", TAGS[random.nextInt(TAGS.length)])
          .replace("$DELAY", Integer.toString(50 + random.nextInt(950)))
          .replace("$JITTER", Integer.toString(random.nextInt(300)))
          .replace("$FOR", Integer.toString(10 + random.nextInt(110)))
          .replace("$LIMIT", Integer.toString(1 + random.nextInt(20)));
      if (i > 0 && b.length() + scenario.length() + 2 > bytes) break;
      b.append(scenario);
    }
    return b.append("}\n").toString();
  }

  private static final String[] SERVICES = {"checkout", "payments", "orders", "search", "catalog", "auth"};
  private static final String[] TAGS = {"smoke", "nightly", "db", "network", "latency"};

  private static final String HEADER = """
      # Generated by ParseBench: resilience playbook for the shop's backend services.
      playbook "shop-resilience" {
        description \"""
          Injects latency, packet loss and process failures into each backend service
          and checks that the service level objectives still hold.
          \"""
        import "lib/common.fl"
        param db_host: string = "db.internal"
        param api_token: string secret
        param error_budget: percent = 1.5%
        profile staging default {
          slo.failover = 30s
          slo.p99 = 800ms
        }
        profile prod production { slo.failover = 10s; slo.p99 = 500ms }
        max_duration 4h
        max_blast_radius 30%
        rollback_strategy always
        fn ratio(a, b = 1) {
          return a / b
        }
        guard "error budget" every 1s { traffic.error_rate < error_budget } else abort P1 "error budget spent"
      """;

  private static final String SCENARIO = """
        scenario "$SVC.latency" tags [$TAG, "$SVC"] {
          step "baseline" timeout 2min {
            let base = traffic.snapshot(service: "$SVC", window: 30s)
            record rps_before = base.rps
            expect base.error_rate < 1%, "$SVC is healthy before the experiment"
          }
          step "slow link" timeout 5min {
            let link = proxy(listen: "127.0.0.1:0", upstream: "$SVC.internal:5432")
            let fault = inject link.latency($DELAYms, jitter: $JITTERms) for $FORs
            let t = await traffic.p99 < slo.p99 within 60s every 500ms
            expect t within 20s ± 10s, "p99 recovered in ${t}"
            expect traffic.rps within 10% of base.rps
            if t > 45s {
              abort P2 "$SVC too slow to recover"
            } else if t > $LIMITs {
              log "slow recovery: ${t}"
            } else {
              log \"""
                fast recovery on ${link.name}
                took ${t}
                \"""
            }
            for replica in ["a", "b", "c"] {
              wait 100ms
              traffic(for: 5s, rate: 50/s, target: replica)
            }
            decide {
              when t < 1s -> log "great"
              when t < 5s -> { log "ok"; wait 10ms }
              else -> revert fault
            }
            let took = measure { wait 2s }
            record recovery = ratio(took, 2)
            revert all
            rollback { log "cleanup $SVC" }
          }
        }
      """;

  private ParseBench() {}
}
