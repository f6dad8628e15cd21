package dev.faultline.stdlib.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL database as playbooks hold it: a JDBC URL, credentials, a HikariCP pool for probes
 * (started on first use, closed when the scope that made the target ends), and injectors for the
 * database faults. Faults use connections of their own, outside the pool, each tagged with an
 * {@code application_name} that names the fault, so that they can be found in
 * {@code pg_stat_activity} and terminated by {@code faultline recover}. Thread-safe.
 */
@HostType(name = "postgres", doc = "A PostgreSQL target from postgres(url, user, password_env) or a local cluster: probes"
    + " (query, ping, is_primary, lag, connections) and faults (hold_connections, terminate_backends, lock_table, slow_queries).")
public final class Database implements HostValue, AutoCloseable {
  /** Probe connections carry this application_name. */
  static final String PROBE_APP = "faultline-probe";
  private static final Pattern HOSTS = Pattern.compile("^jdbc:postgresql://([^/?]*)(.*)$");
  private static final Executor DIRECT = Runnable::run;

  private final String url;
  private final Credentials credentials;
  private final String label;
  private HikariDataSource pool;
  private boolean closed;

  Database(String url, Credentials credentials, String label) {
    this.url = url;
    this.credentials = credentials;
    this.label = label;
  }

  String url() {
    return url;
  }

  Credentials credentials() {
    return credentials;
  }

  String label() {
    return label;
  }

  /** The pool for probes: small, never failing at start, quick to give up on a server that is down. */
  private synchronized HikariDataSource pool() {
    if (closed) throw new HostError("the target " + label + " was closed with the scope that made it");
    if (pool == null) {
      HikariConfig c = new HikariConfig();
      c.setJdbcUrl(url);
      c.setUsername(credentials.user());
      c.setPassword(credentials.password());
      c.setPoolName("faultline " + label);
      c.setMaximumPoolSize(4);
      c.setMinimumIdle(0);
      c.setConnectionTimeout(2000);
      c.setValidationTimeout(1000);
      c.setInitializationFailTimeout(-1);
      c.addDataSourceProperty("ApplicationName", PROBE_APP);
      c.addDataSourceProperty("connectTimeout", "2");
      pool = new HikariDataSource(c);
    }
    return pool;
  }

