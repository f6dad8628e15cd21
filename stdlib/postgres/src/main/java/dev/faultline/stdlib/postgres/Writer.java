package dev.faultline.stdlib.postgres;

import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Rate;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A background writer for data-loss checks, the Jepsen idea at runbook scale: sessions insert
 * rows {@code (writer, seq)}, each sequence number once, each insert in its own transaction, and records the moment each insert was acknowledged (the commit returned). An insert
 * that failed is unacknowledged: it may or may not have committed, so finding it later is not a
 * duplicate and not finding it is not a loss. After an error the writer reconnects (every 20 ms), so
 * with a URL that lists every node with targetServerType=primary it follows a failover.
 *
 * <p>Threading: one daemon thread per session writes; {@link #check} and {@link #close} stop them and
 * wait for them before reading what they recorded (the joins order their writes before the reads). The counters read
 * while it runs are atomics.
 */
@HostType(name = "pg_writer", doc = "A background writer of increasing sequence numbers; check() reports acknowledged"
    + " writes that were lost, duplicates and the RPO.")
public final class Writer implements HostValue, AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long RECONNECT_PAUSE_MS = 20;

  private final Database db;
  private final String table;
  private final Duration interval;
  private final String id;
  private final long startNanos = System.nanoTime();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<Session> sessions = new ArrayList<>();
  private volatile String lastError = "";
  private volatile boolean stopping;
  private long stopNanos;

  /**
   * One writing session on its own thread. With n sessions, session s writes the sequence numbers
   * s+1, s+1+n, s+1+2n, …, so together they write every number once.
   */
  private final class Session {
    final int index;
    final Thread thread;
    /** Acknowledgement time of the k-th attempt, 0 when it was not acknowledged. */
    long[] ackNanos = new long[1 << 14];
    /** When the k-th attempt's insert was sent. */
    long[] sendNanos = new long[1 << 14];
    long attempts;

    Session(int index) {
      this.index = index;
      this.thread = new Thread(this::loop, "faultline-writer-" + id + "-" + index);
      this.thread.setDaemon(true);
    }

    long seq(long attempt) {
      return attempt * sessions.size() + index + 1;
    }

    private void loop() {
      Connection c = null;
      PreparedStatement insert = null;
      while (!stopping) {
        if (c == null) {
          try {
            c = db.open("faultline-writer-" + id, 2);
            c.setNetworkTimeout(Runnable::run, 5000);
            insert = c.prepareStatement("insert into " + table + " (writer, seq, payload) values (?, ?, ?)");
          } catch (SQLException e) {
            lastError = Database.message(e);
            close(c);
            c = null;
            pause(RECONNECT_PAUSE_MS);
            continue;
          }
        }
        long attempt = attempts++;
        try {
          insert.setString(1, id);
          insert.setLong(2, seq(attempt));
          insert.setString(3, payload(id, seq(attempt)));
          sent(attempt, System.nanoTime());
          insert.executeUpdate();
          acked(attempt, System.nanoTime());
        } catch (SQLException e) {
          failed.incrementAndGet();
          lastError = Database.message(e);
          if ("42P01".equals(e.getSQLState()) && recreateTable(c)) continue;
          close(c);
          c = null;
        }
        if (!interval.isZero()) pause(interval.toMillis());
      }
      close(c);
    }

    private void sent(long attempt, long at) {
      if (attempt >= sendNanos.length) sendNanos = Arrays.copyOf(sendNanos, (int) Math.max(sendNanos.length * 2L, attempt + 1));
      sendNanos[(int) attempt] = at;
    }

    private void acked(long attempt, long at) {
      if (attempt >= ackNanos.length) ackNanos = Arrays.copyOf(ackNanos, (int) Math.max(ackNanos.length * 2L, attempt + 1));
      ackNanos[(int) attempt] = at;
      acknowledged.incrementAndGet();
    }
  }

  private Writer(Database db, String table, Duration interval, String id) {
    this.db = db;
    this.table = table;
    this.interval = interval;
    this.id = id;
  }

  static Writer start(Database db, String table, Duration interval, int sessions) {
    String id = "w" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36).substring(0, 8);
    try {
      db.update("faultline-writer-" + id, new Writer(db, table, interval, id).createTableSql());
    } catch (SQLException e) {
      throw new HostError("writer(): cannot create table " + table + " on " + db.label() + ": " + Database.message(e));
    }
    Writer w = new Writer(db, table, interval, id);
    for (int i = 0; i < sessions; i++) w.sessions.add(w.new Session(i));
    for (Session s : w.sessions) s.thread.start();
    return w;
  }

  String id() {
    return id;
  }

  private String createTableSql() {
    return "create table if not exists " + table
        + " (writer text not null, seq bigint not null, payload text, written_at timestamptz not null default clock_timestamp())";
  }

  /**
   * The table is gone: an asynchronous standby promoted before it had replayed the table's creation
   * lost the table with every row. The writer makes it again and goes on; {@link #check} then counts
   * every earlier acknowledged row as lost, which is what happened.
   */
  private boolean recreateTable(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute(createTableSql());
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      stopping = true;
    }
  }

  private static void close(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException e) {
      // gone anyway
    }
  }

  /** Every session's acknowledgements by sequence number; call only once the sessions have stopped. */
  private long[] acknowledgementsBySeq() {
    return bySeq(s -> s.ackNanos);
  }

  /** When each sequence number's insert was sent, 0 for one never tried; call only once the sessions have stopped. */
  private long[] sendsBySeq() {
    return bySeq(s -> s.sendNanos);
  }

  private long[] bySeq(java.util.function.Function<Session, long[]> times) {
    long maxSeq = 0;
    for (Session s : sessions) if (s.attempts > 0) maxSeq = Math.max(maxSeq, s.seq(s.attempts - 1));
    long[] bySeq = new long[(int) maxSeq + 1];
    for (Session s : sessions) {
      long[] t = times.apply(s);
      for (long k = 0; k < s.attempts && k < t.length; k++) bySeq[(int) s.seq(k)] = t[(int) k];
    }
    return bySeq;
  }

  /**
   * The content each row carries: the first 16 hex digits of SHA-256("writer:seq"). Read back, a row
   * whose payload differs was altered or corrupted.
   */
  static String payload(String writerId, long seq) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256")
          .digest((writerId + ":" + seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Stops the writer and compares its acknowledgements with its rows in {@code restored}: see
   * {@link RestoreCheck}. The rows are read from the restored cluster, not from the one written to.
   */
  RestoreCheck verifyRestore(RestoredCluster restored, CallContext ctx) {
    close();
    long t0 = System.nanoTime();
    Map<Long, List<String>> found = new HashMap<>();
    try (Connection c = restored.cluster().db().open("faultline-writer-verify", 5); PreparedStatement s = c.prepareStatement(
        "select seq, payload from " + table + " where writer = ?")) {
      c.setNetworkTimeout(Runnable::run, 120_000);
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) found.computeIfAbsent(r.getLong(1), k -> new ArrayList<>(1)).add(r.getString(2));
      }
    } catch (SQLException e) {
      // The table is not in the restore at all (a restore to before its creation): every row is missing.
      if (!"42P01".equals(e.getSQLState())) {
        throw new HostError("verify(): cannot read the writer's rows from " + restored.cluster().name() + ": " + Database.message(e));
      }
    }
    return RestoreCheck.compare(id, sendsBySeq(), acknowledgementsBySeq(), found, startNanos, restored.target(), Database.since(t0));
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "acknowledged", effect = Effect.PROBE, doc = "How many inserts were acknowledged so far.")
  public long acknowledged() {
    return acknowledged.get();
  }

  @HostFunction(name = "failed", effect = Effect.PROBE, doc = "How many inserts failed (unacknowledged) so far.")
  public long failed() {
    return failed.get();
  }

  @HostFunction(name = "last_error", effect = Effect.PROBE, doc = "The last error the writer saw; empty when none.")
  public String lastError() {
    return lastError;
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "Whether the writer still writes.")
  public boolean running() {
    return sessions.stream().anyMatch(s -> s.thread.isAlive());
  }

  @HostFunction(name = "sessions", effect = Effect.PURE, doc = "How many sessions write at once.")
  public long sessionCount() {
    return sessions.size();
  }

  @HostFunction(name = "table", effect = Effect.PURE, doc = "The table it writes to.")
  public String table() {
    return table;
  }

  @HostFunction(name = "id", effect = Effect.PURE, doc = "Its id, the value of the 'writer' column of its rows.")
  public String writerId() {
    return id;
  }

  @HostFunction(name = "stop", effect = Effect.ACTION, doc = "Stops writing; the inserts so far stay recorded.")
  public Writer stop() {
    close();
    return this;
  }

  @HostFunction(name = "check", effect = Effect.PROBE, doc = "Stops the writer, reads its rows back from the database (after a"
      + " failover, from the new primary; waiting up to `wait` for one) and compares them with what was acknowledged.")
  public WriteCheck check(
      @dev.faultline.host.Arg(name = "wait", doc = "how long to wait for the database to answer", byDefault = "30s") Duration wait,
      CallContext ctx) {
    close();
    long t0 = System.nanoTime();
    Map<Long, Integer> found = new HashMap<>();
    SQLException last = null;
    long deadline = t0 + wait.toNanos();
    while (true) {
      try (Connection c = db.open("faultline-writer-check", 2); PreparedStatement s = c.prepareStatement(
          "select seq, count(*) from " + table + " where writer = ? group by seq")) {
        c.setNetworkTimeout(Runnable::run, 60_000);
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) found.put(r.getLong(1), r.getInt(2));
        }
        break;
      } catch (SQLException e) {
        if ("42P01".equals(e.getSQLState())) break; // the table itself was lost: every row is missing
        last = e;
        if (System.nanoTime() > deadline) {
          throw new HostError("check(): cannot read the writer's rows from " + db.label() + ": " + Database.message(last),
              "wait for a primary first, e.g. 'await cluster.has_primary within 30s'");
        }
        ctx.sleep(Duration.ofMillis(100));
      }
    }
    long attempted = sessions.stream().mapToLong(s -> s.attempts).sum();
    WriteCheck check = WriteCheck.compare(acknowledgementsBySeq(), attempted, found, startNanos, stopNanos, Database.since(t0));
    ctx.measurements().dataLoss(new dev.faultline.measure.DataLoss("writer " + id + " on " + db.label(), check.lost(), check.rpo()), ctx.at());
    return check;
  }

  /** Stops the writer and waits for its thread. Idempotent. */
  @Override
  public synchronized void close() {
    stopping = true;
    for (Session s : sessions) {
      try {
        s.thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (stopNanos == 0) stopNanos = System.nanoTime();
  }

  /** Acknowledged inserts per second since the start (until the stop, once stopped). */
  Rate rate() {
    long end = stopNanos != 0 ? stopNanos : System.nanoTime();
    return new Rate(acknowledged.get() / Math.max(1e-9, (end - startNanos) / 1e9));
  }

  @Override
  public String show() {
    return "pg_writer " + id + " into " + table + " on " + db.label() + ": " + acknowledged.get() + " acknowledged, "
        + failed.get() + " failed" + (running() ? "" : " (stopped)");
  }

  @Override
  public String toString() {
    return show();
  }
}
