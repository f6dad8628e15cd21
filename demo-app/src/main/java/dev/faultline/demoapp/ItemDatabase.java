package dev.faultline.demoapp;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The items table on PostgreSQL: writes on the primary, reads preferably on a replica (falling back
 * to the primary when the replica fails or has not seen the row yet), each through its own HikariCP
 * pool and circuit breaker. A pool gives up after the pool timeout, so a saturated pool or an
 * unreachable server answers 503 quickly; an open breaker answers 503 at once.
 */
final class ItemDatabase implements AutoCloseable {
  /** One row: its id, its JSON body as text, and when it was committed (ISO-8601). */
  record Item(long id, String body, String createdAt) {}

  /** A row found, and where: "primary" or "replica". */
  record Found(Item item, String source) {}

  private static final String SCHEMA = "create table if not exists items ("
      + "id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())";

  private final ApiConfig config;
  private final Stats stats;
  private final HikariDataSource primary;
  /** Null when replica reads are switched off. */
  private final HikariDataSource reader;
  private final Breaker primaryBreaker;
  private final Breaker replicaBreaker;
  private volatile boolean schemaReady;

  ItemDatabase(ApiConfig config, Stats stats) {
    this.config = config;
    this.stats = stats;
    int socketTimeout = (int) Math.max(1, (config.dbTimeoutMillis() + 999) / 1000);
    this.primary = pool("primary", config.db().primaryUrl(config.failover(), socketTimeout));
    this.reader = config.replicaReads() ? pool("replica", config.db().readerUrl(config.failover(), socketTimeout)) : null;
    this.primaryBreaker = breaker("database");
    this.replicaBreaker = breaker("replica");
  }

  private Breaker breaker(String name) {
    return config.breaker()
        ? Breaker.of(name, java.time.Duration.ofMillis(config.breakerOpenMillis()), e -> e instanceof SQLException, stats)
        : Breaker.disabled(name, stats);
  }

