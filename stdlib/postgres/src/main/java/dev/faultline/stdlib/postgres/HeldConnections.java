package dev.faultline.stdlib.postgres;

import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Connection exhaustion: sessions opened and held idle until the revert closes them. With a count
 * of 0 it takes every slot the server gives this user; the server refusing more ("too many
 * clients", SQLSTATE 53300) ends the opening, and what was opened is held. Idempotent.
 */
final class HeldConnections extends SessionFault {
  private final int count;
  private volatile boolean injected;

  HeldConnections(Database db, int count) {
    super(db, "hold");
    this.count = count;
  }

  @Override
  public String kind() {
    return "postgres.hold_connections";
  }

  @Override
  public String describe() {
    return "hold " + (count == 0 ? "every free connection" : count + " connection" + (count == 1 ? "" : "s")) + " to "
        + db.label() + " as '" + applicationName + "'";
  }

  @Override
  public String plan() {
    return describe() + "; closed when the scope ends";
  }

  @Override
  public synchronized void inject(CallContext context) throws SQLException {
    if (injected) return;
    injected = true;
    int wanted = count > 0 ? count : freeSlots();
    SQLException refused = null;
    for (int i = 0; i < wanted; i++) {
      context.checkInterrupted();
      try {
        openSession(5);
      } catch (SQLException e) {
        refused = e;
        break;
      }
    }
    if (sessions.isEmpty() && wanted > 0) {
      throw new HostError("hold_connections(): the server refused the first connection: " + Database.message(refused));
    }
    context.log("holding " + sessions.size() + " connection" + (sessions.size() == 1 ? "" : "s") + " to " + db.label()
        + (refused != null ? " (then the server refused more: " + Database.message(refused) + ")" : ""));
  }

  /** The slots this user may still take: max_connections, less the reserved ones unless superuser, less those in use. */
  private int freeSlots() throws SQLException {
    try (Connection c = db.open(applicationName + "-count", 5); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("select current_setting('max_connections')::int,"
             + " current_setting('superuser_reserved_connections')::int,"
             + " (select rolsuper from pg_roles where rolname = current_user),"
             + " (select count(*) from pg_stat_activity where backend_type = 'client backend')")) {
      r.next();
      int allowed = r.getBoolean(3) ? r.getInt(1) : r.getInt(1) - r.getInt(2);
      return Math.max(0, allowed - (r.getInt(4) - 1));
    }
  }

  @Override
  public synchronized void revert(CallContext context) {
    closeSessions();
    injected = false;
  }
}
