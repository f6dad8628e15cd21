package dev.faultline.stdlib.postgres;

import dev.faultline.host.CallContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Restore benchmark, for the record: how long {@code backup.restore()} takes for a table of N rows,
 * half of them in the base backup and half in the archived WAL after it, to the latest change (the
 * backup copied, the WAL replayed, the promotion) and to the backup's end ({@code "immediate"}, the
 * fast restore). Writes a Markdown table to the file given. In this package because the cluster's
 * Java API is package-private.
 */
public final class RestoreBench {
  private static final CallContext CTX = CallContext.detached();

  private record Row(long rows, BaseBackup backup, long walBytes, Duration latest, Duration latestAccepting, Duration immediate,
      long latestCount, long immediateCount) {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    List<Long> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) sizes.add(Long.parseLong(args[i]));
    if (sizes.isEmpty()) sizes = List.of(10_000L, 100_000L, 1_000_000L, 3_000_000L);
    measure(10_000); // warm-up: the JDBC driver and the JIT, not counted
    List<Row> rows = new ArrayList<>();
    for (long n : sizes) rows.add(measure(n));
    StringBuilder md = new StringBuilder();
    md.append("# Restore benchmark\n\n");
    md.append("Measured by `bench/postgres-restore.sh` on ").append(Instant.now().toString(), 0, 10)
        .append(", commit ").append(System.getProperty("bench.commit", "?")).append(", PostgreSQL from ")
        .append(PgBinaries.find().bin).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores (shared with other work: figures are indicative). No goal: for the record, and to size a drill's")
        .append(" `slo.rto`. A first restore of 10,000 rows warms the JVM up and is not counted.\n\n");
    md.append("A local cluster archiving its WAL (`archive: true`, 1 MB segments, fsync off) with one table `t (id bigint,")
        .append(" payload text)` of N rows of about 60 bytes: N/2 rows before the base backup, N/2 after it, then the WAL")
        .append(" switched and awaited in the archive, and the cluster lost (`lose()`). `backup.restore()` then makes a new")
        .append(" cluster: **latest** replays the archived WAL (the N/2 rows after the backup), **immediate** stops at the")
        .append(" backup's end. Times run from the call to the server accepting writes (`took`); \"accepting\" is when it first")
        .append(" accepted connections, read only, still replaying. Each restore's row count was checked.\n\n");
    md.append("| rows | backup size | backup took | WAL replayed | restore latest | of which until accepting connections | restore immediate |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %,d | %.1f MB | %s | %.1f MB | %s | %s | %s |%n", r.rows, r.backup.size().bytes() / 1e6, ms(r.backup.took()),
          r.walBytes / 1e6, ms(r.latest), ms(r.latestAccepting), ms(r.immediate)));
    }
    Files.writeString(out, md.toString());
    System.out.print(md);
  }

  private static String ms(Duration d) {
    return String.format(Locale.ROOT, "%.0f ms", d.toNanos() / 1e6);
  }

  private static Row measure(long n) throws Exception {
    LocalCluster c = LocalCluster.start("bench", 0, false, false, Duration.ofSeconds(1));
    List<LocalCluster> restored = new ArrayList<>();
    try {
      c.db().update("bench", "create table t (id bigint, payload text)");
      c.db().update("bench", "insert into t select g, md5(g::text) || md5((g + 1)::text) from generate_series(1, ?) g", n / 2);
      BaseBackup b = c.baseBackup("b" + n, CTX);
      c.db().update("bench", "insert into t select g, md5(g::text) || md5((g + 1)::text) from generate_series(?, ?) g", n / 2 + 1, n);
      c.db().update("bench", "select pg_switch_wal()");
      String now = scalar(c.db(), "select pg_current_wal_lsn()::text");
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!c.archive().covers(now)) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the archive did not reach " + now);
        Thread.sleep(50);
      }
      new RegionLoss(c, c.nodes()).inject(CTX);
      RestoredCluster latest = b.restore("latest", "", "", "", "latest", 0, Duration.ofMinutes(10), CTX);
      restored.add(latest.cluster());
      RestoredCluster immediate = b.restore("immediate", "", "", "", "immediate", 0, Duration.ofMinutes(10), CTX);
      restored.add(immediate.cluster());
      long latestCount = Long.parseLong(scalar(latest.db(), "select count(*)::text from t"));
      long immediateCount = Long.parseLong(scalar(immediate.db(), "select count(*)::text from t"));
      if (latestCount != n || immediateCount != n / 2) {
        throw new IllegalStateException("restored " + latestCount + " and " + immediateCount + " rows of " + n);
      }
      long wal = Lsn.parse(latest.reachedLsn()) - Lsn.parse(b.endLsn());
      Duration accepting = Duration.between(Instant.parse(latest.started()), Instant.parse(latest.accepting()));
      System.err.printf(Locale.ROOT, "%,d rows: latest %s, immediate %s%n", n, ms(latest.took()), ms(immediate.took()));
      return new Row(n, b, wal, latest.took(), accepting, immediate.took(), latestCount, immediateCount);
    } finally {
      for (LocalCluster r : restored) r.close();
      c.close();
    }
  }

  private static String scalar(Database db, String sql) throws Exception {
    try (var conn = db.open("bench", 5); var s = conn.createStatement(); var r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}
