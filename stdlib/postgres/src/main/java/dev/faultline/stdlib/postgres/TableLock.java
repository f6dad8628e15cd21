package dev.faultline.stdlib.postgres;

import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A table locked by a transaction held open until the revert rolls it back. Waiting for the lock
 * is bounded by {@code lock_timeout}, so that an inject never hangs behind someone else's lock.
 * Idempotent.
 */
final class TableLock extends SessionFault {
  private static final List<String> MODES = List.of("access share", "row share", "row exclusive", "share update exclusive",
      "share", "share row exclusive", "exclusive", "access exclusive");

  private final String table;
  private final String mode;
  private final Duration wait;

  TableLock(Database db, String table, String mode, Duration wait) {
    super(db, "lock");
    this.table = table;
    this.mode = mode;
    this.wait = wait;
  }

  /**
   * A table name checked to be a plain identifier, optionally schema-qualified. Rationale: it is
   * written into SQL; anything else is refused rather than quoted, so what runs is what was read.
   */
  static String table(String name) {
    String t = name.strip();
    if (!t.matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?")) {
      throw new HostError("not a table name: \"" + name + "\"", "use a plain name such as \"orders\" or \"shop.orders\"");
    }
    return t;
  }

  static String mode(String word) {
    String m = word.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    if (!MODES.contains(m)) throw new HostError("lock_table() has no mode \"" + word + "\"", "modes are " + String.join(", ", MODES));
    return m;
  }

  @Override
  public String kind() {
    return "postgres.lock_table";
  }

  @Override
  public String describe() {
    return "lock table " + table + " in " + mode + " mode on " + db.label();
  }

  @Override
  public String plan() {
    return describe() + "; the transaction rolls back when the scope ends";
  }

  @Override
  public synchronized void inject(CallContext context) throws SQLException {
    if (!sessions.isEmpty()) return;
    Connection c = openSession(5);
    try (Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("set local lock_timeout = " + Math.max(1, wait.toMillis()));
      s.execute("lock table " + table + " in " + mode + " mode");
    } catch (SQLException e) {
      closeSessions();
      throw new HostError("lock_table(): cannot lock " + table + ": " + Database.message(e));
    }
  }

  @Override
  public synchronized void revert(CallContext context) {
    for (Connection c : sessions) {
      try {
        c.rollback();
      } catch (SQLException e) {
        // closing below ends the transaction anyway
      }
    }
    closeSessions();
  }
}
