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
import dev.faultline.report.EventType;
import dev.faultline.report.ReportMarkdown;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 001's playbooks (playbooks/seed-001-*.fl) run against local targets, shortened by params,
 * and reach the verdicts the seed's rules give: each rule once where it holds and once where it
 * trips, and a run with a resilience behaviour switched off (the peers' fencing, the workers'
 * supervisor) that fails for that reason.
 *
 * <p>The runs mostly wait on real timers, so all of them start side by side before the tests (on
 * six threads), and each test waits for its run and judges it; the tests themselves run one after
 * the other, as everywhere else. Runs that hold stress workers (whose memory the memory playbook
 * measures) run one at a time on a thread of their own, and each kill storm has workers of its own.
 * Selecting one test still runs them all (they are started before the tests and awaited after).
 */
class Seed001PlaybooksTest {
  private static final Map<String, Supplier<RunResult>> RUNS = new LinkedHashMap<>();
  private static final Map<String, Future<RunResult>> STARTED = new LinkedHashMap<>();
  private static final List<String> WITH_STRESS = List.of("memory.under", "memory.over", "emergency", "emergency.crash", "emergency.stable");
  private static ExecutorService side;
  private static ExecutorService stress;

  static {
    RUNS.put("latency", () -> run("seed-001-latency.fl", options(Capability.NET).param("duration", "2s").param("monitor", "1s").build()));
    RUNS.put("latency.rollback", () -> run("seed-001-latency.fl", options(Capability.NET).scenario("latency.blast_radius")
        .param("duration", "3s").param("p95_bound", "500ms").build()));
    RUNS.put("latency.refused", () -> run("seed-001-latency.fl", options(Capability.NET).scenario("latency.blast_radius")
        .param("duration", "1s").param("faulted", "2").build()));
    RUNS.put("incident.p3", () -> incident("incident_errors", "20%"));
    RUNS.put("incident.p2", () -> incident("blast_radius", "50%", "incident_instances", "5", "incident_errors", "30%"));
    RUNS.put("incident.p1", () -> incident("blast_radius", "100%", "incident_instances", "10", "incident_errors", "100%"));
    RUNS.put("storm", () -> run("seed-001-kill-storm.fl", options(Capability.EXEC).param("first", "1000").build()));
    RUNS.put("storm.stopped", () -> run("seed-001-kill-storm.fl", options(Capability.EXEC).param("first", "2000").param("rounds", "11").build()));
    RUNS.put("storm.unsupervised", () -> run("seed-001-kill-storm.fl", options(Capability.EXEC).param("first", "3000")
        .param("supervised", "false").param("restart_budget", "500ms").build()));
    RUNS.put("memory.under", () -> run("seed-001-memory.fl", memory().param("steps", "2").build()));
    RUNS.put("memory.over", () -> run("seed-001-memory.fl", memory().param("steps", "5").build()));
    RUNS.put("partition", () -> partition(true));
    RUNS.put("partition.unfenced", () -> partition(false));
    RUNS.put("emergency", () -> emergency());
    RUNS.put("emergency.crash", () -> emergency("component_fault", "crash", "recovery_wait", "1s"));
    RUNS.put("emergency.stable", () -> emergency("drill_errors", "0%", "drill_latency", "0ms", "component_fault", "none"));
  }

  @BeforeAll
  static void startEveryRun() {
    side = Executors.newFixedThreadPool(6);
    stress = Executors.newSingleThreadExecutor();
    boolean stressNg = SeedRuns.stressNgAvailable();
    RUNS.forEach((key, run) -> {
      if (key.startsWith("memory.") && !stressNg) return;
      STARTED.put(key, (WITH_STRESS.contains(key) ? stress : side).submit(run::get));
    });
  }

  /**
   * Every run ends before the class does, whichever tests were selected: a run cut off by the JVM's
   * exit would leave its faults in the journal and its processes behind.
   */
  @AfterAll
  static void waitForEveryRun() throws InterruptedException {
    side.shutdown();
    stress.shutdown();
    assertTrue(side.awaitTermination(5, TimeUnit.MINUTES) && stress.awaitTermination(5, TimeUnit.MINUTES), "a seed 001 run did not end within 5 minutes");
  }

