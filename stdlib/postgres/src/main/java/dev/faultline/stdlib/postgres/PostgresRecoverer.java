package dev.faultline.stdlib.postgres;

import dev.faultline.fault.FaultRecoverer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reverts database session faults from their journal records in a process that did not inject them
 * ({@code faultline recover}): terminates every session whose {@code application_name} is the
 * fault's. Usually there is none left: the sessions were this process's sockets, which the kernel
 * closed when it died; they remain only while the network between the two was cut.
 *
 * <p>The password comes from the environment variable the record names. A record without one (a
 * local cluster, whose servers are removed by the next {@code postgres.local()}) needs no action.
 * Idempotent. Stateless.
 */
public final class PostgresRecoverer implements FaultRecoverer {
  private static final Set<String> KINDS = Set.of("postgres.hold_connections", "postgres.lock_table", "postgres.slow_queries");

  private final java.util.function.Function<String, String> environment;

  public PostgresRecoverer() {
    this(System::getenv);
  }

  /** With another environment, for tests. */
  PostgresRecoverer(java.util.function.Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Set<String> kinds() {
    return KINDS;
  }

  @Override
  public void revert(String kind, Map<String, Object> undo) throws Exception {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("not a PostgreSQL session fault: " + kind);
    String env = String.valueOf(undo.getOrDefault("password_env", ""));
    if (env.isEmpty()) return;
    String password = environment.apply(env);
    if (password == null) {
      throw new IllegalStateException("set $" + env + " so that recover can log in to " + undo.get("url")
          + " and terminate the sessions named " + undo.get("application_name"));
    }
    Properties p = new Properties();
    p.setProperty("user", String.valueOf(undo.get("user")));
    p.setProperty("password", password);
    p.setProperty("ApplicationName", "faultline-recover");
    p.setProperty("connectTimeout", "10");
    try (Connection c = DriverManager.getConnection(String.valueOf(undo.get("url")), p);
         PreparedStatement s = c.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity where application_name = ?")) {
      s.setString(1, String.valueOf(undo.get("application_name")));
      s.execute();
    } catch (SQLException e) {
      throw new SQLException("cannot terminate the sessions named " + undo.get("application_name") + " on " + undo.get("url")
          + ": " + Database.message(e), e.getSQLState(), e);
    }
  }
}
