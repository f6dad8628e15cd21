package dev.faultline.demoapp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What {@code /health/ready} and {@code /stats} show: the state of each dependency, checked now,
 * and the counters with the breakers' and pools' state. The field names are documented in
 * demo-app/README.md, and playbooks read them.
 */
final class StatusReport implements AutoCloseable {
  private final ApiConfig config;
  private final Stats stats;
  private final ItemDatabase db;
  /** Null when no Redis was given. */
  private final ItemCache cache;
  private final UploadClient uploads;
  /** Runs the readiness checks; apart from the request threads, which may all be busy. */
  private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "ready-check");
    t.setDaemon(true);
    return t;
  });

  StatusReport(ApiConfig config, Stats stats, ItemDatabase db, ItemCache cache, UploadClient uploads) {
    this.config = config;
    this.stats = stats;
    this.db = db;
    this.cache = cache;
    this.uploads = uploads;
  }

  /**
   * Ready when it can serve items: the primary answers and its breaker is not open, and the cache
   * answers or a cache failure would fall back to the database. The replica and the object store are
   * reported but do not decide it: reads fall back to the primary, and a store outage fails only uploads.
   */
  Map<String, Object> readiness() {
    // The four checks run at once: a frozen dependency costs its own timeout, not the sum of them.
    CompletableFuture<String> primaryCheck = CompletableFuture.supplyAsync(db::primaryState, checks);
    CompletableFuture<String> replicaCheck = CompletableFuture.supplyAsync(db::replicaState, checks);
    CompletableFuture<String> cacheCheck = CompletableFuture.supplyAsync(() -> cache == null ? "off" : cache.state(), checks);
    String store = uploads.state();
    String primary = primaryCheck.join();
    String replica = replicaCheck.join();
    String cacheState = cacheCheck.join();
    boolean ready = primary.equals("up") && !db.breaker().isOpen() && (cacheState.equals("up") || cache == null || config.cacheFallback());
    Map<String, Object> database = new TreeMap<>();
    database.put("primary", primary);
    database.put("replica", replica);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ready", ready);
    out.put("database", database);
    out.put("cache", cacheState);
    out.put("store", store);
    out.put("breaker", db.breaker().state());
    return out;
  }

  Map<String, Object> stats() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("uptime_ms", stats.uptimeMillis());
    out.put("switches", config.switches());
    out.put("requests", stats.requests());

    Map<String, Object> c = new TreeMap<>();
    c.put("mode", cache == null ? "off" : cache.mode());
    long hits = stats.get("cache.hits");
    long misses = stats.get("cache.misses");
    c.put("hits", hits);
    c.put("misses", misses);
    c.put("errors", stats.get("cache.errors"));
    c.put("fallbacks", stats.get("cache.fallbacks"));
    c.put("hit_rate", hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
    c.put("breaker", cache == null ? "DISABLED" : cache.breaker().state());
    out.put("cache", c);

    Map<String, Object> d = new TreeMap<>();
    d.put("writes", stats.get("db.writes"));
    d.put("reads_primary", stats.get("db.reads_primary"));
    d.put("reads_replica", stats.get("db.reads_replica"));
    d.put("errors", stats.get("db.errors"));
    d.put("replica_errors", stats.get("db.replica_errors"));
    d.put("pool_timeouts", stats.get("db.pool_timeouts"));
    d.put("breaker", db.breaker().describe());
    d.put("replica_breaker", db.replicaBreaker().describe());
    d.put("pool", db.pools());
    out.put("db", d);

    Map<String, Object> u = new TreeMap<>();
    u.put("attempts", stats.get("uploads.attempts"));
    u.put("retries", stats.get("uploads.retries"));
    u.put("succeeded", stats.get("uploads.succeeded"));
    u.put("failures", stats.get("uploads.failures"));
    u.put("etag_mismatches", stats.get("uploads.etag_mismatches"));
    u.put("delays_ms", stats.retryDelays());
    u.put("download_attempts", stats.get("downloads.attempts"));
    u.put("download_retries", stats.get("downloads.retries"));
    u.put("download_failures", stats.get("downloads.failures"));
    out.put("uploads", u);
    return out;
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
