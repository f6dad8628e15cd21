package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.EventType;
import dev.faultline.run.DryRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.stdlib.redis.RedisTests;
import dev.faultline.value.Percent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * playbooks/redis-failover.fl runs against local Redis servers and Sentinels and reaches seed 002's
 * verdict (a new master within 30 s, writes on it, the old master back as a replica, the hit rate
 * recovered) and the cache side of seed 003's Redis unavailability (every read misses while it is
 * down; back empty and rebuilt), shortened to 2 s of unavailability; and it plans without any server.
 */
class RedisPlaybooksTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  @Test
  void aDryRunPlansTheFaultsAndStartsNothing() {
    RunResult r = faultline.run(Path.of("../playbooks/redis-failover.fl"), RunOptions.builder().dryRun(DryRun.PLAN).build());
    assertEquals(0, r.exitCode(), RedisTests.explain(r));
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.FAULT_PLANNED), "no fault planned");
    assertEquals(List.of(), r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).toList());
    assertTrue(r.events().stream().noneMatch(e -> e.type() == EventType.LOG && e.message().startsWith("started redis_cluster")),
        "a cluster was started in a dry run");
  }

  @Test
  void redisFailover() {
    RedisTests.assumeServer();
    RunOptions options = RunOptions.builder().allow(RedisTests.allowDb().allowed()).param("unavailable_for", Duration.ofSeconds(2)).build();
    RunResult r = faultline.run(Path.of("../playbooks/redis-failover.fl"), options);
    for (ScenarioResult s : r.scenarios()) assertEquals(Status.PASSED, s.status(), s.id() + ": " + RedisTests.explain(r));
    assertEquals(0, r.exitCode(), RedisTests.explain(r));
    assertEquals(List.of("cache.failover", "cache.unavailable", "cache.forced_failover"), r.scenarios().stream().map(ScenarioResult::id).toList());

    Map<String, Object> failover = r.scenario("cache.failover").orElseThrow().records();
    Duration took = (Duration) failover.get("failover_time");
    assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, failover.toString());
    assertTrue(((Percent) failover.get("hit_rate_after")).points() >= 90, failover.toString());
    System.out.println("redis-failover.fl: new master after " + took.toMillis() + " ms, old master a replica after "
        + ((Duration) failover.get("rejoin_time")).toMillis() + " ms, hit rate " + failover.get("hit_rate_before") + " -> "
        + failover.get("hit_rate_after"));

    Map<String, Object> down = r.scenario("cache.unavailable").orElseThrow().records();
    assertEquals(0L, down.get("hits_while_down"), down.toString());
    assertTrue(((Duration) down.get("back_after")).compareTo(Duration.ofSeconds(1)) > 0, down.toString());
    assertTrue(((Percent) down.get("hit_rate_rebuilt")).points() >= 90, down.toString());

    Map<String, Object> forced = r.scenario("cache.forced_failover").orElseThrow().records();
    assertTrue(forced.containsKey("forced_failover_time"), forced.toString());
    assertTrue(r.events().stream().anyMatch(e -> e.message().contains("not a fault: nothing reverts it")),
        "the forced failover is in the report");
  }
}
