package dev.faultline.stdlib.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.host.CallContext;
import dev.faultline.run.RunResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each fault on real servers and its revert: a stopped master failed over by Sentinel and back as a
 * replica, a killed and a paused server, a server unavailable for a while, a forced failover.
 * Faults change the topology, so each test starts its own cluster (about 2 s with Sentinels).
 */
class RedisFaultsTest {
  private static final CallContext CTX = CallContext.detached();
  private static final Duration T = Duration.ofSeconds(2);

  @BeforeEach
  void server() {
    RedisTests.assumeServer();
  }

  @Test
  void aStoppedMasterIsFailedOverWithin30sWritesReachTheNewOneAndTheOldRejoinsAsAReplica() throws Exception {
    try (LocalRedis c = RedisTests.start("failover", 1, 3)) {
      String old = c.masterAddress();
      assertTrue(c.redis().set("before", "1", Duration.ZERO, T).ok());
      RedisTests.await("the replica has the key", 10, () -> "1".equals(c.nodes().get(1).redis().get("before", T).value()));
      InstanceDown stop = (InstanceDown) c.master().stop("nosave");
      stop.inject(CTX);
      assertEquals("stopped", c.nodes().get(0).role());
      assertFalse(c.redis().ping(T).ok());
      Duration took = RedisTests.await("Sentinel naming a new master", 30, () -> !c.masterAddress().equals(old));
      System.out.println("Sentinel named a new master " + took.toMillis() + " ms after the master stopped");
      assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0);
      assertEquals("node2", c.master().name());
      RedisTests.await("the new master accepting writes", 10, () -> c.redis().set("after", "2", Duration.ZERO, T).ok());
      assertEquals("2", c.nodes().get(1).redis().get("after", T).value());
      assertEquals("1", c.redis().get("before", T).value(), "a replicated key survives the failover");
      stop.revert(CTX);
      assertTrue(c.nodes().get(0).running());
      Duration rejoin = RedisTests.await("node1 back as a replica", 30, () -> c.nodes().get(0).role().equals("replica"));
      System.out.println("node1 rejoined as a replica " + rejoin.toMillis() + " ms after its restart");
      RedisTests.await("node1 replicating the new master", 10, () -> "2".equals(c.nodes().get(0).redis().get("after", T).value()));
      assertEquals("node2", c.master().name());
      assertEquals(c.nodes().get(1).address(), c.nodes().get(0).redis().replication(T).master());
      stop.revert(CTX);  // idempotent
    }
  }

  @Test
  void aKilledServerIsRestartedOnRevertEmptyWithoutPersistence() throws Exception {
    try (LocalRedis c = RedisTests.start("kill", 0, 0)) {
      RedisNode node = c.nodes().get(0);
      long pid = node.pid();
      assertTrue(node.redis().set("k", "v", Duration.ZERO, T).ok());
      InstanceDown kill = (InstanceDown) node.kill();
      assertEquals("redis.kill", kill.kind());
      kill.inject(CTX);
      assertFalse(node.running());
      assertEquals(-1, node.pid());
      assertEquals("down", node.redis().role());
      kill.revert(CTX);
      assertTrue(node.running());
      assertNotEquals(pid, node.pid());
      assertEquals("master", node.role());
      assertEquals(0, node.redis().dbsize(), "no persistence: the restarted cache is empty");
    }
  }

  @Test
  void aPausedServerAnswersNothingUntilItIsResumed() throws Exception {
    try (LocalRedis c = RedisTests.start("pause", 0, 0)) {
      RedisNode node = c.nodes().get(0);
      long pid = node.pid();
      InstancePause pause = (InstancePause) node.pause();
      assertEquals(pid, ((Number) pause.undoRecord().get("pid")).longValue());
      pause.inject(CTX);
      assertTrue(node.paused());
      assertEquals("paused", node.role());
      RedisResult r = node.redis().ping(Duration.ofMillis(300));
      assertFalse(r.ok());
      assertTrue(r.latency().toMillis() >= 250, r.show());
      pause.revert(CTX);
      assertFalse(node.paused());
      assertEquals(pid, node.pid());
      assertTrue(node.redis().ping(T).ok());
      pause.revert(CTX);  // idempotent
    }
  }

  @Test
  void pausedWritesWaitWhileReadsGoOnUntilUnpausedAndRecoverUnpausesToo() throws Exception {
    try (LocalRedis c = RedisTests.start("client-pause", 0, 0)) {
      RedisTarget target = c.nodes().get(0).redis();
      assertTrue(target.set("k", "v", Duration.ZERO, T).ok());
      ClientPause writes = (ClientPause) target.pauseWrites(Duration.ofMinutes(1));
      assertEquals(c.nodes().get(0).address(), writes.undoRecord().get("address"));
      writes.inject(CTX);
      try (RedisTarget other = new RedisTarget(target::address, "other", null, 0)) {
        assertEquals("v", other.get("k", T).value(), "reads go on");
        assertFalse(other.set("k", "w", Duration.ZERO, Duration.ofMillis(300)).ok(), "writes wait");
        writes.revert(CTX);
        assertTrue(other.set("k", "w", Duration.ZERO, T).ok());
        ClientPause again = (ClientPause) target.pauseWrites(Duration.ofMinutes(1));
        again.inject(CTX);
        assertFalse(other.set("k", "x", Duration.ZERO, Duration.ofMillis(300)).ok());
        new RedisRecoverer().revert(ClientPause.KIND, again.undoRecord());
        assertTrue(other.set("k", "x", Duration.ZERO, T).ok(), "recover sent CLIENT UNPAUSE");
        again.revert(CTX);  // idempotent
      }
    }
  }

  @Test
  void aForcedFailoverNamesTheReplicaAndIsReportedNotReverted() throws Exception {
    try (LocalRedis c = RedisTests.start("forced", 1, 3)) {
      RedisFailover f = c.failover(Duration.ofSeconds(30), CTX);
      assertTrue(f.ok(), f.show());
      assertEquals(c.nodes().get(0).address(), f.from());
      assertEquals(c.nodes().get(1).address(), f.to());
      assertEquals("node2", c.master().name());
      RedisTests.await("the old master demoted by Sentinel", 30, () -> c.nodes().get(0).role().equals("replica"));
    }
  }

  @Test
  void aStoppedSentinelKeepsTheQuorumWithTwoOfThreeAndStartsAgainOnRevert() throws Exception {
    try (LocalRedis c = RedisTests.start("sentinels", 1, 3)) {
      InstanceDown one = (InstanceDown) c.sentinelNodes().get(0).stop("nosave");
      InstanceDown two = (InstanceDown) c.sentinelNodes().get(1).stop("nosave");
      one.inject(CTX);
      assertTrue(c.sentinel().quorumOk());
      assertEquals(c.nodes().get(0).address(), c.masterAddress(), "the remaining Sentinels still answer");
      two.inject(CTX);
      RedisTests.await("the last Sentinel seeing the quorum lost", 10, () -> !c.sentinel().quorumOk());
      two.revert(CTX);
      one.revert(CTX);
      assertEquals("sentinel", c.sentinelNodes().get(0).role());
      RedisTests.await("the quorum back", 10, () -> c.sentinel().quorumOk());
    }
  }

  @Test
  void unavailableForADurationIsAStopInjectedFor() {
    Faultline faultline = Faultline.builder().standardLibrary().build();
    RunResult r = RedisTests.run(faultline, """
        playbook "unavailable" {
          scenario "s" {
            let c = redis.local(replicas: 0, sentinels: 0, name: "unavailable")
            step "down for a second, then back" {
              expect c.redis.set("k", "v").ok
              inject c.master.stop() for 1s
              expect not c.redis.ping().ok
              let back = await c.redis.ping().ok within 10s every 20ms
              record back = back
              expect c.redis.dbsize == 0, "a cache without persistence comes back empty"
            }
          }
        }
        """);
    assertEquals(0, r.exitCode(), RedisTests.explain(r));
    Duration back = (Duration) r.scenario("s").orElseThrow().records().get("back");
    assertTrue(back.toMillis() >= 700 && back.toMillis() < 10_000, back.toString());
    Map<String, Object> rec = r.scenario("s").orElseThrow().records();
    assertTrue(rec.containsKey("back"));
  }
}
