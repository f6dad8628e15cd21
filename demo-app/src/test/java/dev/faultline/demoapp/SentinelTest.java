package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The cache through Redis Sentinel: a master, a replica and a Sentinel, all real; after a forced
 * failover the API's pool follows the new master by itself, with no 5xx on the way (seed 002's
 * "Redis Sentinel promotes a new master, no 5xx, the cache rebuilds").
 */
class SentinelTest {
  private static TestPostgres pg;
  private final List<AutoCloseable> closing = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void cluster() throws Exception {
    if (!Boolean.getBoolean(TestPostgres.SKIP) && TestPostgres.bin().isPresent()) pg = TestPostgres.start(0);
  }

  @AfterAll
  static void stopCluster() {
    if (pg != null) pg.close();
  }

  @BeforeEach
  void need() {
    TestPostgres.assumeServer();
    TestRedis.assumeServer();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
  }

  private <T extends AutoCloseable> T owned(T t) {
    closing.add(t);
    return t;
  }

  private static int masterPort(TestRedis sentinel) {
    try (Jedis j = new Jedis("127.0.0.1", sentinel.port)) {
      return Integer.parseInt(j.sentinelGetMasterAddrByName("mymaster").get(1));
    }
  }

  @Test
  void theCacheFollowsASentinelFailoverWithoutErrors() throws Exception {
    TestRedis master = owned(TestRedis.start());
    TestRedis replica = owned(TestRedis.replicaOf(master.port));
    ItemsTest.await("the replica is in sync", () -> {
      try (Jedis j = new Jedis("127.0.0.1", replica.port)) {
        return j.info("replication").contains("master_link_status:up");
      }
    });
    TestRedis sentinel = owned(TestRedis.sentinel(master.port, dir));
    ItemsTest.await("the sentinel knows the replica", () -> {
      try (Jedis j = new Jedis("127.0.0.1", sentinel.port)) {
        return !j.sentinelReplicas("mymaster").isEmpty();
      }
    });
    DemoApi api = owned(DemoApi.start(ApiConfig.parse("--port", "0", "--db", pg.hosts(), "--db-user", "postgres",
        "--redis-sentinels", sentinel.address(), "--redis-master", "mymaster")));
    Client c = new Client(api.port());
    long before = ItemsTest.create(c, "{\"name\": \"before\"}");
    c.get("/api/items/" + before);
    assertEquals("cache", c.get("/api/items/" + before).header("X-Source"));
    assertEquals("sentinel", c.stats().get("cache").get("mode").asText());

    try (Jedis j = new Jedis("127.0.0.1", sentinel.port)) {
      j.sentinelFailover("mymaster");
    }
    ItemsTest.await("the replica is the new master", () -> masterPort(sentinel) == replica.port);

    // A new item cached after the failover is cached on the new master: the pool followed it.
    long after = ItemsTest.create(c, "{\"name\": \"after\"}");
    ItemsTest.await("the new item is served from the cache", () -> "cache".equals(c.get("/api/items/" + after).header("X-Source")));
    try (Jedis j = new Jedis("127.0.0.1", replica.port)) {
      assertTrue(j.exists("demo:item:" + after), "the item is cached on the new master");
    }
    assertEquals(200, c.get("/api/items/" + before).status());
    assertEquals(0, c.stats().get("requests").get("server_errors").asInt());
    assertEquals("up", c.get("/health/ready").json().get("cache").asText());
  }
}
