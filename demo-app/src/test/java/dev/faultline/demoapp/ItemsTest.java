package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The items API against a real PostgreSQL primary with a streaming replica and a real redis-server:
 * writes, reads from the replica, cache-aside with hits and misses, the fallback to the database when
 * Redis is down, and what --no-cache-fallback and --no-replica-reads change.
 */
class ItemsTest {
  private static TestPostgres pg;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void cluster() throws Exception {
    if (!Boolean.getBoolean(TestPostgres.SKIP) && TestPostgres.bin().isPresent()) pg = TestPostgres.start(1);
  }

  @AfterAll
  static void stopCluster() {
    if (pg != null) pg.close();
  }

  @BeforeEach
  void need() {
    TestPostgres.assumeServer();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
  }

  private Client api(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--db", pg.hosts(), "--db-user", "postgres"));
    args.addAll(List.of(extra));
    DemoApi api = DemoApi.start(ApiConfig.parse(args.toArray(String[]::new)));
    closing.add(api);
    return new Client(api.port());
  }

  private TestRedis redis() throws Exception {
    TestRedis.assumeServer();
    TestRedis r = TestRedis.start();
    closing.add(r);
    return r;
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
      TestRedis.sleep(50);
    }
  }

  static long create(Client c, String json) {
    Client.Answer a = c.post("/api/items", json);
    assertEquals(201, a.status(), a.toString());
    return a.json().get("id").asLong();
  }

  @Test
  void writesReadsAndListsItems() throws Exception {
    Client c = api();
    long id = create(c, "{\"name\": \"apple\", \"qty\": 3}");
    Client.Answer get = c.get("/api/items/" + id);
    assertEquals(200, get.status(), get.toString());
    assertEquals("apple", get.json().get("body").get("name").asText());
    assertEquals(3, get.json().get("body").get("qty").asInt());
    assertEquals(id, get.json().get("id").asLong());
    assertTrue(get.json().get("created_at").asText().contains("T"));

    long second = create(c, "{\"name\": \"pear\"}");
    await("the list shows the newest first", () -> {
      JsonNode items = c.get("/api/items?limit=2").json().get("items");
      return items.size() == 2 && items.get(0).get("id").asLong() == second && items.get(1).get("id").asLong() == id;
    });
    JsonNode stats = c.stats();
    assertEquals(2, stats.get("db").get("writes").asInt());
    assertEquals("off", stats.get("cache").get("mode").asText());
  }

  @Test
  void badInputIsA400AndAMissingItemA404() throws Exception {
    Client c = api();
    assertEquals(400, c.post("/api/items", "not json").status());
    assertEquals(400, c.post("/api/items", "[1, 2]").status());
    assertEquals(400, c.get("/api/items?limit=0").status());
    assertEquals(404, c.get("/api/items/987654321").status());
    assertEquals(405, c.method("DELETE", "/api/items/1").status());
    assertEquals(404, c.get("/api/nothing").status());
    JsonNode byStatus = c.stats().get("requests").get("by_status");
    assertEquals(3, byStatus.get("400").asInt());
    assertEquals(2, byStatus.get("404").asInt());
  }

  @Test
  void readsComeFromTheReplicaOnceItHasTheRowAndFromThePrimaryWithoutReplicaReads() throws Exception {
    Client c = api();
    long id = create(c, "{\"name\": \"replicated\"}");
    await("a read served by the replica", () -> "replica".equals(c.get("/api/items/" + id).header("X-Source")));
    assertTrue(c.stats().get("db").get("reads_replica").asInt() > 0);

    Client primaryOnly = api("--no-replica-reads");
    assertEquals("primary", primaryOnly.get("/api/items/" + id).header("X-Source"));
    JsonNode db = primaryOnly.stats().get("db");
    assertEquals(0, db.get("reads_replica").asInt());
    assertFalse(db.get("pool").has("replica"));
  }

  @Test
  void cacheAsideMissThenHitWithTtl() throws Exception {
    TestRedis redis = redis();
    Client c = api("--redis", redis.address(), "--cache-ttl-ms", "60000");
    long id = create(c, "{\"name\": \"cached\"}");
    Client.Answer first = c.get("/api/items/" + id);
    assertEquals(200, first.status());
    assertFalse("cache".equals(first.header("X-Source")));
    Client.Answer second = c.get("/api/items/" + id);
    assertEquals("cache", second.header("X-Source"));
    assertEquals(first.json(), second.json(), "the cached item is the item");
    JsonNode cache = c.stats().get("cache");
    assertEquals("direct", cache.get("mode").asText());
    assertEquals(1, cache.get("hits").asInt());
    assertEquals(1, cache.get("misses").asInt());
    assertEquals(0.5, cache.get("hit_rate").asDouble(), 1e-9);

    JsonNode ready = c.get("/health/ready").json();
    assertTrue(ready.get("ready").asBoolean(), ready.toString());
    assertEquals("up", ready.get("cache").asText());
    assertEquals("up", ready.get("database").get("primary").asText());
    assertEquals("up", ready.get("database").get("replica").asText());
    assertEquals("off", ready.get("store").asText());
    assertEquals("CLOSED", ready.get("breaker").asText());
  }

  @Test
  void withRedisDownReadsFallBackToTheDatabaseAndTheCacheRebuildsAfter() throws Exception {
    TestRedis redis = redis();
    Client c = api("--redis", redis.address());
    long id = create(c, "{\"name\": \"survivor\"}");
    c.get("/api/items/" + id);
    assertEquals("cache", c.get("/api/items/" + id).header("X-Source"));

    redis.stop();
    for (int i = 0; i < 20; i++) {
      Client.Answer a = c.get("/api/items/" + id);
      assertEquals(200, a.status(), "request " + i + " with Redis down: " + a);
      assertFalse("cache".equals(a.header("X-Source")));
    }
    JsonNode s = c.stats();
    assertEquals(20, s.get("cache").get("fallbacks").asInt());
    assertEquals(20, s.get("cache").get("errors").asInt());
    assertEquals(0, s.get("requests").get("server_errors").asInt());
    Client.Answer ready = c.get("/health/ready");
    assertEquals(200, ready.status(), "the API can serve without its cache: " + ready);
    assertEquals("down", ready.json().get("cache").asText());

    redis.startAgain();
    await("the cache serves again", () -> "cache".equals(c.get("/api/items/" + id).header("X-Source")));
  }

  @Test
  void withoutCacheFallbackRedisDownIsA503() throws Exception {
    TestRedis redis = redis();
    Client c = api("--redis", redis.address(), "--no-cache-fallback");
    long id = create(c, "{\"name\": \"fragile\"}");
    assertEquals(200, c.get("/api/items/" + id).status());
    redis.stop();
    Client.Answer a = c.get("/api/items/" + id);
    assertEquals(503, a.status(), a.toString());
    assertTrue(a.json().get("error").asText().contains("cache unavailable"), a.toString());
    JsonNode s = c.stats();
    assertEquals(0, s.get("cache").get("fallbacks").asInt());
    assertFalse(s.get("switches").get("cache_fallback").asBoolean());
    Client.Answer ready = c.get("/health/ready");
    assertEquals(503, ready.status());
    assertFalse(ready.json().get("ready").asBoolean());
  }
}
