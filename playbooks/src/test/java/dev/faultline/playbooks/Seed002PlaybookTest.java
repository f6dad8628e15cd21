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
 * playbooks/seed-002-marketplace.fl against the demo system: the pre-chaos checklist holds, every
 * scenario meets the seed's success criteria; with the pool timeout, the load balancer's failover
 * or the cache fallback switched off, the scenario that relies on it fails for that reason.
 */
class Seed002PlaybookTest {
  static final Path PLAYBOOK = Path.of("../playbooks/seed-002-marketplace.fl");
  private final Faultline faultline = Faultline.builder().standardLibrary().build();
  private final int base = DemoSystem.freePorts(4);
  @TempDir Path dir;

  @BeforeEach
  void needsPostgresAndRedis() {
    PgTests.assumeServer();
    RedisTests.assumeServer();
  }

  private RunOptions.Builder options() {
    return RunOptions.builder().allow(Capability.EXEC, Capability.DB, Capability.NET)
        .param("demo", DemoSystem.LAUNCHER).param("dir", dir.toString())
        .param("base_port", (long) base).param("chaos", Duration.ofSeconds(3));
  }

  @Test
  void everyScenarioMeetsTheSeedsSuccessCriteria() throws Exception {
    RunResult r = faultline.run(PLAYBOOK, options().build());
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    assertEquals(List.of("network.latency", "pod.failure", "db.pool_exhaustion", "cache.failover", "resource.exhaustion"),
        r.scenarios().stream().map(ScenarioResult::id).toList());
    for (ScenarioResult s : r.scenarios()) assertEquals(Status.PASSED, s.status(), s.id() + ": " + PgTests.explain(r));
    Map<String, Object> pods = r.scenario("pod.failure").orElseThrow().records();
    assertTrue(((Duration) pods.get("recreated_after")).compareTo(Duration.ofSeconds(30)) < 0, pods.toString());
    assertEquals(0L, pods.get("user_errors"), pods.toString());
    Map<String, Object> pool = r.scenario("db.pool_exhaustion").orElseThrow().records();
    assertTrue(((Duration) pool.get("answered_in")).compareTo(Duration.ofSeconds(3)) < 0, pool.toString());
    assertTrue(((Number) pool.get("breaker_transitions")).longValue() > 0, pool.toString());
    Map<String, Object> cache = r.scenario("cache.failover").orElseThrow().records();
    assertTrue(((Duration) cache.get("new_master_after")).compareTo(Duration.ofSeconds(30)) < 0, cache.toString());
    assertEquals(0L, cache.get("errors_during_failover"), cache.toString());
    assertTrue(r.events().stream().anyMatch(e -> e.message().startsWith("pre-chaos checklist passed")), "the checklist is logged");
    DemoSystem.assertNothingLeft(base, 4);
  }

  @Test
  void withoutPoolTimeoutOrLoadBalancerFailoverTheirScenariosFail() throws Exception {
    RunResult r = faultline.run(PLAYBOOK, options().param("pool_timeout", false).param("lb_failover", false)
        .scenario("pod.failure", "db.pool_exhaustion").build());
    assertEquals(1, r.exitCode(), PgTests.explain(r));
    ScenarioResult pods = r.scenario("pod.failure").orElseThrow();
    assertEquals(Status.FAILED, pods.status(), PgTests.explain(r));
    assertTrue(pods.message().contains("user-facing errors while an instance was down: status 502"), pods.message());
    ScenarioResult pool = r.scenario("db.pool_exhaustion").orElseThrow();
    assertEquals(Status.FAILED, pool.status(), PgTests.explain(r));
    assertTrue(pool.message().contains("for an answer: the pool does not time out"), pool.message());
    DemoSystem.assertNothingLeft(base, 4);
  }

  @Test
  void withoutCacheFallbackTheCacheFailoverIsAnEmergency() throws Exception {
    RunResult r = faultline.run(PLAYBOOK, options().param("cache_fallback", false).scenario("cache.failover").build());
    assertEquals(3, r.exitCode(), PgTests.explain(r));
    ScenarioResult cache = r.scenario("cache.failover").orElseThrow();
    assertEquals(Status.ABORTED, cache.status(), PgTests.explain(r));
    assertTrue(cache.message().contains("EMERGENCY CHAOS ABORT"), cache.message());
    DemoSystem.assertNothingLeft(base, 4);
  }
}
