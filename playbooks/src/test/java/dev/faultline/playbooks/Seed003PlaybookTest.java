package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.stdlib.postgres.PgTests;
import dev.faultline.stdlib.redis.RedisTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * playbooks/seed-003-ofm.fl against the demo system (two API instances behind its load balancer,
 * PostgreSQL primary and synchronous replica, Redis with Sentinels, the object store behind the HTTP
 * fault proxy): every scenario passes with the seed's expected behaviour and SLO rules; and with a
 * resilience behaviour switched off, the scenario that relies on it fails, for that reason.
 */
class Seed003PlaybookTest {
  static final Path PLAYBOOK = Path.of("../playbooks/seed-003-ofm.fl");
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  @BeforeEach
  void needsPostgresAndRedis() {
    PgTests.assumeServer();
    RedisTests.assumeServer();
  }

  private final int base = DemoSystem.freePorts(4);

  @TempDir Path dir;

  private RunOptions.Builder options() {
    return RunOptions.builder().allow(Capability.EXEC, Capability.DB, Capability.NET)
        .param("demo", DemoSystem.LAUNCHER).param("dir", dir.toString())
        .param("base_port", (long) base).param("chaos", Duration.ofSeconds(3));
  }

  @Test
  void everyScenarioMeetsTheSeedsExpectations() throws Exception {
    RunResult r = faultline.run(PLAYBOOK, options().build());
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    assertEquals(List.of("pod.kill", "redis.unavailable", "s3.5xx", "postgres.failover", "memory.pressure"),
        r.scenarios().stream().map(ScenarioResult::id).toList());
    for (ScenarioResult s : r.scenarios()) assertEquals(Status.PASSED, s.status(), s.id() + ": " + PgTests.explain(r));

    Map<String, Object> kill = r.scenario("pod.kill").orElseThrow().records();
    assertTrue(((Duration) kill.get("restart_time")).compareTo(Duration.ofSeconds(30)) < 0, kill.toString());
    assertEquals(0L, kill.get("errors_during_kill"), kill.toString());
    assertEquals(0L, r.scenario("redis.unavailable").orElseThrow().records().get("errors_without_cache"));
    Map<String, Object> s3 = r.scenario("s3.5xx").orElseThrow().records();
    assertTrue(((Number) s3.get("upload_retries")).longValue() > 0, s3.toString());
    assertEquals(0L, s3.get("upload_failures"), s3.toString());
    Map<String, Object> db = r.scenario("postgres.failover").orElseThrow().records();
    assertTrue(((Duration) db.get("failover_time")).compareTo(Duration.ofSeconds(30)) < 0, db.toString());
    assertEquals(0L, db.get("lost_writes"), db.toString());
    DemoSystem.assertNothingLeft(base, 4);
  }

  @Test
  void withoutRetriesFailoverOrTheLoadBalancersFailoverTheirScenariosFail() throws Exception {
    RunResult r = faultline.run(PLAYBOOK, options().param("retry", false).param("failover", false).param("lb_failover", false)
        .scenario("pod.kill", "s3.5xx", "postgres.failover").build());
    assertTrue(r.exitCode() == 1 || r.exitCode() == 3, PgTests.explain(r));
    ScenarioResult kill = r.scenario("pod.kill").orElseThrow();
    assertEquals(Status.FAILED, kill.status(), PgTests.explain(r));
    assertTrue(kill.message().contains("user requests failed while an instance was down: status 502"), kill.message());
    ScenarioResult s3 = r.scenario("s3.5xx").orElseThrow();
    assertEquals(Status.FAILED, s3.status(), PgTests.explain(r));
    assertTrue(s3.message().contains("uploads failed") && s3.message().contains("failed after 1 attempt"), s3.message());
    // Without failover the API keeps talking to the stopped primary: writes fail until the await gives
    // up, or, when the cached item expires first, reads fail too and the emergency guard stops the run.
    ScenarioResult db = r.scenario("postgres.failover").orElseThrow();
    assertTrue(db.status() == Status.FAILED || db.status() == Status.ABORTED, PgTests.explain(r));
    assertTrue(db.message().contains("api_takes_writes() did not become true within 30s")
        || db.message().contains("EMERGENCY ABORT: users got no answer for seconds (status 503)"), db.message());
    DemoSystem.assertNothingLeft(base, 4);
  }

  @Test
  void withoutCacheFallbackRedisUnavailabilityFails() throws Exception {
    RunResult r = faultline.run(PLAYBOOK, options().param("cache_fallback", false).scenario("redis.unavailable").build());
    // The reads fail with 503: the step says so when it looks, or the emergency guard stops the run first.
    ScenarioResult redis = r.scenario("redis.unavailable").orElseThrow();
    assertTrue(redis.status() == Status.FAILED || redis.status() == Status.ABORTED, PgTests.explain(r));
    assertTrue(redis.message().contains("requests failed without the cache: status 503")
        || redis.message().contains("EMERGENCY ABORT: users got no answer for seconds (status 503)"), redis.message());
    DemoSystem.assertNothingLeft(base, 4);
  }
}
