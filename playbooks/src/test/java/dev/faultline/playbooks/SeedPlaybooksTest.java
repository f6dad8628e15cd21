package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.stdlib.docker.TestContainers;
import dev.faultline.value.ByteSize;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The seed playbooks under playbooks/ run and pass with their expected outcomes: the container kill
 * of seed 002 (on a real Docker engine, a group of its own, free ports) and the resource stress of
 * seeds 003/004 at each intensity level, shortened by params (1 worker, 64MB, 1s).
 * playbooks/seed-000-magds.fl is run by Seed000PlaybookTest.
 */
class SeedPlaybooksTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  private static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()).collect(Collectors.joining("\n"));
  }

  /** The first of three consecutive free ports on 127.0.0.1. */
  private static int threeFreePorts() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20000, 60000);
      boolean free = true;
      for (int i = 0; i < 3 && free; i++) {
        try (ServerSocket s = new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress())) {
          free = s.getLocalPort() == base + i;
        } catch (java.io.IOException taken) {
          free = false;
        }
      }
      if (free) return base;
    }
    throw new IllegalStateException("no three consecutive free ports");
  }

  @Test
  void seed002ContainerKillLosesNoRequestAndRecreatesWithin30s() throws Exception {
    TestContainers.assumeEngine();
    String group = "fltest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    RunResult r = faultline.run(Path.of("../playbooks/container-kill.fl"), RunOptions.builder().allow(Capability.DOCKER)
        .param("group", group).param("base_port", (long) threeFreePorts()).build());
    assertEquals(0, r.exitCode(), explain(r));
    ScenarioResult s = r.scenario("container.kill").orElseThrow();
    assertEquals(0L, s.records().get("lost_requests"));
    assertTrue(((Duration) s.records().get("recreate_time")).compareTo(Duration.ofSeconds(30)) < 0);
    assertTrue(r.events().stream().anyMatch(e -> e.message().contains("seed 2002")), "the seed is in the report");
    try (TestContainers docker = new TestContainers()) {
      assertEquals(List.of(), docker.client.listContainersCmd().withShowAll(true)
          .withLabelFilter(List.of("faultline.group=" + group)).exec(), "the replicas are removed when the playbook ends");
    }
  }

  @Test
  void seed004StressLevelsKeepTheServiceWithinItsSlo() {
    for (String level : List.of("light", "medium", "heavy")) {
      RunResult r = faultline.run(Path.of("../playbooks/resource-stress.fl"), RunOptions.builder().allow(Capability.EXEC)
          .env(level).param("duration", Duration.ofSeconds(1)).param("requests", 4L).param("max_workers", 1L)
          .param("max_memory", new ByteSize(64L << 20)).build());
      assertEquals(0, r.exitCode(), level + ": " + explain(r));
      assertEquals(List.of("cpu.stress", "memory.pressure"), r.scenarios().stream().map(ScenarioResult::id).toList());
      assertEquals(1L, r.scenario("cpu.stress").orElseThrow().records().get("workers"));
    }
  }
}
