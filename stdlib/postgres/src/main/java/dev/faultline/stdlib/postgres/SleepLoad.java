package dev.faultline.stdlib.postgres;

import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slow-query load: sessions that each run {@code select pg_sleep(…)} back to back on a thread of
 * their own until the revert cancels the running queries, closes the sessions and waits for the
 * threads. The threads are daemons, so they never keep the process alive. Idempotent.
 */
final class SleepLoad extends SessionFault {
  private static final Duration JOIN_WAIT = Duration.ofSeconds(5);

  private final Duration sleep;
  private final int connections;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Statement> running = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  SleepLoad(Database db, Duration sleep, int connections) {
    super(db, "sleep");
    this.sleep = sleep;
    this.connections = connections;
  }

  @Override
  public String kind() {
    return "postgres.slow_queries";
  }

  @Override
  public String describe() {
    return connections + " session" + (connections == 1 ? "" : "s") + " running pg_sleep(" + dev.faultline.value.Values.show(sleep)
        + ") back to back on " + db.label();
  }

  @Override
  public String plan() {
    return describe() + "; cancelled when the scope ends";
  }

  @Override
  public synchronized void inject(CallContext context) throws SQLException {
    if (!threads.isEmpty()) return;
    stopping = false;
    for (int i = 0; i < connections; i++) {
      Connection c;
      try {
        c = openSession(5);
      } catch (SQLException e) {
        if (sessions.isEmpty()) throw new HostError("slow_queries(): cannot connect: " + Database.message(e));
        context.log("slow_queries(): " + sessions.size() + " of " + connections + " sessions started: " + Database.message(e));
        break;
      }
      Thread t = new Thread(() -> loop(c), applicationName + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop(Connection c) {
    String sql = "select pg_sleep(" + sleep.toNanos() / 1e9 + ")";
    while (!stopping) {
      try (Statement s = c.createStatement()) {
        running.add(s);
        try {
          s.execute(sql);
        } finally {
          running.remove(s);
        }
      } catch (SQLException e) {
        if (stopping) return;
        try {
          if (c.isClosed()) return;
        } catch (SQLException closed) {
          return;
        }
      }
    }
  }

  @Override
  public synchronized void revert(CallContext context) throws InterruptedException {
    stopping = true;
    for (Statement s : running) {
      try {
        s.cancel();
      } catch (SQLException e) {
        // closing the session below ends the query too
      }
    }
    closeSessions();
    for (Thread t : threads) t.join(JOIN_WAIT.toMillis());
    threads.clear();
  }
}
