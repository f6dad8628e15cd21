package dev.faultline.stdlib.postgres;

import dev.faultline.host.CallContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL benchmark, for the record: (1) failover time, from the moment the primary of a local
 * cluster is stopped in immediate mode to the promoted replica acknowledging a write, over 10
 * runs; (2) the writer's overhead on the database: pgbench throughput alone, and beside a writer
 * writing back to back or paced at 1 ms. Writes a Markdown table to the file given.
 * In this package because the cluster's Java API is package-private.
 */
public final class PostgresBench {
  private static final CallContext CTX = CallContext.detached();

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    StringBuilder md = new StringBuilder();
    md.append("# PostgreSQL benchmark\n\n");
    md.append("Measured by `bench/postgres-failover.sh` on ").append(Instant.now().toString(), 0, 10)
        .append(", commit ").append(System.getProperty("bench.commit", "?")).append(", PostgreSQL from ")
        .append(PgBinaries.find().bin).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores (shared with other work: figures are indicative). Local clusters as `postgres.local()` starts them")
        .append(" (fsync off, loopback). No goal yet: these are for the record.\n\n");
    failover(md, runs);
    writerCost(md);
    overhead(md);
    Files.writeString(out, md.toString());
    System.out.print(md);
  }

  // ------------------------------------------------------------ failover

  private static void failover(StringBuilder md, int runs) throws Exception {
    List<Long> total = new ArrayList<>();
    List<Long> stops = new ArrayList<>();
    List<Long> promotes = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      LocalCluster c = LocalCluster.start("bench", 1, false, false);
      try {
        c.db().update("bench", "create table t (x int)");
        Writer w = Writer.start(c.db(), "writes", Duration.ZERO, 1);
        Thread.sleep(500);
        ServerStop stop = new ServerStop(c.nodes().get(0), "immediate", true);
        long t0 = System.nanoTime();
        stop.inject(CTX);
        long t1 = System.nanoTime();
        c.nodes().get(1).promote(Duration.ofSeconds(60));
        long t2 = System.nanoTime();
        firstWrite(c);
        long t3 = System.nanoTime();
        w.close();
        total.add(t3 - t0);
        stops.add(t1 - t0);
        promotes.add(t2 - t1);
        System.err.printf(Locale.ROOT, "failover %d: %.1f ms%n", i + 1, (t3 - t0) / 1e6);
      } finally {
        c.close();
      }
    }
    md.append("## Failover: primary stopped to promoted replica answering writes\n\n");
    md.append("One primary and one asynchronous replica; a writer (1 session) runs during the failover. The clock starts")
        .append(" just before `pg_ctl stop -m immediate` and stops when an insert through the cluster's URL")
        .append(" (`targetServerType=primary`, a new connection tried every 5 ms) is acknowledged by the promoted replica.")
        .append(" Promotion is `pg_promote(true, 60)`, run as soon as the stop returns.\n\n");
    md.append("| runs | part | p50 | max |\n|---|---|---|---|\n");
    row(md, runs, "stop (immediate shutdown)", stops);
    row(md, runs, "promotion (`pg_promote`)", promotes);
    row(md, runs, "**total: stop to first acknowledged write**", total);
    md.append('\n');
  }

  private static void firstWrite(LocalCluster c) throws InterruptedException {
    while (true) {
      try (Connection conn = c.db().open("bench-probe", 2); Statement s = conn.createStatement()) {
        s.execute("insert into t values (1)");
        return;
      } catch (SQLException e) {
        Thread.sleep(5);
      }
    }
  }

  private static void row(StringBuilder md, int runs, String what, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    long p50 = sorted.get((sorted.size() - 1) / 2);
    md.append(String.format(Locale.ROOT, "| %d | %s | %.1f ms | %.1f ms |%n", runs, what, p50 / 1e6, sorted.get(sorted.size() - 1) / 1e6));
  }

  // ------------------------------------------------------------ writer overhead

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

  private static void overhead(StringBuilder md) throws Exception {
    LocalCluster c = LocalCluster.start("bench", 0, false, false);
    try {
      LocalServer s = c.nodes().get(0).server();
      pgbench(c, s, "-i", "-s", "10", "-q", "postgres");
      String[] names = {"pgbench alone", "with a writer, back to back (1 session)", "with a writer paced at 1 ms (1 session)"};
      Duration[] intervals = {null, Duration.ZERO, Duration.ofMillis(1)};
      List<List<Double>> tps = new ArrayList<>();
      List<List<Double>> writerRates = new ArrayList<>();
      for (int k = 0; k < names.length; k++) {
        tps.add(new ArrayList<>());
        writerRates.add(new ArrayList<>());
      }
      for (int rep = 0; rep < 3; rep++) {
        for (int k = 0; k < names.length; k++) {
          Writer w = intervals[k] == null ? null : Writer.start(c.db(), "writes", intervals[k], 1);
          String outText = pgbench(c, s, "-c", "4", "-j", "2", "-T", "10", "-N", "postgres");
          Matcher m = TPS.matcher(outText);
          if (!m.find()) throw new IllegalStateException("no tps in pgbench output: " + outText);
          tps.get(k).add(Double.parseDouble(m.group(1)));
          if (w != null) {
            w.close();
            writerRates.get(k).add(w.rate().perSecond());
          }
          System.err.printf(Locale.ROOT, "overhead rep %d, %s: %s tps%n", rep + 1, names[k], m.group(1));
        }
      }
      double alone = median(tps.get(0));
      md.append("## The writer's overhead on the database\n\n");
      md.append("pgbench (`-c 4 -j 2 -T 10 -N`, scale 10: the simple-update transaction, 4 clients) on a primary without")
          .append(" replicas, alone and beside a writer; each figure the median of 3 runs of 10 s, conditions interleaved.")
          .append(" On 2 cores shared with other people's work, pgbench's own figure moves by ±30 % from run to run, more than")
          .append(" the writer changes it: read this table for its order of magnitude only; the CPU and WAL per insert above")
          .append(" are the stable figures.\n\n");
      md.append("| condition | pgbench tps | vs alone | writer inserts/s |\n|---|---|---|---|\n");
      for (int k = 0; k < names.length; k++) {
        double t = median(tps.get(k));
        String wr = writerRates.get(k).isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", median(writerRates.get(k)));
        md.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f× | %s |%n", names[k], t, t / alone, wr));
      }
      md.append('\n');
    } finally {
      c.close();
    }
  }

  /** The writer alone: what it costs the server in CPU and WAL per insert, back to back and paced. */
  private static void writerCost(StringBuilder md) throws Exception {
    LocalCluster c = LocalCluster.start("bench", 0, false, false);
    try {
      LocalServer s = c.nodes().get(0).server();
      long postmaster = s.postmasterPid().orElseThrow();
      md.append("## What the writer costs the server\n\n");
      md.append("The writer alone for 10 s on a primary without replicas: CPU time of every server process (from")
          .append(" `/proc/<pid>/stat`, the postmaster and its children) and WAL written (`pg_current_wal_lsn()`), per")
          .append(" acknowledged insert. These move much less with what else the machine runs than a throughput does.\n\n");
      md.append("| writer | inserts/s | server CPU (cores) | server CPU per insert | WAL per insert |\n|---|---|---|---|---|\n");
      for (Duration interval : List.of(Duration.ZERO, Duration.ofMillis(1))) {
        long wal0 = walLsn(s);
        long cpu0 = serverTicks(postmaster);
        long t0 = System.nanoTime();
        Writer w = Writer.start(c.db(), "writes", interval, 1);
        Thread.sleep(10_000);
        // Read while the writer's backend still lives: a process's CPU time leaves with it.
        double cpu = (serverTicks(postmaster) - cpu0) / 100.0;
        long n = w.acknowledged();
        double secs = (System.nanoTime() - t0) / 1e9;
        w.close();
        long wal = walLsn(s) - wal0;
        md.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.1f µs | %d B |%n",
            interval.isZero() ? "back to back" : "paced at 1 ms", n / secs, cpu / secs, cpu / n * 1e6, wal / Math.max(1, n)));
      }
      md.append('\n');
    } finally {
      c.close();
    }
  }

  private static long walLsn(LocalServer s) throws SQLException {
    try (Connection conn = s.connect(5); Statement st = conn.createStatement();
         java.sql.ResultSet r = st.executeQuery("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** utime + stime, in clock ticks (100 per second on Linux), of the postmaster and its children. */
  private static long serverTicks(long postmaster) {
    long ticks = ticks(postmaster);
    for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) ticks += ticks(child.pid());
    return ticks;
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      return 0;
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static String pgbench(LocalCluster c, LocalServer s, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PgBinaries.find().bin.resolve("pgbench").toString(), "-h", "127.0.0.1",
        "-p", String.valueOf(s.port), "-U", c.credentials().user()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", c.credentials().password());
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IllegalStateException("pgbench failed: " + text);
    return text;
  }
}
