package dev.faultline.playbooks;

import static dev.faultline.playbooks.SeedRuns.duration;
import static dev.faultline.playbooks.SeedRuns.explain;
import static dev.faultline.playbooks.SeedRuns.messageHas;
import static dev.faultline.playbooks.SeedRuns.run;
import static dev.faultline.playbooks.SeedRuns.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Capability;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.report.ReportJson;
import dev.faultline.report.ReportMarkdown;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's suite (playbooks/seed-004-chaos-suite.fl): each scenario group selected by its tag
 * under one of the three environments, every injector at every level against its target, shortened
 * by params (1 s faults, 1 s baselines, 1 CPU worker, 64MB); the SLO verdicts, the metrics recorded,
 * the Markdown and JSON reports, the dry run, and the fail-on-violation run with the orders API's
 * cache fallback switched off.
 */
class Seed004PlaybooksTest {
  private static final String FILE = "seed-004-chaos-suite.fl";
  private static final List<String> METRICS = List.of("error_rate", "availability", "latency_degradation", "recovery_time");

  private static RunOptions.Builder shortened() throws Exception {
    return RunOptions.builder().param("duration", "1s").param("steady", "1s").param("max_workers", "1").param("max_memory", "64MB")
        .param("db_light", "2s").param("db_heavy", "3s").param("api_port", String.valueOf(SeedRuns.freePort()))
        .param("container_port", String.valueOf(SeedRuns.freePort())).param("component", SeedRuns.component("OrdersApi.java"))
        .param("container_name", "seed004-test-" + ProcessHandle.current().pid());
  }

  /** The scenarios of a group, without those whose target this machine lacks (PostgreSQL, Docker). */
  private static List<String> group(List<String> scenarios) {
    List<String> chosen = new ArrayList<>();
    for (String s : scenarios) {
      if (s.startsWith("db.") && Boolean.getBoolean("faultline.skip.postgres")) continue;
      chosen.add(s);
    }
    return chosen;
  }

  private static List<Event> slo(RunResult r, String scenario) {
    return r.events().stream().filter(e -> e.type().id().equals("slo") && scenario.equals(e.scenario())).toList();
  }

  private static void metricsRecorded(ScenarioResult s) {
    for (String m : METRICS) assertTrue(s.records().containsKey(m), s.id() + " records " + m + ": " + s.records());
    assertTrue(duration(s, "recovery_time").compareTo(Duration.ofSeconds(10)) <= 0, s.id() + ": " + s.records());
  }

  private static void passedAndJudged(RunResult r, String id) {
    ScenarioResult s = scenario(r, id, Status.PASSED);
    metricsRecorded(s);
    List<Event> verdicts = slo(r, id);
    assertEquals(5, verdicts.size(), id + ": mttr, recovery time, error rate, availability, latency degradation judged: " + verdicts);
    assertTrue(verdicts.stream().allMatch(e -> e.message().contains(" met: ")), id + ": " + verdicts);
  }

  @Test
  void smokeGroupPassesUnderTheProductionTargetsAndWritesBothReports() throws Exception {
    SeedRuns.assumeStressNg();
    RunResult r = run(FILE, shortened().allow(Capability.EXEC, Capability.NET).tag("smoke").env("prod").build());
    assertEquals(0, r.exitCode(), explain(r));
    assertEquals(List.of("cpu.light", "memory.light", "network.delay.light", "packet_loss.light"),
        r.scenarios().stream().map(ScenarioResult::id).toList());
    for (ScenarioResult s : r.scenarios()) passedAndJudged(r, s.id());
    Map<String, Object> delay = r.scenario("network.delay.light").orElseThrow().records();
    assertEquals("50ms", Values.show(delay.get("delay")));
    assertTrue(((Duration) delay.get("latency_degradation")).compareTo(Duration.ofMillis(90)) >= 0, "50ms each way: " + delay);
    List<String> targets = slo(r, "cpu.light").stream().map(Event::message).toList();
    for (String target : List.of("the target is ≤ 30s", "the target is ≤ 1%", "the target is ≥ 99%", "the target is ≤ 500ms", "the target is ≤ 10s")) {
      assertTrue(targets.stream().anyMatch(t -> t.contains(target)), "prod's " + target + " in " + targets);
    }
    String md = ReportMarkdown.render(r, false);
    assertTrue(md.contains("slo: slo.error_rate met: error rate of traffic \"api\" was 0%, the target is ≤ 1%"), md);
    assertTrue(md.contains("| profile | prod |") && md.contains("latency_degradation"), md);
    String json = ReportJson.render(r, false);
    assertTrue(json.contains("\"key\": \"slo.availability\"") && json.contains("\"latency_degradation\""), json);
  }

