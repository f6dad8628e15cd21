package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.metrics.RunMetrics;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.stdlib.postgres.PgTests;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * playbooks/seed-000-magds.fl against its real targets (magdb, a JVM component on a free port, and
 * throwaway PostgreSQL clusters): every scenario passes with the seed's criteria, the CI smoke
 * subset is selected by its tag, the seed's metrics are produced, and with magdb's config guardrail
 * switched off config.invalid fails for that reason. Nothing is left behind.
 */
class Seed000PlaybookTest {
  static final Path PLAYBOOK = Path.of("../playbooks/seed-000-magds.fl");
  static final String COMPONENT = Path.of("../playbooks/components/MagDb.java").toAbsolutePath().normalize().toString();

  @BeforeEach
  void needsPostgres() {
    PgTests.assumeServer();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static RunOptions.Builder options(int port, Path dir) {
    return RunOptions.builder().allow(Capability.EXEC, Capability.FS, Capability.DB, Capability.NET)
        .param("port", (long) port).param("dir", dir.resolve("magdb").toString()).param("component", COMPONENT);
  }

  private static boolean magdbRuns(int port) {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.contains("MagDb.java " + port)).orElse(false));
  }

  private static void nothingLeft(int port, Path dir) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (magdbRuns(port) && System.nanoTime() < deadline) Thread.sleep(50);
    assertFalse(magdbRuns(port), "magdb was shut down when the playbook ended");
    assertFalse(Files.exists(dir.resolve("magdb/magdb.conf")), "the config file made for the run is removed");
  }

  @Test
  void everyScenarioPassesWithTheSeedsCriteriaAndTheSeedsMetrics(@TempDir Path dir) throws Exception {
    int port = freePort();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Faultline faultline = Faultline.builder().standardLibrary().listener(new RunMetrics(registry)).build();
    RunResult r = faultline.run(PLAYBOOK, options(port, dir).build());
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    assertEquals(List.of("db.down.heartbeat", "db.down", "db.latency.500ms", "component.crash", "config.invalid"),
        r.scenarios().stream().map(ScenarioResult::id).toList());
    Duration failover = (Duration) r.scenario("db.down").orElseThrow().records().get("failover_time");
    assertTrue(failover.compareTo(Duration.ofSeconds(30)) <= 0, "failover " + failover);
    Duration latency = (Duration) r.scenario("db.latency.500ms").orElseThrow().records().get("query_latency");
    assertTrue(latency.compareTo(Duration.ofMillis(200)) >= 0 && latency.compareTo(Duration.ofMillis(800)) <= 0, "latency " + latency);
    Duration recovery = (Duration) r.scenario("component.crash").orElseThrow().records().get("recovery_time");
    assertTrue(recovery.compareTo(Duration.ZERO) > 0, "recovery_time " + recovery);
    nothingLeft(port, dir);

    String scrape = registry.scrape();
    for (String id : List.of("db.down", "db.latency.500ms", "component.crash", "config.invalid")) {
      assertTrue(scrape.contains("chaos_scenarios_total{result=\"passed\",scenario=\"" + id + "\"} 1.0"), id + " in\n" + scrape);
      assertTrue(scrape.contains("chaos_scenario_duration_ms_bucket{scenario=\"" + id + "\""), id + " in\n" + scrape);
    }
  }

  @Test
  void theSmokeTagSelectsTheCiSubset(@TempDir Path dir) throws Exception {
    int port = freePort();
    RunResult r = Faultline.builder().standardLibrary().build()
        .run(PLAYBOOK, options(port, dir).tag("smoke").build());
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    assertEquals(List.of("db.down.heartbeat", "component.crash", "config.invalid"),
        r.scenarios().stream().filter(s -> s.status() != Status.SKIPPED).map(ScenarioResult::id).toList());
    nothingLeft(port, dir);
  }

  @Test
  void withoutTheConfigGuardrailConfigInvalidFails(@TempDir Path dir) throws Exception {
    int port = freePort();
    RunResult r = Faultline.builder().standardLibrary().build()
        .run(PLAYBOOK, options(port, dir).scenario("config.invalid").param("validate", false).build());
    assertEquals(1, r.exitCode(), PgTests.explain(r));
    ScenarioResult invalid = r.scenario("config.invalid").orElseThrow();
    assertEquals(Status.FAILED, invalid.status(), PgTests.explain(r));
    assertTrue(invalid.message().contains("magdb did not keep its previous config: it loaded the invalid one"), invalid.message());
    nothingLeft(port, dir);
  }
}
