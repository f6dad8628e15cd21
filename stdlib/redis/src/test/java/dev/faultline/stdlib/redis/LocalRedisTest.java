package dev.faultline.stdlib.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.host.HostError;
import dev.faultline.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** redis.local(): a real master, replica and three Sentinels on loopback ports, the probes on them, and the clean-up. */
class LocalRedisTest {
  private static LocalRedis cluster;

  @BeforeAll
  static void start() {
    if (RedisTests.wanted()) cluster = RedisTests.start("test", 1, 3);
  }

  @BeforeEach
  void server() {
    RedisTests.assumeServer();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void aMasterAReplicaAndThreeSentinelsThatKnowEachOther() {
    assertEquals("node1", cluster.master().name());
    assertEquals(cluster.nodes().get(0).address(), cluster.masterAddressProbe());
    assertEquals(List.of(cluster.nodes().get(1)), cluster.replicas());
    assertEquals("master", cluster.nodes().get(0).role());
    assertEquals("replica", cluster.nodes().get(1).role());
    assertEquals("sentinel", cluster.sentinelNodes().get(2).role());
    assertEquals(3, cluster.sentinel().knownSentinels());
    assertTrue(cluster.sentinel().quorumOk());
    assertEquals(2, cluster.quorum());
    assertEquals("mymaster", cluster.masterName());
    String[] sentinels = cluster.sentinels().split(",");
    assertEquals(3, sentinels.length);
    for (String s : sentinels) assertTrue(s.matches("127\\.0\\.0\\.1:\\d+"), s);
    List<Map<String, Object>> known = cluster.sentinel().replicas();
    assertEquals(1, known.size(), known.toString());
    assertEquals(cluster.nodes().get(1).address(), known.get(0).get("address"));
  }

  @Test
  void replicationOffsetsAndLag() throws Exception {
    RedisTarget master = cluster.redis();
    for (int i = 0; i < 50; i++) assertTrue(master.set("repl:" + i, "v" + i, Duration.ZERO, Duration.ofSeconds(2)).ok());
    Replication onMaster = master.replication(Duration.ofSeconds(2));
    assertTrue(onMaster.ok(), onMaster.error());
    assertEquals("master", onMaster.role());
    assertEquals(1, onMaster.replicaCount(), onMaster.standbys().toString());
    assertTrue(onMaster.offset() > 0);
    RedisTarget replica = cluster.nodes().get(1).redis();
    RedisTests.await("the replica catching up", 10, () -> replica.replication(Duration.ofSeconds(1)).offset()
        >= master.replication(Duration.ofSeconds(1)).offset());
    Replication onReplica = replica.replication(Duration.ofSeconds(2));
    assertEquals("replica", onReplica.role());
    assertEquals(cluster.nodes().get(0).address(), onReplica.master());
    assertTrue(onReplica.linkUp());
    RedisTests.await("the master seeing the replica's acknowledgement", 10, () -> master.replication(Duration.ofSeconds(1)).lagBytes() == 0);
    assertEquals("v7", replica.get("repl:7", Duration.ofSeconds(2)).value());
  }

  @Test
  void statsCountHitsMissesClientsAndKeysAndAWindowTakesTheDifference() {
    RedisTarget r = cluster.redis();
    assertTrue(r.set("stats:a", "1", Duration.ZERO, Duration.ofSeconds(2)).ok());
    RedisStats before = r.stats(Duration.ofSeconds(2));
    assertTrue(before.ok(), before.error());
    for (int i = 0; i < 3; i++) assertEquals("1", r.get("stats:a", Duration.ofSeconds(2)).value());
    assertEquals(null, r.get("stats:none", Duration.ofSeconds(2)).value());
    RedisStats after = r.stats(Duration.ofSeconds(2));
    RedisStats window = after.since(before);
    assertEquals(3, window.hits());
    assertEquals(1, window.misses());
    assertEquals(75.0, window.hitRate().points());
    assertTrue(after.connectedClients() >= 1);
    assertEquals(r.dbsize(), after.dbsize());
    assertTrue(after.dbsize() >= 1);
    assertEquals("master", after.role());
    RedisResult ping = r.ping(Duration.ofSeconds(2));
    assertTrue(ping.ok() && "PONG".equals(ping.value()) && ping.latency().toNanos() > 0, ping.show());
    RedisResult info = r.info("server", Duration.ofSeconds(2));
    assertEquals(cluster.nodes().get(0).port(), ((Map<?, ?>) info.value()).get("tcp_port"));
  }

  @Test
  void aReplicaRefusesWritesAndAnUnreachableServerIsAResult() {
    RedisResult refused = cluster.nodes().get(1).redis().set("x", "1", Duration.ZERO, Duration.ofSeconds(2));
    assertFalse(refused.ok());
    assertTrue(refused.error().contains("READONLY"), refused.error());
    RedisTarget nowhere = new RedisTarget(() -> "127.0.0.1:1", "nowhere", null, 0);
    RedisResult r = nowhere.ping(Duration.ofSeconds(1));
    assertFalse(r.ok());
    assertFalse(r.error().isEmpty());
    assertEquals("down", nowhere.role());
    assertEquals(-1, nowhere.dbsize());
    assertFalse(nowhere.stats(Duration.ofSeconds(1)).ok());
  }

  @Test
  void aPlaybookStartsAClusterAndEveryProcessEndsWithItsScope() throws Exception {
    Faultline faultline = Faultline.builder().standardLibrary().build();
    RunResult r = RedisTests.run(faultline, """
        playbook "local" {
          scenario "s" {
            step "a cluster for this step" {
              let c = redis.local(replicas: 1, sentinels: 3, name: "step")
              record dir = c.directory
              record pids = [c.nodes[0].pid, c.nodes[1].pid, c.sentinel_nodes[0].pid, c.sentinel_nodes[1].pid, c.sentinel_nodes[2].pid]
              record ports = [c.nodes[0].port, c.sentinel_nodes[0].port]
              expect c.master.name == "node1"
              expect c.master_address == c.nodes[0].address
              expect c.redis.set("k", "v").ok
              await c.nodes[1].redis.get("k").value == "v" within 5s
              expect c.sentinel.known_sentinels == 3
              expect c.redis.stats().dbsize == 1
            }
          }
        }
        """);
    assertEquals(0, r.exitCode(), RedisTests.explain(r));
    Map<String, Object> rec = r.scenario("s").orElseThrow().records();
    assertFalse(Files.exists(Path.of((String) rec.get("dir"))), "the cluster directory is left");
    for (Object pid : (List<?>) rec.get("pids")) {
      assertFalse(ProcessHandle.of((Long) pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " is left");
    }
    for (Object port : (List<?>) rec.get("ports")) {
      try (var s = new java.net.ServerSocket()) {
        s.bind(new java.net.InetSocketAddress("127.0.0.1", ((Long) port).intValue()));
      }
    }
  }

  @Test
  void badArgumentsAndMissingProgramsAreClearErrors() {
    RedisLibrary lib = new RedisLibrary();
    var ctx = dev.faultline.host.CallContext.detached();
    HostError e = assertThrows(HostError.class, () -> lib.local(1, 3, 4, "mymaster", Duration.ofSeconds(1), Duration.ofSeconds(5), "none", "x", ctx));
    assertTrue(e.getMessage().contains("quorum between 1 and the number of Sentinels (3)"), e.getMessage());
    e = assertThrows(HostError.class, () -> lib.local(1, 3, 0, "mymaster", Duration.ofSeconds(1), Duration.ofSeconds(5), "disk", "x", ctx));
    assertTrue(e.getMessage().contains("\"none\", \"rdb\" or \"aof\""), e.getMessage());
    e = assertThrows(HostError.class, () -> lib.redis("redis://:secret@127.0.0.1:6379", "", ctx));
    assertTrue(e.getMessage().contains("no password in its URL") && !e.getMessage().contains("secret"), e.getMessage());
    assertEquals("127.0.0.1:6380", RedisLibrary.Endpoint.parse("127.0.0.1:6380").address());
    assertEquals(2, RedisLibrary.Endpoint.parse("redis://cache:6379/2").database());
    assertTrue(RedisBinaries.find(Map.of("PATH", "/nonexistent"), List.of()).isEmpty());
  }

  @Test
  void redisIsAFunctionAndANamespaceAndTyposAreCaughtBeforeTheRun() {
    Faultline faultline = Faultline.builder().standardLibrary().build();
    dev.faultline.source.PlaybookError e = assertThrows(dev.faultline.source.PlaybookError.class,
        () -> RedisTests.run(faultline, """
            playbook "typo" {
              let r = redis("127.0.0.1:6379")
              let c = redis.locl(replicas: 1)
            }
            """));
    String all = e.diagnostics().toString();
    assertTrue(all.contains("'redis' has no member 'locl'") && all.contains("local"), all);
  }
}
