package dev.faultline.stdlib.redis;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A Redis server as probes see it: one fixed address, or whichever server Sentinel names master at
 * the moment of each call (so that after a failover the next call reaches the new master, as a
 * Sentinel-aware client would). One connection, opened on first use, reopened after an error or
 * when the address changes, closed with the scope that named the target. Probes never fail a step
 * when the server does not answer: their result says so. The password is read from an environment
 * variable and never shown. Thread-safe: calls are serialised on the connection.
 */
@HostType(name = "redis", doc = "A Redis server: one address, or the master that Sentinel names at each call. Probes: ping, get,"
    + " info, stats, replication, role, dbsize.")
public final class RedisTarget implements HostValue, AutoCloseable {
  private final Supplier<String> address;
  private final String label;
  private final String password;
  /** The environment variable the password came from, for the journal; empty for none. */
  private final String passwordEnv;
  private final int database;
  private Jedis connection;
  private String connectedTo;

  RedisTarget(Supplier<String> address, String label, String password, int database) {
    this(address, label, password, "", database);
  }

  RedisTarget(Supplier<String> address, String label, String password, String passwordEnv, int database) {
    this.address = address;
    this.label = label;
    this.password = password;
    this.passwordEnv = passwordEnv;
    this.database = database;
  }

  String password() {
    return password;
  }

  String passwordEnv() {
    return passwordEnv;
  }