  @Test
  void standardGroupPassesUnderTheDevTargets() throws Exception {
    SeedRuns.assumeStressNg();
    boolean docker = SeedRuns.dockerEngine();
    List<String> ids = group(List.of("cpu.medium", "memory.medium", "network.delay.medium", "packet_loss.medium",
        "container.crash", "db.downtime.light"));
    if (ids.contains("db.downtime.light")) SeedRuns.assumePostgres();
    // the permission is needed whether or not an engine answers: without one the scenario says why it did not run
    RunResult r = run(FILE, shortened().allow(Capability.EXEC, Capability.NET, Capability.DB, Capability.DOCKER)
        .scenario(ids.toArray(String[]::new)).param("duration", "2s").build());
    assertEquals(0, r.exitCode(), explain(r));
    for (String id : List.of("cpu.medium", "memory.medium", "network.delay.medium", "packet_loss.medium")) passedAndJudged(r, id);
    ScenarioResult container = scenario(r, "container.crash", Status.PASSED);
    if (docker) {
      metricsRecorded(container);
      assertTrue(duration(container, "downtime").compareTo(Duration.ofSeconds(10)) < 0, container.records().toString());
    } else {
      assertTrue(String.valueOf(container.records().get("not_run")).startsWith("no Docker engine answers"), container.records().toString());
    }
    if (ids.contains("db.downtime.light")) {
      ScenarioResult db = scenario(r, "db.downtime.light", Status.PASSED);
      metricsRecorded(db);
      assertEquals("0%", Values.show(db.records().get("error_rate")), "the cache answers while the database is down: " + db.records());
      assertTrue((Long) db.records().get("served_stale") > 0, db.records().toString());
    }
  }

  @Test
  void stressGroupFailsTheLatencyTargetOnHeavyNetworkFaultsAndSaysSo() throws Exception {
    SeedRuns.assumeStressNg();
    SeedRuns.assumePostgres();
    RunResult r = run(FILE, shortened().allow(Capability.EXEC, Capability.NET, Capability.DB).tag("stress").env("staging").build());
    assertEquals(1, r.exitCode(), explain(r));
    assertEquals(List.of("cpu.heavy", "memory.heavy", "network.delay.heavy", "packet_loss.heavy", "db.downtime.heavy"),
        r.scenarios().stream().map(ScenarioResult::id).toList());
    for (String id : List.of("cpu.heavy", "memory.heavy", "db.downtime.heavy")) passedAndJudged(r, id);
    ScenarioResult delay = scenario(r, "network.delay.heavy", Status.FAILED);
    messageHas(delay, "slo.latency_degradation violated: p95 growth of traffic \"api-via-network\" after the first fault");
    messageHas(delay, "the target is ≤ 500ms");
    assertFalse(delay.message().contains("error_rate"), delay.message());
    metricsRecorded(delay);
    // loss is random: over a second of traffic its p95 lands either side of 500ms, never with errors
    ScenarioResult loss = r.scenario("packet_loss.heavy").orElseThrow();
    if (loss.status() == Status.FAILED) messageHas(loss, "slo.latency_degradation violated");
    else assertEquals(Status.PASSED, loss.status(), explain(r));
    assertEquals("0%", Values.show(loss.records().get("error_rate")), loss.records().toString());
  }

  @Test
  void withoutItsCacheFallbackTheOrdersApiFailsTheErrorRateTarget() throws Exception {
    SeedRuns.assumePostgres();
    RunResult r = run(FILE, shortened().allow(Capability.EXEC, Capability.NET, Capability.DB).scenario("db.downtime.light")
        .param("fallback", "false").build());
    assertEquals(1, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "db.downtime.light", Status.FAILED);
    messageHas(s, "slo.error_rate violated: error rate of traffic \"orders\" was");
    messageHas(s, "the target is ≤ 10%");
    assertTrue(s.steps().stream().allMatch(st -> st.status() == Status.PASSED), "the experiment ran; the SLO verdict fails it: " + explain(r));
  }

  @Test
  void dryRunPlansEveryScenarioAndTouchesNothing() {
    RunResult r = run(FILE, RunOptions.builder().dryRun(true).build());
    assertEquals(0, r.exitCode(), explain(r));
    assertEquals(15, r.scenarios().size(), explain(r));
    assertEquals(0, r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).count());
    assertTrue(r.events().stream().filter(e -> e.type() == EventType.FAULT_PLANNED).count() >= 15);
  }
}
