package dev.faultline.stdlib.postgres;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Terminates the client sessions matching a filter with {@code pg_terminate_backend()}: once when
 * injected and, with an interval, again and again on a daemon thread until reverted. What was
 * terminated stays terminated (clients reconnect); the revert only stops the terminating. Never
 * terminates its own session or server processes (walsenders, autovacuum). The journal record is
 * empty: the repeating thread ends with this process, so there is nothing to undo after a crash.
 */
final class BackendTermination implements Fault {
  private static final String SQL = "select pg_terminate_backend(pid) from pg_stat_activity"
      + " where backend_type = 'client backend' and pid <> pg_backend_pid()"
      + " and (? = '' or application_name like ?) and (? = '' or usename = ?) and (? = '' or state = ?)";

  private final Database db;
  private final String application;
  private final String user;
  private final String state;
  private final Duration every;
  private volatile Thread repeater;
  private volatile boolean stopping;

  BackendTermination(Database db, String application, String user, String state, Duration every) {
    this.db = db;
    this.application = application;
    this.user = user;
    this.state = state;
    this.every = every;
  }

  @Override
  public String kind() {
    return "postgres.terminate_backends";
  }

  @Override
  public String target() {
    return db.label();
  }

  private String filter() {
    StringBuilder f = new StringBuilder();
    if (!application.isEmpty()) f.append("application_name like '").append(application).append("'");
    if (!user.isEmpty()) f.append(f.length() > 0 ? ", " : "").append("user ").append(user);
    if (!state.isEmpty()) f.append(f.length() > 0 ? ", " : "").append("state ").append(state);
    return f.toString();
  }

  @Override
  public String describe() {
    return "terminate sessions (" + filter() + ") on " + db.label()
        + (every.isZero() ? "" : " every " + dev.faultline.value.Values.show(every));
  }

  @Override
  public String plan() {
    return describe() + (every.isZero() ? "" : "; the terminating stops when the scope ends");
  }

  /** Terminates the matching sessions now; returns how many. */
  int terminateOnce() throws SQLException {
    return db.update("faultline-terminate", SQL, application, application, user, user, state, state);
  }

  @Override
  public synchronized void inject(CallContext context) throws SQLException {
    if (repeater != null) return;
    int n;
    try {
      n = terminateOnce();
    } catch (SQLException e) {
      throw new HostError("terminate_backends(): " + Database.message(e));
    }
    context.log("terminated " + n + " session" + (n == 1 ? "" : "s") + " (" + filter() + ") on " + db.label());
    if (every.isZero()) return;
    stopping = false;
    Thread t = new Thread(this::repeat, "faultline-terminate " + filter());
    t.setDaemon(true);
    repeater = t;
    t.start();
  }

  private void repeat() {
    while (!stopping) {
      try {
        Thread.sleep(Math.max(1, every.toMillis()));
        if (!stopping) terminateOnce();
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        // the server may be down for a while: try again at the next interval
      }
    }
  }

  @Override
  public synchronized void revert(CallContext context) throws InterruptedException {
    Thread t = repeater;
    if (t == null) return;
    stopping = true;
    t.interrupt();
    t.join(5000);
    repeater = null;
  }

  @Override
  public String toString() {
    return describe();
  }
}
