package dev.faultline.stdlib.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Recovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed while a server is paused and another stopped leaves both faults in its journal;
 * {@code recover} resumes the paused server (SIGCONT, same process) and starts the stopped one again
 * from its configuration. The next redis.local() then removes the abandoned cluster.
 */
class RedisRecoveryTest {
  @TempDir
  Path dir;

  @Test
  void recoverResumesAPausedServerAndStartsAStoppedOneAfterTheRunWasKilled() throws Exception {
    RedisTests.assumeServer();
    Path playbook = dir.resolve("run.fl");
    Files.writeString(playbook, """
        playbook "killed" {
          scenario "s" {
            let c = redis.local(replicas: 1, sentinels: 0, name: "killed")
            step "harm, then wait to be killed" {
              inject c.nodes[1].pause()
              inject c.nodes[0].stop()
              wait 60s
            }
          }
        }
        """);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RedisRunMain.class.getName(),
        playbook.toString(), dir.resolve("journal").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
    Path cluster;
    long pausedPid;
    try {
      long end = System.nanoTime() + 60_000_000_000L;
      while (true) {
        Optional<Path> found = clusterOf(child.pid());
        if (found.isPresent()) {
          Optional<Long> paused = pidOf(found.get(), "node2");
          if (paused.isPresent() && ProcStat.isStopped(paused.get()) && pidOf(found.get(), "node1").isEmpty()) {
            cluster = found.get();
            pausedPid = paused.get();
            break;
          }
        }
        assertTrue(child.isAlive(), "the run ended early: " + Files.readString(dir.resolve("child.out")));
        assertTrue(System.nanoTime() < end, "the faults were not in place within 60s: " + Files.readString(dir.resolve("child.out")));
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      assertTrue(ProcStat.isStopped(pausedPid), "the pause outlived its run");
      Recovery.Result r = Recovery.recover(dir.resolve("journal"), Recovery.installed());
      assertEquals(2, r.count(Recovery.Outcome.REVERTED), String.join("\n", r.lines()));
      assertTrue(r.clean(), String.join("\n", r.lines()));
      assertFalse(ProcStat.isStopped(pausedPid), "node2 was resumed");
      assertEquals(Optional.of(pausedPid), pidOf(cluster, "node2"), "the same process, resumed");
      Optional<Long> restarted = pidOf(cluster, "node1");
      assertTrue(restarted.isPresent(), "node1 was started again");
      assertTrue(Recovery.recover(dir.resolve("journal"), Recovery.installed()).nothingFound(), "a second recover finds nothing");
    } finally {
      LocalRedis.removeAbandoned();
    }
    assertFalse(Files.exists(cluster), "the abandoned cluster is removed");
    assertFalse(ProcStat.isAlive(pausedPid), "its processes are killed");
  }

  /** The cluster directory that the process {@code owner} started. */
  private static Optional<Path> clusterOf(long owner) throws Exception {
    try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(LocalRedis.DIR_PREFIX)).filter(d -> {
        try {
          return Files.readString(d.resolve("owner.pid")).strip().equals(Long.toString(owner));
        } catch (Exception e) {
          return false;
        }
      }).findFirst();
    }
  }

  private static Optional<Long> pidOf(Path cluster, String node) {
    return LocalInstance.pidFromFile(cluster.resolve(node + ".pid"), LocalRedis.portOf(cluster.resolve(node + ".conf")));
  }
}
