package dev.faultline.stdlib.postgres;

import dev.faultline.fault.Fault;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fault made of database sessions this process holds open (held connections, a lock, slow
 * queries). Every session carries the fault's {@code application_name}, {@code faultline-<what>-<id>},
 * so that it can be seen in {@code pg_stat_activity} and, after a crash, terminated by name by
 * {@link PostgresRecoverer}. The journal record keeps the URL, the user and the name of the
 * environment variable holding the password, never the password.
 */
abstract class SessionFault implements Fault {
  private static final SecureRandom RANDOM = new SecureRandom();

  final Database db;
  final String applicationName;
  final List<Connection> sessions = new CopyOnWriteArrayList<>();

  SessionFault(Database db, String what) {
    this.db = db;
    this.applicationName = "faultline-" + what + "-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }

  @Override
  public String target() {
    return db.label();
  }

  @Override
  public Map<String, Object> undoRecord() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("version", 1);
    r.put("kind", kind());
    r.put("url", db.jdbcUrl());
    r.put("user", db.credentials().user());
    r.put("password_env", db.credentials().passwordEnv());
    r.put("application_name", applicationName);
    return r;
  }

  Connection openSession(int connectTimeoutSeconds) throws SQLException {
    Connection c = db.open(applicationName, connectTimeoutSeconds);
    sessions.add(c);
    return c;
  }

  /** Closes every session; closing a session ends its transaction (rolled back) on the server. */
  void closeSessions() {
    for (Connection c : sessions) {
      try {
        c.close();
      } catch (SQLException e) {
        // the session is gone either way
      }
    }
    sessions.clear();
  }

  @Override
  public String toString() {
    return describe();
  }
}