  private HikariDataSource pool(String name, String url) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url);
    c.setUsername(config.dbUser());
    if (config.dbPassword() != null) c.setPassword(config.dbPassword());
    c.setMaximumPoolSize(config.poolSize());
    c.setMinimumIdle(config.poolSize());
    // 0 is HikariCP's "wait for ever": what --no-pool-timeout turns the pool into.
    c.setConnectionTimeout(config.poolTimeout() ? Math.max(250, config.poolTimeoutMillis()) : 0);
    c.setValidationTimeout(250);
    // Start even when no server answers yet: the API is alive and says so in /health/ready.
    c.setInitializationFailTimeout(-1);
    return new HikariDataSource(c);
  }

  /** Creates the table once; tried again before each call until it worked. */
  private void ensureSchema() throws SQLException {
    if (schemaReady) return;
    synchronized (this) {
      if (schemaReady) return;
      try (Connection c = primary.getConnection(); Statement s = c.createStatement()) {
        s.execute(SCHEMA);
      }
      schemaReady = true;
    }
  }

  /** Inserts a row and returns its id once the transaction has committed. */
  long insert(String json) {
    long id = onPrimary(() -> {
      ensureSchema();
      try (Connection c = primary.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("insert into items (body) values (?::jsonb) returning id")) {
          ps.setString(1, json);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long newId = rs.getLong(1);
            c.commit();
            return newId;
          }
        } catch (SQLException e) {
          rollbackQuietly(c);
          throw e;
        }
      }
    });
    stats.count("db.writes");
    return id;
  }

  Optional<Found> find(long id) {
    if (reader != null && replicaBreaker.permits()) {
      try {
        Optional<Item> item = replicaBreaker.call(() -> select(reader, id));
        stats.count("db.reads_replica");
        if (item.isPresent()) return Optional.of(new Found(item.get(), "replica"));
        // Not there yet (replication lag) or not at all: the primary decides.
      } catch (Exception e) {
        stats.count("db.replica_errors");
      }
    }
    Optional<Item> item = onPrimary(() -> select(primary, id));
    stats.count("db.reads_primary");
    return item.map(i -> new Found(i, "primary"));
  }

  /** The newest rows, newest first. */
  List<Item> latest(int limit) {
    if (reader != null && replicaBreaker.permits()) {
      try {
        List<Item> items = replicaBreaker.call(() -> latest(reader, limit));
        stats.count("db.reads_replica");
        return items;
      } catch (Exception e) {
        stats.count("db.replica_errors");
      }
    }
    List<Item> items = onPrimary(() -> latest(primary, limit));
    stats.count("db.reads_primary");
    return items;
  }

  private Optional<Item> select(HikariDataSource ds, long id) throws SQLException {
    ensureSchema();
    try (Connection c = ds.getConnection();
         PreparedStatement ps = c.prepareStatement("select id, body::text, created_at from items where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(item(rs)) : Optional.empty();
      }
    }
  }

  private List<Item> latest(HikariDataSource ds, int limit) throws SQLException {
    ensureSchema();
    try (Connection c = ds.getConnection();
         PreparedStatement ps = c.prepareStatement("select id, body::text, created_at from items order by id desc limit ?")) {
      ps.setInt(1, limit);
      List<Item> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(item(rs));
      }
      return out;
    }
  }

  private static Item item(ResultSet rs) throws SQLException {
    return new Item(rs.getLong(1), rs.getString(2), rs.getObject(3, java.time.OffsetDateTime.class).toString());
  }

  /** Runs {@code work} through the primary's breaker; a failure becomes a 503 with what went wrong. */
  private <T> T onPrimary(Callable<T> work) {
    try {
      return primaryBreaker.call(work);
    } catch (Unavailable e) {
      throw e;
    } catch (SQLTransientConnectionException e) {
      stats.count("db.errors");
      stats.count("db.pool_timeouts");
      Throwable cause = e.getCause();
      throw new Unavailable(cause == null
          ? "database connection pool exhausted: no connection free within " + config.poolTimeoutMillis() + " ms"
          : "database unreachable: " + firstLine(cause.getMessage()), e);
    } catch (SQLException e) {
      stats.count("db.errors");
      throw new Unavailable("database error: " + firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      stats.count("db.errors");
      throw new Unavailable("database error: " + e, e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "(no message)";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool drops it
    }
  }

  Breaker breaker() {
    return primaryBreaker;
  }

  Breaker replicaBreaker() {
    return replicaBreaker;
  }

  /** "up" when a new connection to the primary answers a query within 2 s, else "down". Bypasses pool and breaker. */
  String primaryState() {
    return probe(config.db().primaryUrl(config.failover(), 2));
  }

  /** "up" when a replica answers, "down" when none does, "off" when reads go to the primary. */
  String replicaState() {
    if (reader == null) return "off";
    return probe(config.db().replicaOnlyUrl());
  }

  private String probe(String url) {
    Properties p = new Properties();
    p.setProperty("user", config.dbUser());
    if (config.dbPassword() != null) p.setProperty("password", config.dbPassword());
    try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
      s.execute("select 1");
      return "up";
    } catch (SQLException e) {
      return "down";
    }
  }

  Map<String, Object> pools() {
    Map<String, Object> out = new TreeMap<>();
    out.put("primary", pool(primary));
    if (reader != null) out.put("replica", pool(reader));
    return out;
  }

  private static Map<String, Object> pool(HikariDataSource ds) {
    Map<String, Object> out = new TreeMap<>();
    HikariPoolMXBean bean = ds.getHikariPoolMXBean();
    out.put("active", bean == null ? 0 : bean.getActiveConnections());
    out.put("idle", bean == null ? 0 : bean.getIdleConnections());
    out.put("waiting", bean == null ? 0 : bean.getThreadsAwaitingConnection());
    out.put("total", bean == null ? 0 : bean.getTotalConnections());
    out.put("max", ds.getMaximumPoolSize());
    return out;
  }

  @Override
  public void close() {
    primary.close();
    if (reader != null) reader.close();
  }
}
