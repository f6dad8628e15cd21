package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database's failure modes against a real PostgreSQL server: the circuit breaker opening while
 * the server is down and closing once it is back, the pool timeout turning a saturated pool into a
 * quick 503, and what --no-breaker and --no-pool-timeout change.
 */
class DatabaseFaultsTest {
  private static TestPostgres pg;
  private final List<AutoCloseable> closing = new ArrayList<>();

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
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    if (pg == null) return;
    try {
      pg.primary().start();   // a test that stopped it and failed leaves it running for the next
    } catch (IllegalStateException alreadyRunning) {
      // running
    }
  }

  private Client api(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--db", pg.hosts(), "--db-user", "postgres", "--no-replica-reads"));
    args.addAll(List.of(extra));
    DemoApi api = DemoApi.start(ApiConfig.parse(args.toArray(String[]::new)));
    closing.add(api);
    return new Client(api.port());
  }

  private static List<String> transitions(JsonNode breaker) {
    List<String> out = new ArrayList<>();
    breaker.get("history").forEach(t -> out.add(t.get("from").asText() + ">" + t.get("to").asText()));
    return out;
  }

  @Test
  void theBreakerOpensWhileTheDatabaseIsDownAndClosesOnceItIsBack() throws Exception {
    Client c = api("--pool-timeout-ms", "500", "--breaker-open-ms", "1000");
    long id = ItemsTest.create(c, "{\"name\": \"before\"}");
    pg.primary().stop();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Client.Answer a = c.get("/api/items/" + id);
      assertEquals(503, a.status(), a.toString());
      errors.add(a.json().get("error").asText());
    }
    assertTrue(errors.stream().anyMatch(e -> e.contains("circuit breaker is open")), errors.toString());
    JsonNode breaker = c.stats().get("db").get("breaker");
    assertTrue(transitions(breaker).contains("CLOSED>OPEN"), breaker.toString());
    assertTrue(breaker.get("rejected").asInt() > 0, breaker.toString());
    Client.Answer ready = c.get("/health/ready");
    assertEquals(503, ready.status());
    assertEquals("down", ready.json().get("database").get("primary").asText());

    pg.primary().start();
    ItemsTest.await("reads succeed again", () -> c.get("/api/items/" + id).status() == 200);
    // Half-open lets 2 trial calls through: traffic decides when it closes.
    ItemsTest.await("the breaker closes", () -> c.get("/api/items/" + id).status() == 200
        && c.stats().get("db").get("breaker").get("state").asText().equals("CLOSED"));
    List<String> all = transitions(c.stats().get("db").get("breaker"));
    assertTrue(all.contains("OPEN>HALF_OPEN") && all.contains("HALF_OPEN>CLOSED"), all.toString());
    assertEquals(200, c.get("/health/ready").status());
  }

  @Test
  void withoutTheBreakerEveryRequestWaitsForTheDeadDatabase() throws Exception {
    Client c = api("--pool-timeout-ms", "300", "--no-breaker");
    long id = ItemsTest.create(c, "{\"name\": \"before\"}");
    pg.primary().stop();
    for (int i = 0; i < 8; i++) {
      Client.Answer a = c.get("/api/items/" + id);
      assertEquals(503, a.status(), a.toString());
      assertFalse(a.json().get("error").asText().contains("circuit breaker"), a.toString());
    }
    JsonNode breaker = c.stats().get("db").get("breaker");
    assertEquals("DISABLED", breaker.get("state").asText());
    assertEquals(0, breaker.get("rejected").asInt());
    assertEquals(8, c.stats().get("db").get("errors").asInt());
    pg.primary().start();
    ItemsTest.await("reads succeed again", () -> c.get("/api/items/" + id).status() == 200);
  }

  /** Holds an exclusive lock on the items table, so that every query on it waits. */
  private static Connection lockItems() throws Exception {
    Connection lock = DriverManager.getConnection("jdbc:postgresql://" + pg.primary().address() + "/postgres", "postgres", "");
    lock.setAutoCommit(false);
    try (Statement s = lock.createStatement()) {
      s.execute("lock table items in access exclusive mode");
    }
    return lock;
  }

  @Test
  void aSaturatedPoolAnswers503QuicklyWithThePoolTimeout() throws Exception {
    Client c = api("--pool-size", "1", "--pool-timeout-ms", "400", "--no-breaker", "--db-timeout-ms", "60000");
    long id = ItemsTest.create(c, "{\"name\": \"locked\"}");
    try (Connection lock = lockItems()) {
      CompletableFuture<Client.Answer> holder = CompletableFuture.supplyAsync(() -> c.get("/api/items/" + id));
      ItemsTest.await("the only connection is taken", () ->
          c.stats().get("db").get("pool").get("primary").get("active").asInt() == 1);
      Client.Answer a = c.get("/api/items/" + id, Duration.ofSeconds(10));
      assertEquals(503, a.status(), a.toString());
      assertTrue(a.json().get("error").asText().contains("pool exhausted"), a.toString());
      assertEquals(1, c.stats().get("db").get("pool_timeouts").asInt());
      lock.rollback();
      assertEquals(200, holder.get(30, TimeUnit.SECONDS).status());
    }
  }

  @Test
  void withoutThePoolTimeoutASaturatedPoolHangsRequests() throws Exception {
    Client c = api("--pool-size", "1", "--no-pool-timeout", "--no-breaker", "--db-timeout-ms", "60000");
    long id = ItemsTest.create(c, "{\"name\": \"locked\"}");
    try (Connection lock = lockItems()) {
      CompletableFuture<Client.Answer> holder = CompletableFuture.supplyAsync(() -> c.get("/api/items/" + id));
      ItemsTest.await("the only connection is taken", () ->
          c.stats().get("db").get("pool").get("primary").get("active").asInt() == 1);
      UncheckedIOException hung = assertThrows(UncheckedIOException.class, () -> c.get("/api/items/" + id, Duration.ofSeconds(2)));
      assertTrue(hung.getCause() instanceof HttpTimeoutException, hung.toString());
      assertEquals(1, c.stats().get("db").get("pool").get("primary").get("waiting").asInt(), "the request still waits");
      lock.rollback();
      assertEquals(200, holder.get(30, TimeUnit.SECONDS).status());
    }
  }
}
