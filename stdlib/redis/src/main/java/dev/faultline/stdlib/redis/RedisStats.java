package dev.faultline.stdlib.redis;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.Map;

/**
 * Counters of one Redis server at one moment, from {@code INFO} and {@code DBSIZE}: cache hits and
 * misses since the server started (or since {@code CONFIG RESETSTAT}), clients, keys, the
 * replication offset. {@link #since} turns two of them into the figures of the window between.
 * Immutable.
 */
@HostType(name = "redis_stats", doc = "Counters of one Redis server: hits, misses, hit_rate, connected_clients, dbsize, offset;"
    + " since(earlier) gives those of a window.")
public final class RedisStats implements HostValue {
  private final boolean ok;
  private final String error;
  private final String address;
  private final String runId;
  private final String role;
  private final long hits;
  private final long misses;
  private final long clients;
  private final long dbsize;
  private final long offset;
  private final long commands;
  private final Duration latency;
  private final boolean window;

  private RedisStats(boolean ok, String error, String address, String runId, String role, long hits, long misses, long clients,
      long dbsize, long offset, long commands, Duration latency, boolean window) {
    this.ok = ok;
    this.error = error;
    this.address = address;
    this.runId = runId;
    this.role = role;
    this.hits = hits;
    this.misses = misses;
    this.clients = clients;
    this.dbsize = dbsize;
    this.offset = offset;
    this.commands = commands;
    this.latency = latency;
    this.window = window;
  }

  static RedisStats failure(String error, Duration latency, String address) {
    return new RedisStats(false, error, address, "", "down", 0, 0, 0, 0, 0, 0, latency, false);
  }

  static RedisStats of(Map<String, Object> info, String address, Duration latency) {
    String role = String.valueOf(info.getOrDefault("role", ""));
    return new RedisStats(true, "", address, String.valueOf(info.getOrDefault("run_id", "")), role.equals("slave") ? "replica" : role,
        number(info, "keyspace_hits"), number(info, "keyspace_misses"), number(info, "connected_clients"), number(info, "dbsize"),
        number(info, "master_repl_offset"), number(info, "total_commands_processed"), latency, false);
  }

  private static long number(Map<String, Object> info, String key) {
    return info.get(key) instanceof Long l ? l : 0;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the server answered.")
  public boolean ok() {
    return ok;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why it did not answer; empty when it did.")
  public String error() {
    return error;
  }

  @HostFunction(name = "address", effect = Effect.PURE, doc = "\"host:port\" of the server asked.")
  public String address() {
    return address;
  }

  @HostFunction(name = "role", effect = Effect.PURE, doc = "\"master\" or \"replica\"; \"down\" when it did not answer.")
  public String role() {
    return role;
  }

  @HostFunction(name = "hits", effect = Effect.PURE, doc = "keyspace_hits: reads that found their key.")
  public long hits() {
    return hits;
  }

  @HostFunction(name = "misses", effect = Effect.PURE, doc = "keyspace_misses: reads whose key was not there.")
  public long misses() {
    return misses;
  }

  @HostFunction(name = "lookups", effect = Effect.PURE, doc = "hits + misses.")
  public long lookups() {
    return hits + misses;
  }

  @HostFunction(name = "hit_rate", effect = Effect.PURE, doc = "hits / (hits + misses) as a percentage; 0% when there was no lookup.")
  public Percent hitRate() {
    long n = hits + misses;
    return new Percent(n == 0 ? 0 : Math.round(hits * 10000.0 / n) / 100.0);
  }

  @HostFunction(name = "connected_clients", effect = Effect.PURE, doc = "connected_clients, this probe's own connection included"
      + " (in a window: the count at its end).")
  public long connectedClients() {
    return clients;
  }

  @HostFunction(name = "dbsize", effect = Effect.PURE, doc = "How many keys (DBSIZE; in a window: at its end).")
  public long dbsize() {
    return dbsize;
  }

  @HostFunction(name = "offset", effect = Effect.PURE, doc = "master_repl_offset: the replication stream's position"
      + " (in a window: how far it moved).")
  public long offset() {
    return offset;
  }

  @HostFunction(name = "commands", effect = Effect.PURE, doc = "total_commands_processed (in a window: how many were).")
  public long commands() {
    return commands;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long the probe took.")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "since", effect = Effect.PURE, doc = "The figures of the window from `earlier` to this: hits, misses,"
      + " hit_rate, commands and offset are differences. When the server is another one, or restarted, since earlier (a"
      + " failover, a restart: its counters began again), this one's counts are taken whole.")
  public RedisStats since(@Arg(name = "earlier", doc = "stats taken before, from the same target") RedisStats earlier) {
    if (!ok || !earlier.ok || !runId.equals(earlier.runId) || !address.equals(earlier.address) || hits < earlier.hits
        || misses < earlier.misses) {
      return new RedisStats(ok, error, address, runId, role, hits, misses, clients, dbsize, offset, commands, latency, true);
    }
    return new RedisStats(true, "", address, runId, role, hits - earlier.hits, misses - earlier.misses, clients, dbsize,
        offset - earlier.offset, commands - earlier.commands, latency, true);
  }

  @Override
  public String show() {
    if (!ok) return "redis_stats unknown (" + error + ")";
    return "redis_stats " + address + " " + role + (window ? " (window)" : "") + ": " + hits + " hits, " + misses + " misses ("
        + hitRate() + "), " + clients + " clients, " + dbsize + " keys, offset " + offset + ", " + Values.show(latency);
  }

  @Override
  public String toString() {
    return show();
  }
}
