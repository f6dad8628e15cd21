package dev.faultline.stdlib.redis;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@code CLIENT PAUSE <limit> WRITE} on one server, reverted with {@code CLIENT UNPAUSE}. The
 * server is the one the target reaches when the fault is first looked at (for a Sentinel-followed
 * target, the master then), and stays that one. The pause carries its own timeout, so Redis ends it
 * even if nothing reverts it. The journal record keeps the address and the name of the password's
 * environment variable, never the password, for {@link RedisRecoverer}. Thread-safe.
 */
final class ClientPause implements Fault {
  static final String KIND = "redis.client_pause";

  private final RedisTarget redis;
  private final Duration limit;
  private Map<String, Object> record;
  private volatile boolean sent;

  ClientPause(RedisTarget redis, Duration limit) {
    this.redis = redis;
    this.limit = limit;
  }

  private synchronized Map<String, Object> record() {
    if (record == null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("version", 1);
      r.put("kind", KIND);
      r.put("address", redis.address());
      r.put("password_env", redis.passwordEnv());
      r.put("limit_ms", limit.toMillis());
      record = Collections.unmodifiableMap(r);
    }
    return record;
  }

  private String at() {
    return String.valueOf(record().get("address"));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String target() {
    return redis.label();
  }

  @Override
  public String describe() {
    return "pause the writes of " + redis.label() + " with CLIENT PAUSE, for at most " + Values.show(limit);
  }

  @Override
  public String plan() {
    return describe() + "; CLIENT UNPAUSE when the scope ends";
  }

  @Override
  public Map<String, Object> undoRecord() {
    return record();
  }

  @Override
  public void inject(CallContext context) {
    String at = at();
    sent = true;
    try (Jedis j = RedisTarget.open(at, redis.password(), 5000)) {
      j.clientPause(limit.toMillis(), ClientPauseMode.WRITE);
    } catch (redis.clients.jedis.exceptions.JedisException e) {
      throw new HostError("CLIENT PAUSE on " + at + " failed: " + RedisTarget.message(e));
    }
  }

  @Override
  public void revert(CallContext context) {
    if (!sent) return;
    unpause(at(), redis.password());
  }

  /** CLIENT UNPAUSE; a server that refuses the connection has no pause left (it stopped, and a pause does not outlive it). */
  static void unpause(String address, String password) {
    try (Jedis j = RedisTarget.open(address, password, 5000)) {
      j.clientUnpause();
    } catch (JedisConnectionException e) {
      if (String.valueOf(RedisTarget.message(e)).toLowerCase(Locale.ROOT).contains("refused")) return;
      throw new HostError("CLIENT UNPAUSE on " + address + " failed: " + RedisTarget.message(e));
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