  /** The result of one of the runs started before the tests. */
  private static RunResult result(String key) throws Exception {
    Future<RunResult> f = STARTED.get(key);
    if (f == null) throw new AssertionError("run " + key + " was not started");
    try {
      return f.get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }

  private static RunOptions.Builder options(Capability... allow) {
    return RunOptions.builder().allow(allow);
  }

  private static String show(Object v) {
    return Values.show(v);
  }

  // ------------------------------------------------------------------ latency, blast radius, incident flow

  @Test
  void latencyStaysWithinItsBlastRadiusAndTheFleetReturnsToItsSteadyState() throws Exception {
    RunResult r = result("latency");
    assertEquals(0, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "latency.blast_radius", Status.PASSED);
    Map<String, Object> rec = s.records();
    assertEquals(List.of("api-1"), rec.get("faulted_instances"), rec.toString());
    assertTrue(duration(s, "faulted_p95").compareTo(Duration.ofMillis(900)) >= 0, rec.toString());
    assertTrue(duration(s, "faulted_p50").compareTo(Duration.ofSeconds(1)) < 0, rec.toString());
    assertTrue(duration(s, "spared_p95").compareTo(Duration.ofMillis(500)) < 0, rec.toString());
    assertEquals("0%", show(rec.get("fleet_error_rate")), rec.toString());
    assertEquals(true, rec.get("steady_after"), rec.toString());
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.STEADY_STATE && e.message().contains("held after the rollback of scenario \"latency.blast_radius\"")),
        "the steady state is validated after the experiment");

    ScenarioResult incident = scenario(r, "incident.flow", Status.PASSED);
    assertEquals("P4", show(incident.records().get("severity")), incident.records().toString());
    assertEquals("log, continue", incident.records().get("action"));

