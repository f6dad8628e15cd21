package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL failover (the primary lost, the replica promoted) under the API: with the server list
 * it reconnects to the new primary by itself; with --no-failover it stays broken. Each test has its
 * own cluster, since a promotion cannot be undone.
 */
class FailoverTest {
  private TestPostgres pg;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void cluster() throws Exception {
    TestPostgres.assumeServer();
    pg = TestPostgres.start(1);
    closing.add(pg);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
  }

  private Client api(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--db", pg.hosts(), "--db-user", "postgres",
        "--pool-timeout-ms", "500", "--breaker-open-ms", "500"));
    args.addAll(List.of(extra));
    DemoApi api = DemoApi.start(ApiConfig.parse(args.toArray(String[]::new)));
    closing.add(api);
    return new Client(api.port());
  }

  /** Loses the primary once the replica has replayed everything, then promotes the replica. */
  private void failover(long lastId) {
    TestPostgres.Node replica = pg.nodes.get(1);
    ItemsTest.await("the replica has the last write", () -> {
      try {
        return pg.sql(replica, "select count(*) from items where id = " + lastId).equals("1");
      } catch (IllegalStateException notYet) {
        return false;   // the table itself is not replayed yet
      }
    });
    pg.primary().stop();
    replica.promote();
  }

  @Test
  void afterAFailoverWritesAndReadsReachTheNewPrimary() throws Exception {
    Client c = api();
    long id = ItemsTest.create(c, "{\"name\": \"before failover\"}");
    failover(id);
    ItemsTest.await("a write is accepted by the new primary", () -> c.post("/api/items", "{\"name\": \"after\"}").status() == 201);
    assertEquals(200, c.get("/api/items/" + id).status(), "a write acknowledged before the failover is lost");
    ItemsTest.await("ready again", () -> c.get("/health/ready").status() == 200);
  }

  @Test
  void withoutFailoverTheApiStaysBrokenAfterAFailover() throws Exception {
    Client c = api("--no-failover");
    long id = ItemsTest.create(c, "{\"name\": \"before failover\"}");
    failover(id);
    // The new primary accepts writes, but the API only knows the first server: every write fails.
    for (int i = 0; i < 20; i++) {
      Client.Answer a = c.post("/api/items", "{\"name\": \"after\"}");
      assertEquals(503, a.status(), "write " + i + " after the failover: " + a);
      TestRedis.sleep(100);
    }
    assertTrue(pg.sql(pg.nodes.get(1), "select pg_is_in_recovery()").equals("f"), "the replica was promoted");
    Client.Answer ready = c.get("/health/ready");
    assertEquals(503, ready.status());
    assertEquals("down", ready.json().get("database").get("primary").asText());
  }
}