  /** A fresh connection to {@code address} alone, outside the target's own; the caller closes it. */
  static Jedis open(String address, String password, int millis) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).clientName("faultline");
    if (password != null && !password.isEmpty()) config.password(password);
    Jedis j = new Jedis(HostAndPort.from(address), config.build());
    try {
      j.connect();
      return j;
    } catch (JedisException e) {
      j.close();
      throw e;
    }
  }

  String label() {
    return label;
  }

  /**
   * Runs {@code command} on the connection to the current address, (re)connecting as needed; its
   * errors propagate. A connection opened earlier and found broken (a server restarted, or Sentinel
   * closing clients as it promotes a replica) is replaced and the command tried once more on the new
   * one; a timeout is not retried.
   */
  synchronized <T> T with(Duration timeout, Function<Jedis, T> command) {
    String to = address.get();
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    if (connection != null && !to.equals(connectedTo)) dropConnection();
    boolean reused = connection != null;
    if (connection == null) connect(to, millis);
    connection.getConnection().setSoTimeout(millis);
    try {
      return command.apply(connection);
    } catch (JedisConnectionException e) {
      dropConnection();
      if (!reused || timedOut(e)) throw e;
    }
    connect(to, millis);
    try {
      return command.apply(connection);
    } catch (JedisConnectionException e) {
      dropConnection();
      throw e;
    }
  }

  /** A server that does not answer in time is not retried: the probe would only take twice as long. */
  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof java.net.SocketTimeoutException) return true;
    return false;
  }

  private void connect(String to, int millis) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).clientName("faultline-probe").database(database);
    if (password != null && !password.isEmpty()) config.password(password);
    Jedis j = new Jedis(HostAndPort.from(to), config.build());
    try {
      j.connect();
    } catch (JedisException e) {
      j.close();
      throw e;
    }
    connection = j;
    connectedTo = to;
  }

  private void dropConnection() {
    try {
      if (connection != null) connection.close();
    } catch (RuntimeException e) {
      // broken already
    }
    connection = null;
    connectedTo = null;
  }

  /** Runs one command as a probe: a failure (no answer, an error reply, no master known) is a result, not an error. */
  RedisResult attempt(Duration timeout, Function<Jedis, Object> command) {
    long t0 = System.nanoTime();
    String at = "";
    try {
      at = address.get();
      Object value = with(timeout, command);
      return new RedisResult(true, "", value, Duration.ofNanos(System.nanoTime() - t0), at);
    } catch (JedisException | HostError | IllegalArgumentException e) {
      return new RedisResult(false, message(e), null, Duration.ofNanos(System.nanoTime() - t0), at);
    }
  }

  static String message(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() != null && t.getMessage().startsWith("Failed to connect")) t = t.getCause();
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t != e && e.getMessage() != null) m = e.getMessage() + ": " + m;
    return m;
  }

  @HostFunction(name = "address", effect = Effect.PROBE, doc = "\"host:port\" it reaches now (for a Sentinel-followed target,"
      + " the master Sentinel names now).")
  public String address() {
    return address.get();
  }

  @HostFunction(name = "ping", effect = Effect.PROBE, doc = "PING; ok with the value \"PONG\" when it answers, and the latency.")
  public RedisResult ping(@Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "2s") Duration timeout) {
    return attempt(timeout, Jedis::ping);
  }

  @HostFunction(name = "get", effect = Effect.PROBE, doc = "GET key: the value, or null when the key is not there (a cache"
      + " miss, counted in stats().misses).")
  public RedisResult get(
      @Arg(name = "key", doc = "the key") String key,
      @Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "2s") Duration timeout) {
    return attempt(timeout, j -> j.get(key));
  }

  @HostFunction(name = "set", effect = Effect.ACTION, doc = "SET key value, with an expiry when ttl is above 0; ok when the"
      + " server stored it (a replica refuses writes: READONLY).")
  public RedisResult set(
      @Arg(name = "key", doc = "the key") String key,
      @Arg(name = "value", doc = "the value") String value,
      @Arg(name = "ttl", doc = "expire after this long; 0s for never", byDefault = "0s") Duration ttl,
      @Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "2s") Duration timeout) {
    if (ttl.isNegative()) throw new HostError("set() needs a ttl of 0s or more, got " + dev.faultline.value.Values.show(ttl));
    return attempt(timeout, j -> ttl.isZero() ? j.set(key, value) : j.set(key, value, SetParams.setParams().px(Math.max(1, ttl.toMillis()))));
  }

  @HostFunction(name = "del", effect = Effect.ACTION, doc = "DEL key; the value is how many keys were removed (0 or 1).")
  public RedisResult del(
      @Arg(name = "key", doc = "the key") String key,
      @Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "2s") Duration timeout) {
    return attempt(timeout, j -> j.del(key));
  }

  @HostFunction(name = "call", effect = Effect.ACTION, requires = Capability.DB, doc = "Any command, as a list of words:"
      + " call([\"INCRBY\", \"n\", \"5\"]). The value is the reply: a string, a number, a list or null.")
  public RedisResult call(
      @Arg(name = "command", doc = "the command and its arguments, e.g. [\"CONFIG\", \"GET\", \"maxmemory\"]") List<Object> command,
      @Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "5s") Duration timeout) {
    if (command.isEmpty()) throw new HostError("call() needs a command, e.g. call([\"PING\"])");
    String name = String.valueOf(command.get(0));
    ProtocolCommand cmd = () -> SafeEncoder.encode(name);
    String[] args = command.subList(1, command.size()).stream().map(dev.faultline.value.Values::show).toArray(String[]::new);
    return attempt(timeout, j -> convert(SafeEncoder.encodeObject(j.sendCommand(cmd, args))));
  }

  /** Replies as playbook values: strings, whole numbers, lists, null. */
  private static Object convert(Object reply) {
    if (reply instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(convert(o));
      return out;
    }
    if (reply instanceof Integer i) return i.longValue();
    return reply;
  }

  @HostFunction(name = "info", effect = Effect.PROBE, doc = "INFO section (\"\" for the default sections) as a map in the"
      + " result's value: numbers as numbers, the rest as strings.")
  public RedisResult info(
      @Arg(name = "section", doc = "\"server\", \"clients\", \"stats\", \"replication\", \"keyspace\"…; \"\" for the default ones",
          byDefault = "\"\"") String section,
      @Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "2s") Duration timeout) {
    return attempt(timeout, j -> parseInfo(section.isBlank() ? j.info() : j.info(section)));
  }

  /** {@code key:value} lines as a map; whole numbers become longs. Section headers and blank lines are skipped. */
  static Map<String, Object> parseInfo(String text) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String v = line.substring(colon + 1).strip();
      out.put(line.substring(0, colon), v.matches("-?\\d{1,18}") ? (Object) Long.parseLong(v) : v);
    }
    return out;
  }

  @HostFunction(name = "stats", effect = Effect.PROBE, doc = "Hits, misses, hit rate, connected clients, keys, replication"
      + " offset from INFO and DBSIZE; a failure is a result with ok false.")
  public RedisStats stats(@Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "2s") Duration timeout) {
    long t0 = System.nanoTime();
    RedisResult r = attempt(timeout, j -> {
      Map<String, Object> info = parseInfo(j.info());
      info.put("dbsize", j.dbSize());
      return info;
    });
    if (!r.ok()) return RedisStats.failure(r.error(), r.latency(), r.where());
    @SuppressWarnings("unchecked") Map<String, Object> info = (Map<String, Object>) r.value();
    return RedisStats.of(info, r.where(), Duration.ofNanos(System.nanoTime() - t0));
  }

  @HostFunction(name = "replication", effect = Effect.PROBE, doc = "INFO replication: role, offset and, on a master, each"
      + " replica's offset and lag; a failure is a result with ok false.")
  public Replication replication(@Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "2s") Duration timeout) {
    RedisResult r = attempt(timeout, j -> parseInfo(j.info("replication")));
    if (!r.ok()) return Replication.failure(r.error(), r.latency());
    @SuppressWarnings("unchecked") Map<String, Object> info = (Map<String, Object>) r.value();
    return Replication.of(info, r.latency());
  }

  @HostFunction(name = "role", effect = Effect.PROBE, doc = "\"master\", \"replica\" or \"sentinel\" as the server says (ROLE);"
      + " \"down\" when it does not answer within 1s.")
  public String role() {
    RedisResult r = attempt(Duration.ofSeconds(1), j -> j.role().get(0));
    if (!r.ok()) return "down";
    Object word = r.value() instanceof byte[] b ? SafeEncoder.encode(b) : r.value();
    return "slave".equals(word) ? "replica" : String.valueOf(word);
  }

  @HostFunction(name = "dbsize", effect = Effect.PROBE, doc = "DBSIZE: how many keys; -1 when it does not answer within 2s.")
  public long dbsize() {
    RedisResult r = attempt(Duration.ofSeconds(2), Jedis::dbSize);
    return r.ok() ? (Long) r.value() : -1;
  }

  /*
   * Rationale: only WRITE. With CLIENT PAUSE ALL, Redis 7.0 holds every command of every client,
   * CLIENT UNPAUSE from another connection included, until the pause's own timeout: such a fault
   * could not be reverted. A server that answers nothing is node.pause() (SIGSTOP) on a local one.
   */
  @Injector(name = "pause_writes", requires = Capability.DB, doc = "CLIENT PAUSE WRITE on the server this target reaches now:"
      + " clients' writes wait, reads and replication go on (as during a manual failover). Reverted with CLIENT UNPAUSE;"
      + " Redis itself ends the pause after `limit` should nothing revert it. Works on any server, local or not.")
  public dev.faultline.fault.Fault pauseWrites(
      @Arg(name = "limit", doc = "the pause's own timeout, after which Redis ends it whatever happens", byDefault = "5m") Duration limit) {
    if (limit.toMillis() < 1) throw new HostError("pause_writes() needs a limit above 0, e.g. limit: 5m");
    return new ClientPause(this, limit);
  }

  @Override
  public synchronized void close() {
    dropConnection();
  }

  @Override
  public String show() {
    return "redis " + label;
  }

  @Override
  public String toString() {
    return show();
  }
}
