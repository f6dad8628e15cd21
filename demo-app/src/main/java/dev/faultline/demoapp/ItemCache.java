package dev.faultline.demoapp;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

/**
 * Item bodies cached in Redis with a TTL, reached directly ({@code --redis}) or through Sentinels
 * ({@code --redis-sentinels}: the pool follows the master across a failover). Every call has short
 * timeouts; any failure is a {@link CacheDown}, for the caller to fall back on the database or not.
 * With fallback on, a breaker skips the cache for a while after repeated failures, so that a frozen
 * Redis does not add its timeout to every request.
 */
final class ItemCache implements AutoCloseable {
  /** The cache could not answer. */
  static final class CacheDown extends Exception {
    private static final long serialVersionUID = 1L;

    CacheDown(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final String PREFIX = "demo:item:";
  /** A Sentinel pool is built when first needed, and tried again at most this often while no Sentinel answers. */
  private static final long RETRY_CONNECT_MILLIS = 1000;

  private final ApiConfig config;
  private final Breaker breaker;
  private Pool<Jedis> pool;
  private long lastAttempt;

  ItemCache(ApiConfig config, Stats stats) {
    this.config = config;
    this.breaker = config.cacheFallback() ? Breaker.of("cache", Duration.ofSeconds(2), e -> true, stats) : Breaker.disabled("cache", stats);
  }

  /** "direct" or "sentinel". */
  String mode() {
    return config.redis() != null ? "direct" : "sentinel";
  }

  Breaker breaker() {
    return breaker;
  }

  Optional<String> get(long id) throws CacheDown {
    return call(j -> Optional.ofNullable(j.get(PREFIX + id)));
  }

  void put(long id, String json) throws CacheDown {
    call(j -> j.set(PREFIX + id, json, SetParams.setParams().px(config.cacheTtlMillis())));
  }

  /** "up" when the master answers PING, else "down". */
  String state() {
    try {
      return "PONG".equals(withJedis(Jedis::ping)) ? "up" : "down";
    } catch (RuntimeException e) {
      return "down";
    }
  }

  private interface Work<T> {
    T run(Jedis jedis);
  }

  private <T> T call(Work<T> work) throws CacheDown {
    try {
      return breaker.call(() -> withJedis(work));
    } catch (Unavailable e) {
      throw new CacheDown(e.getMessage(), e);
    } catch (Exception e) {
      throw new CacheDown("cache unavailable: " + e.getMessage(), e);
    }
  }

  private <T> T withJedis(Work<T> work) {
    try (Jedis j = pool().getResource()) {
      return work.run(j);
    }
  }

  private synchronized Pool<Jedis> pool() {
    if (pool != null) return pool;
    long now = System.currentTimeMillis();
    if (now - lastAttempt < RETRY_CONNECT_MILLIS) {
      throw new redis.clients.jedis.exceptions.JedisConnectionException("no Redis Sentinel answered a moment ago");
    }
    lastAttempt = now;
    GenericObjectPoolConfig<Jedis> pc = new GenericObjectPoolConfig<>();
    pc.setMaxTotal(config.threads());
    pc.setMaxWait(Duration.ofMillis(config.cacheTimeoutMillis()));
    pc.setJmxEnabled(false);
    int timeout = config.cacheTimeoutMillis();
    if (config.redis() != null) {
      String hp = config.redis();
      int colon = hp.lastIndexOf(':');
      pool = new JedisPool(pc, hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)), timeout);
    } else {
      pool = new JedisSentinelPool(config.redisMaster(), new LinkedHashSet<>(config.redisSentinels()), pc, timeout, timeout, null, 0);
    }
    return pool;
  }

  @Override
  public synchronized void close() {
    if (pool != null) pool.close();
  }
}
