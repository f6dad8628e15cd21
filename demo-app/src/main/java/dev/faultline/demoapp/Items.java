package dev.faultline.demoapp;

import java.util.List;
import java.util.Optional;

/**
 * The items API's logic: cache-aside reads (the cache first, then the database, then the cache
 * filled with what was read), writes straight to the primary. When the cache fails, the read falls
 * back to the database (counted as a fallback); with {@code --no-cache-fallback} the request fails
 * with 503 instead.
 */
final class Items {
  /** An item as the API returns it, and where it came from: "cache", "replica" or "primary". */
  record Read(ItemDatabase.Item item, String source) {}

  private final ItemDatabase db;
  /** Null when no Redis was given. */
  private final ItemCache cache;
  private final boolean fallback;
  private final Stats stats;
  private final Json json;

  Items(ItemDatabase db, ItemCache cache, boolean fallback, Stats stats, Json json) {
    this.db = db;
    this.cache = cache;
    this.fallback = fallback;
    this.stats = stats;
    this.json = json;
  }

  long create(String body) {
    return db.insert(body);
  }

  Optional<Read> get(long id) {
    boolean useCache = cache != null;
    if (useCache) {
      try {
        Optional<String> hit = cache.get(id);
        if (hit.isPresent()) {
          stats.count("cache.hits");
          return Optional.of(new Read(json.item(hit.get()), "cache"));
        }
        stats.count("cache.misses");
      } catch (ItemCache.CacheDown e) {
        cacheFailed(e);
        useCache = false;
      }
    }
    Optional<ItemDatabase.Found> found = db.find(id);
    if (found.isPresent() && useCache) {
      try {
        cache.put(id, json.item(found.get().item()));
      } catch (ItemCache.CacheDown e) {
        cacheFailed(e);
      }
    }
    return found.map(f -> new Read(f.item(), f.source()));
  }

  List<ItemDatabase.Item> latest(int limit) {
    return db.latest(limit);
  }

  private void cacheFailed(ItemCache.CacheDown e) {
    stats.count("cache.errors");
    if (!fallback) throw new Unavailable("cache unavailable and fallback to the database is off: " + e.getMessage(), e);
    stats.count("cache.fallbacks");
  }
}
