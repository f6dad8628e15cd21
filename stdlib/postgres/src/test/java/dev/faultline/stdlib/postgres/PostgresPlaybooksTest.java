package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database playbooks under playbooks/ run against local clusters and reach their expected outcomes. */
class PostgresPlaybooksTest {
  private static final Path PLAYBOOKS = Path.of("../../playbooks");
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  @org.junit.jupiter.api.BeforeEach
  void server() {
    PgTests.assumeServer();
  }

  private RunResult run(String file) {
    RunResult r = faultline.run(PLAYBOOKS.resolve(file), PgTests.allowDb());
    for (ScenarioResult s : r.scenarios()) assertEquals(Status.PASSED, s.status(), s.id() + ": " + PgTests.explain(r));
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    return r;
  }

  @Test
  void failover() {
    RunResult r = run("postgres-failover.fl");
    Map<String, Object> down = r.scenario("db.down").orElseThrow().records();
    assertTrue(((Duration) down.get("failover_time")).compareTo(Duration.ofSeconds(30)) < 0, down.toString());
    Map<String, Object> sync = r.scenario("failover.synchronous").orElseThrow().records();
    assertEquals(0L, sync.get("lost"), sync.toString());
    assertTrue((Long) sync.get("acknowledged") > 1000, sync.toString());
    Map<String, Object> async = r.scenario("failover.asynchronous").orElseThrow().records();
    assertTrue(async.containsKey("lost") && async.containsKey("rpo"), async.toString());
  }

  @Test
  void latency() {
    RunResult r = run("postgres-latency.fl");
    Duration latency = (Duration) r.scenario("db.latency.500ms").orElseThrow().records().get("query_latency");
    assertTrue(Math.abs(latency.toMillis() - 500) <= 300, latency.toString());
  }

  @Test
  void poolExhaustion() {
    RunResult r = run("postgres-pool-exhaustion.fl");
    Map<String, Object> rec = r.scenario("db.pool_exhaustion").orElseThrow().records();
    assertTrue((Long) rec.get("held") > 90, rec.toString());
    assertTrue(((Duration) rec.get("recovery_time")).compareTo(Duration.ofSeconds(10)) < 0, rec.toString());
  }
}
