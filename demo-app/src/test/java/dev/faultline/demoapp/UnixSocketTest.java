package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --db-socket-dir against servers that refuse every TCP connection: items, replica reads, the
 * breaker and a failover all work through the Unix sockets, as they would against postgres.local(),
 * whose password a playbook never sees. Without the flag the same API cannot reach the database.
 */
class UnixSocketTest {
  private TestPostgres pg;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void cluster() throws Exception {
    TestPostgres.assumeServer();
    pg = TestPostgres.start(1, true);
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

  @Test
  void itemsReplicaReadsAndFailoverThroughUnixSockets() throws Exception {
    Client c = api("--db-socket-dir", pg.socketDir());
    long id = ItemsTest.create(c, "{\"name\": \"via socket\"}");
    ItemsTest.await("a read served by the replica", () -> "replica".equals(c.get("/api/items/" + id).header("X-Source")));
    JsonNode ready = c.get("/health/ready").json();
    assertTrue(ready.get("ready").asBoolean(), ready.toString());
    assertEquals("up", ready.get("database").get("replica").asText());

    TestPostgres.Node replica = pg.nodes.get(1);
    pg.primary().stop();
    assertEquals(503, c.post("/api/items", "{\"name\": \"no primary\"}").status());
    replica.promote();
    ItemsTest.await("a write is accepted by the new primary", () -> c.post("/api/items", "{\"name\": \"after\"}").status() == 201);
    assertEquals(200, c.get("/api/items/" + id).status());
  }

  @Test
  void withoutTheSocketsTheseServersLetNobodyIn() throws Exception {
    Client c = api();
    Client.Answer a = c.post("/api/items", "{\"name\": \"over tcp\"}");
    assertEquals(503, a.status(), a.toString());
    assertTrue(a.json().get("error").asText().contains("pg_hba.conf"), a.toString());
  }
}
