package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.DryRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The disaster-recovery playbooks of seeds 002 and 003 run against local PostgreSQL clusters,
 * shortened (2 s of writes, WAL segments switched every second, the "short" profile's targets), and
 * reach every verdict: the drill restores the latest change and a point in time before a bad write,
 * the region failure restores into the backup region as the decision tree says; with WAL archiving
 * switched off the drill fails on its RPO. The PostgreSQL server programs are needed; ./run-tests
 * skips these runs with -Dfaultline.skip.postgres=true where it cannot install them.
 */
class DrPlaybooksTest {
  private static final Path PLAYBOOKS = Path.of("../playbooks");
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  private static void assumeServer() {
    assumeFalse(Boolean.getBoolean("faultline.skip.postgres"), "PostgreSQL tests skipped (-Dfaultline.skip.postgres=true)");
  }

  private static RunOptions.Builder shortened() {
    return RunOptions.builder().allow(java.util.EnumSet.of(Capability.DB)).env("short")
        .param("write_for", Duration.ofSeconds(2)).param("archive_timeout", Duration.ofSeconds(1));
  }

  private static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()
            + s.steps().stream().map(st -> "\n  " + st.name() + ": " + st.status() + " " + st.message()).collect(Collectors.joining()))
            .collect(Collectors.joining("\n"));
  }

  /** The SLO verdicts of a scenario, by key. */
  private static Map<String, Event> verdicts(RunResult r, String scenario) {
    return r.events().stream().filter(e -> e.type() == EventType.SLO && scenario.equals(e.scenario()))
        .collect(Collectors.toMap(e -> (String) e.data().get("key"), e -> e, (a, b) -> a));
  }

  private static void met(Map<String, Event> verdicts, String key) {
    Event e = verdicts.get(key);
    assertTrue(e != null, key + " was not judged: " + verdicts.keySet());
    assertEquals(true, e.data().get("measured"), e.message());
    assertEquals(true, e.data().get("passed"), e.message());
  }

  @Test
  void theMonthlyDrillAndThePointInTimeRecoveryPass() {
    assumeServer();
    RunResult r = faultline.run(PLAYBOOKS.resolve("dr-drill.fl"), shortened().build());
    assertEquals(0, r.exitCode(), explain(r));
    for (ScenarioResult s : r.scenarios()) {
      assertEquals(Status.PASSED, s.status(), explain(r));
      s.steps().forEach(st -> assertEquals(Status.PASSED, st.status(), s.id() + " / " + st.name() + ": " + explain(r)));
    }
    ScenarioResult drill = r.scenario("dr.monthly_drill").orElseThrow();
    assertEquals(6, drill.steps().size());
    Map<String, Object> rec = drill.records();
    assertTrue((Long) rec.get("acknowledged") > 100, rec.toString());
    assertTrue(((Duration) rec.get("database_back_after")).compareTo((Duration) rec.get("restore_time")) > 0, rec.toString());
    Map<String, Event> v = verdicts(r, "dr.monthly_drill");
    met(v, "slo.rto");
    met(v, "slo.rpo");
    assertTrue(v.get("slo.rto").message().startsWith("slo.rto met: longest time from fault to recovery was "), v.get("slo.rto").message());

    ScenarioResult pitr = r.scenario("dr.pitr").orElseThrow();
    assertTrue((Long) pitr.records().get("after_target") > 0, pitr.records().toString());
    assertEquals(Duration.ZERO, pitr.records().get("rpo"), "everything acknowledged before the target is there");
    met(verdicts(r, "dr.pitr"), "slo.rpo");
    System.out.println("dr-drill: judged RTO " + v.get("slo.rto").data().get("value") + ", restore " + rec.get("restore_time") + ", database back after " + rec.get("database_back_after") + ", RPO " + rec.get("rpo")
        + " (" + rec.get("lost") + " writes); PITR restore " + pitr.records().get("restore_time"));
  }

  @Test
  void withoutWalArchivingTheDrillFailsOnItsRpo() {
    assumeServer();
    RunResult r = faultline.run(PLAYBOOKS.resolve("dr-drill.fl"), shortened().param("archive", false)
        .param("write_for", Duration.ofSeconds(8)).scenario("dr.monthly_drill").build());
    assertEquals(1, r.exitCode(), explain(r));
    ScenarioResult drill = r.scenario("dr.monthly_drill").orElseThrow();
    assertEquals(Status.FAILED, drill.status());
    drill.steps().forEach(st -> assertEquals(Status.PASSED, st.status(), "only the RPO verdict fails: " + explain(r)));
    assertTrue(drill.message().startsWith("slo.rpo violated: data loss of writer "), drill.message());
    assertTrue(drill.message().contains("the target is ≤ 5s"), drill.message());
    assertTrue((Long) drill.records().get("lost") > 0, drill.records().toString());
    assertTrue(r.events().stream().anyMatch(e -> e.message().contains("WAL archiving is off")), "step 1 said why");
    met(verdicts(r, "dr.monthly_drill"), "slo.rto");
  }

  @Test
  void theRegionFailsAndTheBackupRegionServesWithinRtoAndRpo() {
    assumeServer();
    RunResult r = faultline.run(PLAYBOOKS.resolve("region-failure.fl"), shortened().build());
    assertEquals(0, r.exitCode(), explain(r));
    ScenarioResult s = r.scenario("dr.region_failure").orElseThrow();
    assertEquals(Status.PASSED, s.status(), explain(r));
    s.steps().forEach(st -> assertEquals(Status.PASSED, st.status(), st.name() + ": " + explain(r)));
    assertEquals("the latest archived change", s.records().get("restored_to"));
    Map<String, Event> v = verdicts(r, "dr.region_failure");
    met(v, "slo.rto");
    met(v, "slo.rpo");
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.DECISION && e.message().contains("data_loss_acceptable")),
        "the decision is in the report");
    String md = dev.faultline.report.ReportMarkdown.render(r, false);
    assertTrue(md.contains("slo: slo.rto met: longest time from fault to recovery over 3 recoveries was "), md);
    assertTrue(md.contains("slo: slo.rpo met: data loss of writer "), md);
    assertTrue(md.contains("data_loss: data loss of writer "), md);
    String json = dev.faultline.report.ReportJson.render(r, false);
    assertTrue(json.contains("\"key\":\"slo.rpo\"") || json.contains("\"key\": \"slo.rpo\""), "slo.rpo in report.json");
    System.out.println("region-failure: judged RTO " + v.get("slo.rto").data().get("value") + ", restore " + s.records().get("restore_time") + ", database back after " + s.records().get("database_back_after") + ", RPO "
        + s.records().get("rpo") + " (" + s.records().get("lost") + " writes)");
  }

  @Test
  void whenDataLossIsNotAcceptableTheRegionIsRestoredToItsLastKnownGoodPoint() {
    assumeServer();
    RunResult r = faultline.run(PLAYBOOKS.resolve("region-failure.fl"), shortened().param("data_loss_acceptable", false).build());
    assertEquals(0, r.exitCode(), explain(r));
    assertEquals("restore point known-good", r.scenario("dr.region_failure").orElseThrow().records().get("restored_to"));
  }

  @Test
  void whenTimeIsCriticalTheSnapshotAloneIsRestoredAndTheNewestWritesAreLost() {
    assumeServer();
    RunResult r = faultline.run(PLAYBOOKS.resolve("region-failure.fl"), shortened().env("seed").param("time_critical", true).build());
    assertEquals(0, r.exitCode(), explain(r));
    Map<String, Object> rec = r.scenario("dr.region_failure").orElseThrow().records();
    assertEquals("the end of backup snapshot (immediate)", rec.get("restored_to"));
    assertTrue((Long) rec.get("lost") > 0, "the writes after the snapshot are lost: " + rec);
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.DECISION && e.message().contains("time_critical")), "decision");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dr-drill.fl", "region-failure.fl"})
  void aDryRunPlansTheLossAndStartsNothing(String file) {
    RunResult r = faultline.run(PLAYBOOKS.resolve(file), RunOptions.builder().dryRun(DryRun.PLAN).build());
    assertEquals(0, r.exitCode(), explain(r));
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.FAULT_PLANNED), "no fault planned");
    assertEquals(List.of(), r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).toList());
  }
}