  /** A connection outside the pool, tagged with {@code applicationName}; the caller closes it. */
  Connection open(String applicationName, int connectTimeoutSeconds) throws SQLException {
    Properties p = credentials.properties(applicationName);
    p.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
    return DriverManager.getConnection(url, p);
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The JDBC URL (without any password).")
  public String jdbcUrl() {
    return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
  }

  @HostFunction(name = "user", effect = Effect.PURE, doc = "The database user.")
  public String user() {
    return credentials.user();
  }

  @HostFunction(name = "address", effect = Effect.PURE, doc = "The first host:port of the URL, e.g. the upstream of a proxy().")
  public String address() {
    String hosts = hosts();
    String first = hosts.split(",")[0];
    return first.contains(":") ? first : first + ":5432";
  }

  private String hosts() {
    Matcher m = HOSTS.matcher(url);
    if (!m.matches()) throw new HostError("not a PostgreSQL JDBC URL: " + jdbcUrl());
    return m.group(1);
  }

  @HostFunction(name = "via", effect = Effect.PURE, doc = "The same database and credentials reached at another host:port"
      + " (a proxy in front of it): `db.via(link.address)`. Its pool is closed when the scope that called via() ends.")
  public Database via(
      @Arg(name = "address", doc = "host:port to connect to instead") String address,
      CallContext ctx) {
    if (!address.matches("[^/,?]+:\\d+")) throw new HostError("via() needs host:port, got \"" + address + "\"", "e.g. db.via(link.address)");
    Matcher m = HOSTS.matcher(url);
    if (!m.matches()) throw new HostError("not a PostgreSQL JDBC URL: " + jdbcUrl());
    String rest = m.group(2).replaceAll("([?&])targetServerType=[^&]*&?", "$1").replaceAll("[?&]$", "");
    Database d = new Database("jdbc:postgresql://" + address + rest, credentials, label + " via " + address);
    ctx.own(d, "database pool " + d.label);
    return d;
  }

  @HostFunction(name = "query", effect = Effect.PROBE, doc = "Runs one SQL statement on a pooled connection and returns its"
      + " rows and latency; a failure (refused, timed out, an SQL error) is a result with ok false, not an error.")
  public QueryResult query(
      @Arg(name = "sql", doc = "the statement, e.g. \"select count(*) from orders\"") String sql,
      @Arg(name = "timeout", doc = "how long the statement may take on the connection", byDefault = "10s") Duration timeout,
      CallContext ctx) {
    long t0 = System.nanoTime();
    try (Connection c = pool().getConnection()) {
      c.setNetworkTimeout(DIRECT, (int) Math.max(1, timeout.toMillis()));
      // Rationale: the latency is the statement's; the pool may check an idle connection first (one
      // more round trip), which would count a fault's delay twice.
      t0 = System.nanoTime();
      try (Statement s = c.createStatement()) {
        boolean hasRows = s.execute(sql);
        if (hasRows) {
          try (ResultSet rs = s.getResultSet()) {
            return QueryResult.of(sql, rs, since(t0));
          }
        }
        return QueryResult.updated(sql, Math.max(0, s.getUpdateCount()), since(t0));
      }
    } catch (SQLException e) {
      return QueryResult.failure(sql, since(t0), message(e), e.getSQLState());
    }
  }

  @HostFunction(name = "ping", effect = Effect.PROBE, doc = "`select 1` on a pooled connection: ok and latency.")
  public QueryResult ping(
      @Arg(name = "timeout", doc = "how long the round trip may take", byDefault = "2s") Duration timeout,
      CallContext ctx) {
    return query("select 1", timeout, ctx);
  }

  @HostFunction(name = "is_primary", effect = Effect.PROBE, doc = "Whether the server answers and accepts writes (not in recovery).")
  public boolean isPrimary(CallContext ctx) {
    QueryResult r = query("select not pg_is_in_recovery() as primary", Duration.ofSeconds(2), ctx);
    return r.ok() && Boolean.TRUE.equals(r.value());
  }

  @HostFunction(name = "lag", effect = Effect.PROBE, doc = "Replication lag as this server sees it: on a primary the worst"
      + " standby of pg_stat_replication, on a replica its own replay delay (bytes and time).")
  public ReplicationLag lag(CallContext ctx) {
    long t0 = System.nanoTime();
    try (Connection c = pool().getConnection(); Statement s = c.createStatement()) {
      c.setNetworkTimeout(DIRECT, 5000);
      boolean replica;
      try (ResultSet r = s.executeQuery("select pg_is_in_recovery()")) {
        r.next();
        replica = r.getBoolean(1);
      }
      if (replica) {
        try (ResultSet r = s.executeQuery("select coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0),"
            + " case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0"
            + " else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0) end")) {
          r.next();
          return new ReplicationLag("replica", r.getLong(1), seconds(r.getDouble(2)), List.of(), since(t0), "");
        }
      }
      List<Map<String, Object>> standbys = new ArrayList<>();
      long bytes = 0;
      Duration time = Duration.ZERO;
      try (ResultSet r = s.executeQuery("select application_name, state, sync_state,"
          + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')),"
          + " coalesce(extract(epoch from replay_lag), 0) from pg_stat_replication order by application_name")) {
        while (r.next()) {
          Map<String, Object> sb = new LinkedHashMap<>();
          sb.put("name", r.getString(1));
          sb.put("state", r.getString(2));
          sb.put("sync_state", r.getString(3));
          sb.put("bytes", r.getLong(4));
          // replay_lag keeps its last value after a standby has caught up: a standby with nothing
          // left to replay is not behind.
          Duration t = r.getLong(4) == 0 ? Duration.ZERO : seconds(r.getDouble(5));
          sb.put("time", t);
          standbys.add(java.util.Collections.unmodifiableMap(sb));
          bytes = Math.max(bytes, r.getLong(4));
          if (t.compareTo(time) > 0) time = t;
        }
      }
      return new ReplicationLag("primary", bytes, time, standbys, since(t0), "");
    } catch (SQLException e) {
      return ReplicationLag.failure(since(t0), message(e));
    }
  }

  @HostFunction(name = "connections", effect = Effect.PROBE, doc = "Client connections from pg_stat_activity, counted by"
      + " state and application_name; `count(state:, application_name:)` filters them.")
  public ConnectionCounts connections(CallContext ctx) {
    long t0 = System.nanoTime();
    try (Connection c = pool().getConnection(); Statement s = c.createStatement()) {
      c.setNetworkTimeout(DIRECT, 5000);
      List<ConnectionCounts.Group> groups = new ArrayList<>();
      try (ResultSet r = s.executeQuery("select coalesce(state, ''), coalesce(application_name, ''), count(*)"
          + " from pg_stat_activity where backend_type = 'client backend' group by 1, 2 order by 1, 2")) {
        while (r.next()) groups.add(new ConnectionCounts.Group(r.getString(1), r.getString(2), r.getLong(3)));
      }
      long max;
      try (ResultSet r = s.executeQuery("select current_setting('max_connections')::int")) {
        r.next();
        max = r.getLong(1);
      }
      return new ConnectionCounts(groups, max, since(t0), "");
    } catch (SQLException e) {
      return new ConnectionCounts(List.of(), 0, since(t0), message(e));
    }
  }

  // ------------------------------------------------------------ faults

  @Injector(name = "hold_connections", requires = Capability.DB, doc = "Opens `count` connections and holds them, idle,"
      + " until reverted: connection exhaustion. Each is tagged application_name 'faultline-hold-<id>'. With count 0 it"
      + " takes every slot the server gives this user (max_connections less the slots reserved for superusers, or all of"
      + " them for a superuser). Reverted, they are closed; after a crash, `faultline recover` terminates any left by name.")
  public Fault holdConnections(
      @Arg(name = "count", doc = "how many connections; 0 for as many as the server accepts", byDefault = "0") long count) {
    if (count < 0) throw new HostError("hold_connections() needs a count of 0 or more, got " + count);
    return new HeldConnections(this, (int) Math.min(count, 10_000));
  }

  @Injector(name = "terminate_backends", requires = Capability.DB, doc = "Terminates the client sessions matching the filters"
      + " with pg_terminate_backend() when injected and, with `every` above 0, again at that interval until reverted. Never"
      + " its own session or the server's own processes. Terminated sessions are not brought back: the revert stops the"
      + " terminating.")
  public Fault terminateBackends(
      @Arg(name = "application_name", doc = "a LIKE pattern, e.g. \"checkout%\"; empty matches any", byDefault = "\"\"") String application,
      @Arg(name = "user", doc = "only sessions of this user; empty matches any", byDefault = "\"\"") String user,
      @Arg(name = "state", doc = "only sessions in this state (active, idle, …); empty matches any", byDefault = "\"\"") String state,
      @Arg(name = "every", doc = "repeat at this interval until reverted; 0ms terminates once", byDefault = "0ms") Duration every) {
    if (application.isEmpty() && user.isEmpty()) {
      throw new HostError("terminate_backends() needs an application_name or a user to match",
          "e.g. terminate_backends(application_name: \"checkout%\"); terminating every session is rarely what a scenario means");
    }
    if (every.isNegative()) throw new HostError("terminate_backends() needs an 'every' of 0ms or more");
    return new BackendTermination(this, application, user, state, every);
  }

  @Injector(name = "lock_table", requires = Capability.DB, doc = "Locks a table in a transaction held open until reverted"
      + " (ACCESS EXCLUSIVE by default: readers and writers of the table wait). Reverted, the transaction rolls back.")
  public Fault lockTable(
      @Arg(name = "table", doc = "the table, optionally schema-qualified: \"orders\", \"shop.orders\"") String table,
      @Arg(name = "mode", doc = "the lock mode: \"access exclusive\", \"exclusive\", \"share\", \"row exclusive\", …",
          byDefault = "\"access exclusive\"") String mode,
      @Arg(name = "wait", doc = "how long to wait for the lock when others hold conflicting ones", byDefault = "10s") Duration wait) {
    return new TableLock(this, TableLock.table(table), TableLock.mode(mode), wait);
  }

  @Injector(name = "slow_queries", requires = Capability.DB, doc = "Load of slow queries: `connections` sessions each run"
      + " `select pg_sleep(…)` of `sleep` back to back until reverted; they hold backends and connection slots like a slow"
      + " query would. Reverted, the queries are cancelled and the sessions closed.")
  public Fault slowQueries(
      @Arg(name = "sleep", doc = "how long each query sleeps", byDefault = "1s") Duration sleep,
      @Arg(name = "connections", doc = "how many sessions run them at once", byDefault = "4") long connections) {
    if (sleep.isNegative() || sleep.isZero()) throw new HostError("slow_queries() needs a positive 'sleep'");
    if (connections < 1 || connections > 1000) throw new HostError("slow_queries() needs 1 to 1000 connections, got " + connections);
    return new SleepLoad(this, sleep, (int) connections);
  }

  @HostFunction(name = "writer", effect = Effect.ACTION, requires = Capability.DB, doc = "Starts a background writer that"
      + " inserts increasing sequence numbers into `table` (created if missing) and records which inserts were acknowledged;"
      + " it reconnects after errors, so with a cluster's db it follows a failover. `check()` then reports acknowledged"
      + " writes that were lost (RPO) and duplicates. It stops when the scope that started it ends.")
  public Writer writer(
      @Arg(name = "table", doc = "the table to write to", byDefault = "\"faultline_writes\"") String table,
      @Arg(name = "interval", doc = "each session's pause between inserts; 0ms writes back to back", byDefault = "0ms") Duration interval,
      @Arg(name = "sessions", doc = "how many sessions write at once (load makes an asynchronous replica fall behind)",
          byDefault = "1") long sessions,
      CallContext ctx) {
    if (sessions < 1 || sessions > 64) throw new HostError("writer() takes 1 to 64 sessions, got " + sessions);
    if (interval.isNegative()) throw new HostError("writer() needs an interval of 0ms or more");
    Writer w = Writer.start(this, TableLock.table(table), interval, (int) sessions);
    ctx.own(w, "writer " + w.id() + " on " + label);
    ctx.log("writer " + w.id() + " inserting into " + table + " on " + label);
    return w;
  }

  // ------------------------------------------------------------ helpers

  static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  static Duration seconds(double s) {
    return Duration.ofNanos((long) (s * 1e9));
  }

  /** The driver's message, first line only, without a password should a URL appear in it. */
  static String message(SQLException e) {
    String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return m.replaceAll("(?i)(password=)[^&\\s]*", "$1***");
  }

  /** Runs one statement with parameters on a fresh admin connection; for the faults' own bookkeeping. */
  int update(String applicationName, String sql, Object... params) throws SQLException {
    try (Connection c = open(applicationName, 5); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
      boolean rows = s.execute();
      if (!rows) return s.getUpdateCount();
      int n = 0;
      try (ResultSet r = s.getResultSet()) {
        while (r.next()) n++;
      }
      return n;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) pool.close();
    pool = null;
  }

  @Override
  public String show() {
    return "postgres " + label + " (" + jdbcUrl() + ", " + credentials + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