    // the experiment log template's fields are in report.md
    String md = ReportMarkdown.render(r, false);
    for (String field : List.of("| started |", "| params |", "experimenter", "objective", "## Faults injected", "## Observations",
        "steady_state", "| result | passed (exit 0) |", "faulted_p95", "## Successes", "## Experiment log", "run.ended")) {
      assertTrue(md.contains(field), field + " missing from report.md:\n" + md);
    }
  }

  @Test
  void theAutoRollbackGuardRevertsEveryFaultWhenAnInstancesP95PassesItsBound() throws Exception {
    RunResult r = result("latency.rollback");
    assertEquals(3, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "latency.blast_radius", Status.ABORTED);
    messageHas(s, "guard \"auto-rollback: every instance's p95\" breached");
    assertEquals(true, s.records().get("steady_after"), "the fleet is steady again after the auto-rollback: " + s.records());
    assertEquals(r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).count(),
        r.events().stream().filter(e -> e.type() == EventType.FAULT_REVERTED).count(), "every fault reverted");
  }

  @Test
  void aFaultOnMoreThanTenPercentOfTheFleetIsRefusedBeforeAnythingIsInjected() throws Exception {
    RunResult r = result("latency.refused");
    assertEquals(1, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "latency.blast_radius", Status.FAILED);
    messageHas(s, "would affect 2 of 10 instances (20%), above the limit of 10%: nothing injected");
    assertFalse(r.events().stream().anyMatch(e -> e.type() == EventType.FAULT_INJECTED), "nothing was injected");
  }

  private static RunResult incident(String... params) {
    RunOptions.Builder b = options(Capability.NET).scenario("incident.flow").param("auto_rollback", "false").param("monitor", "1s");
    for (int i = 0; i < params.length; i += 2) b.param(params[i], params[i + 1]);
    return run("seed-001-latency.fl", b.build());
  }

  @Test
  void incidentFlowP3ContinuesAndDocumentsTheDeviation() throws Exception {
    RunResult r = result("incident.p3");
    assertEquals(0, r.exitCode(), explain(r));
    Map<String, Object> rec = scenario(r, "incident.flow", Status.PASSED).records();
    assertEquals("P3", show(rec.get("severity")), rec.toString());
    assertEquals("continue, document", rec.get("action"));
    assertTrue(String.valueOf(rec.get("deviations")).contains("error_rate was"), rec.toString());
  }

  @Test
  void incidentFlowP2ReducesTheBlastRadiusAndMonitors() throws Exception {
    RunResult r = result("incident.p2");
    assertEquals(0, r.exitCode(), explain(r));
    Map<String, Object> rec = scenario(r, "incident.flow", Status.PASSED).records();
    assertEquals("P2", show(rec.get("severity")), rec.toString());
    assertTrue(List.of("P3", "P4").contains(show(rec.get("severity_after"))), rec.toString());
    assertTrue(String.valueOf(rec.get("action")).startsWith("reduced the blast radius to [\"api-1\"], monitored"), rec.toString());
  }

  @Test
  void incidentFlowP1RollsBackAtOnceAndStopsTheRun() throws Exception {
    RunResult r = result("incident.p1");
    assertEquals(3, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "incident.flow", Status.ABORTED);
    messageHas(s, "aborted P1: system down: error rate 100%, availability 0%; every fault reverted, post-mortem");
    assertEquals("P1", show(s.records().get("severity")));
    assertEquals("immediate rollback, post-mortem", s.records().get("action"));
  }

  // ------------------------------------------------------------------ kill storm

  private static long workersLeft(int first) {
    String pattern = ".*sleep 600\\." + (first / 1000) + "\\d\\d\\d.*";
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.matches(pattern)).orElse(false)).count();
  }

  private static void noWorkersLeft(int first) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (workersLeft(first) > 0 && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(0, workersLeft(first), "the workers and their supervisors end with the scenario");
  }

  @Test
  void killStormUnderTheLimitEveryWorkerRestartedBySupervisor() throws Exception {
    RunResult r = result("storm");
    assertEquals(0, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "kill.storm", Status.PASSED);
    assertEquals(50L, s.records().get("targets_affected"), s.records().toString());
    assertEquals(10L, s.records().get("running_after"), s.records().toString());
    assertTrue(duration(s, "slowest_restart").compareTo(Duration.ofSeconds(5)) < 0, s.records().toString());
    noWorkersLeft(1000);
  }

  @Test
  void killStormIsStoppedWhenMoreThan100TargetsAreAffected() throws Exception {
    RunResult r = result("storm.stopped");
    assertEquals(3, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "kill.storm", Status.ABORTED);
    messageHas(s, "aborted P2: kill rate too high: 101 targets affected, more than 100; experiment stopped");
    assertEquals(10L, s.records().get("running_after"), "recovery verified after the stop: " + s.records());
    assertEquals(101, r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).count());
    noWorkersLeft(2000);
  }

  @Test
  void withoutSupervisorsTheKillStormFailsBecauseNothingRestartsTheWorkers() throws Exception {
    RunResult r = result("storm.unsupervised");
    assertEquals(1, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "kill.storm", Status.FAILED);
    messageHas(s, "worker 'sleep 600.3000' was not restarted by its supervisor within 500ms");
    assertEquals(0L, s.records().get("running_after"), s.records().toString());
    noWorkersLeft(3000);
  }

  // ------------------------------------------------------------------ memory exhaustion

  private static RunOptions.Builder memory() {
    return options(Capability.EXEC).param("budget", "500MB").param("step_size", "100MB").param("hold", "300ms").param("engine", "stress-ng");
  }

  @Test
  void memoryGrowthUnder80PercentOfTheBudgetRunsToItsEnd() throws Exception {
    SeedRuns.assumeStressNg();
    RunResult r = result("memory.under");
    assertEquals(0, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "memory.exhaustion", Status.PASSED);
    double share = Double.parseDouble(show(s.records().get("share_of_budget")).replace("%", ""));
    assertTrue(share > 35 && share < 80, "2 x 100MB of a 500MB budget: " + s.records());
    assertTrue(duration(s, "released_after").compareTo(Duration.ofSeconds(10)) < 0, s.records().toString());
  }

  @Test
  void memoryOver80PercentOfTheBudgetStopsEverything() throws Exception {
    SeedRuns.assumeStressNg();
    RunResult r = result("memory.over");
    assertEquals(3, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "memory.exhaustion", Status.ABORTED);
    messageHas(s, "guard \"memory held under 80% of the budget\" breached");
    messageHas(s, "threshold 400MB");
    assertTrue(s.records().containsKey("released_after"), "the memory is released after the stop: " + s.records());
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.GUARD_BREACHED));
  }

  // ------------------------------------------------------------------ network partition

  private static RunResult partition(boolean fencing) {
    return run("seed-001-partition.fl", options(Capability.EXEC, Capability.NET)
        .param("port_a", String.valueOf(SeedRuns.freePortOrZero())).param("port_b", String.valueOf(SeedRuns.freePortOrZero()))
        .param("partition", "1s").param("fencing", String.valueOf(fencing)).param("component", SeedRuns.component("Peer.java")).build());
  }

  @Test
  void partitionHealsWithExactlyOneLeader() throws Exception {
    RunResult r = result("partition");
    assertEquals(0, r.exitCode(), explain(r));
    Map<String, Object> rec = scenario(r, "network.partition", Status.PASSED).records();
    assertEquals("peer1", rec.get("leader_before"), rec.toString());
    assertEquals(List.of(), rec.get("leaders_during"), "the fenced peers step down rather than both lead: " + rec);
    assertEquals(List.of("peer1"), rec.get("leaders_after"), rec.toString());
  }

  @Test
  void withoutFencingTheSplitBrainCheckFails() throws Exception {
    RunResult r = result("partition.unfenced");
    assertEquals(1, r.exitCode(), explain(r));
    ScenarioResult s = scenario(r, "network.partition", Status.FAILED);
    messageHas(s, "SPLIT BRAIN DETECTED after the partition: [\"peer1\", \"peer2\"] all lead; manual intervention required");
    assertEquals(List.of("peer1", "peer2"), s.records().get("leaders_during"), s.records().toString());
  }

  // ------------------------------------------------------------------ emergency procedure, decision tree

  private static RunResult emergency(String... params) {
    RunOptions.Builder b = options(Capability.EXEC, Capability.NET);
    for (int i = 0; i < params.length; i += 2) b.param(params[i], params[i + 1]);
    return run("seed-001-emergency.fl", b.build());
  }

  @Test
  void emergencyStopAllRecoversTheSystemDocumentAndInvestigate() throws Exception {
    RunResult r = result("emergency");
    assertEquals(0, r.exitCode(), explain(r));
    Map<String, Object> rec = scenario(r, "emergency.stop_all", Status.PASSED).records();
    assertEquals("recovered: document and investigate", rec.get("decision"), rec.toString());
    assertEquals(true, rec.get("recovered"));
    assertEquals(11L, rec.get("faults_injected"), rec.toString());
    assertTrue(String.valueOf(rec.get("health")).startsWith("ok: 4 instances and the worker healthy"), rec.toString());
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.DECISION && e.message().contains("unstable()")), "the tree's first answer is in the report");
  }

  @Test
  void emergencyStopAllWithACrashedComponentRestartsItAndChecksHealth() throws Exception {
    RunResult r = result("emergency.crash");
    assertEquals(0, r.exitCode(), explain(r));
    Map<String, Object> rec = scenario(r, "emergency.stop_all", Status.PASSED).records();
    assertEquals(false, rec.get("recovered"), rec.toString());
    assertEquals("not recovered: restarted [\"worker\"], health checked", rec.get("decision"));
    assertEquals(List.of("worker"), rec.get("restarted"));
  }

  @Test
  void aStableSystemIsOnlyMonitored() throws Exception {
    RunResult r = result("emergency.stable");
    assertEquals(0, r.exitCode(), explain(r));
    Map<String, Object> rec = scenario(r, "emergency.stop_all", Status.PASSED).records();
    assertEquals("stable: continue monitoring", rec.get("decision"), rec.toString());
  }

  // ------------------------------------------------------------------ dry runs

  @Test
  void everySeed001PlaybookRehearsesWithNothingTouched() {
    for (String file : List.of("seed-001-latency.fl", "seed-001-kill-storm.fl", "seed-001-memory.fl", "seed-001-partition.fl",
        "seed-001-emergency.fl")) {
      RunResult r = run(file, RunOptions.builder().dryRun(true).build());
      assertEquals(0, r.exitCode(), file + ": " + explain(r));
      assertTrue(r.scenarios().stream().allMatch(s -> !s.steps().isEmpty()), file + ": " + explain(r));
      assertEquals(0, r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).count(), file);
    }
  }
}
