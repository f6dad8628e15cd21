package dev.faultline.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.RollbackStrategy;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.ExitCode;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.Status;
import dev.faultline.source.PlaybookError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** max_duration, max_blast_radius, the production rule and the rollback strategies. */
@Timeout(30)
class LimitsTest {
  private final SafetyFaults sys = new SafetyFaults();
  private final Faultline faultline = Faultline.builder().library(sys).build();

  private RunResult run(String body, RunOptions options) {
    return faultline.run("l.fl", "playbook \"l\" {\n" + body + "\n}\n", options);
  }

  private RunResult run(String body) {
    return run(body, RunOptions.defaults());
  }

  private static List<String> logs(RunResult r) {
    return r.events().stream().filter(e -> e.type() == EventType.LOG).map(Event::message).toList();
  }

  // ------------------------------------------------------------ max_duration

  @Test
  void theRunsMaxDurationAbortsAndRevertsEverything() {
    long t0 = System.nanoTime();
    RunResult r = run("""
        max_duration 300ms
        scenario "s" {
          step "long" {
            rollback { log "step rollback" }
            inject sys.fault("a")
            wait 30s
          }
        }
        """);
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals("aborted P2: the run exceeded its max_duration of 300ms", r.scenarios().get(0).steps().get(0).message());
    assertEquals(List.of("inject a", "revert a on faultline-revert"), sys.log);
    assertEquals(List.of("step rollback"), logs(r));
    Event e = r.events().stream().filter(x -> x.type() == EventType.LIMIT_EXCEEDED).findFirst().orElseThrow();
    assertEquals("max_duration of the run", e.data().get("name"));
    assertEquals("300ms", e.data().get("threshold"));
  }

  @Test
  void aScenariosMaxDurationAbortsTheRun() {
    RunResult r = run("""
        scenario "bounded" {
          max_duration 200ms
          step "long" { inject sys.fault("a"); wait 30s }
        }
        scenario "next" { step "x" { log "never" } }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals("aborted P2: scenario \"bounded\" exceeded its max_duration of 200ms", r.scenarios().get(0).message());
    assertEquals(Status.SKIPPED, r.scenario("next").orElseThrow().status());
    assertEquals(List.of("inject a", "revert a on faultline-revert"), sys.log);
  }

  @Test
  void aScenarioWithinItsMaxDurationPasses() throws Exception {
    RunResult r = run("""
        scenario "bounded" {
          max_duration 300ms
          step "short" { wait 10ms }
        }
        scenario "after" { step "x" { wait 400ms } }
        """);
    assertEquals(0, r.exitCode(), "the first scenario's limit ends with it");
  }

  // ------------------------------------------------------------ blast radius

  @Test
  void aSelectionAboveTheBlastRadiusIsRefusedBeforeInjecting() {
    RunResult r = run("""
        max_blast_radius 20%
        scenario "s" {
          step "two is fine" { inject group.pick(2, 10) }
          step "three is too many" { inject group.pick(3, 10) }
        }
        """);
    assertEquals(ExitCode.FAILED, r.exitCode());
    assertEquals(List.of("inject pick 2", "revert pick 2"), sys.log, "the refused fault was neither injected nor reverted");
    String message = r.scenarios().get(0).steps().get(1).message();
    assertEquals("could not inject stop 3 of 10 backend containers: would affect 3 of 10 containers labelled tier=backend (30%),"
        + " above the limit of 20%", message);
    String help = r.scenarios().get(0).steps().get(1).error().orElseThrow().help().orElseThrow();
    assertEquals("the limit is the playbook's max_blast_radius; select at most 2 of 10, or raise the limit", help);
  }

  @Test
  void theProfilesBlastRadiusOverridesThePlaybooks() {
    String body = """
        max_blast_radius 20%
        profile staging default { slo = 1s }
        profile lab { slo = 1s; max_blast_radius = 50% }
        scenario "s" { step "x" { inject group.pick(3, 10) } }
        """;
    assertEquals(ExitCode.FAILED, run(body).exitCode());
    assertEquals(0, run(body, RunOptions.builder().env("lab").build()).exitCode());
  }

  @Test
  void withoutALimitEverySelectionIsAllowed() {
    assertEquals(0, run("scenario \"s\" { step \"x\" { inject group.pick(10, 10) } }").exitCode());
  }

  // ------------------------------------------------------------ production

  @Test
  void aProductionProfileNeedsAGuard() {
    String body = """
        profile staging default { slo = 1s }
        profile prod production { slo = 1s }
        scenario "s" { step "x" { log "hi" } }
        """;
    assertEquals(0, run(body).exitCode(), "staging is not production");
    PlaybookError e = assertThrows(PlaybookError.class, () -> run(body, RunOptions.builder().env("prod").build()));
    assertEquals("profile 'prod' is marked production, and this playbook has no guard", e.first().message());
    assertTrue(e.first().help().orElseThrow().startsWith("add a guard at the top level, e.g. guard \"service healthy\""));
    assertEquals(3, e.first().at().line());
    String guarded = "guard \"ok\" every 1s { health.ok() } else abort P1\n" + body;
    assertEquals(0, run(guarded, RunOptions.builder().env("prod").build()).exitCode());
  }

  // ------------------------------------------------------------ rollback strategies

  private static final String STRATEGY_BODY = """
      scenario "s" {
        rollback { log "scenario rollback" }
        step "passes" {
          rollback { log "rollback of the step that passed" }
          inject sys.fault("a")
        }
        step "fails" {
          rollback { log "rollback of the step that failed" }
          inject sys.fault("b")
          expect 1 == 2
        }
      }
      """;

  @Test
  void rollbackBlocksAlwaysRunByDefault() {
    RunResult r = run(STRATEGY_BODY);
    assertEquals(List.of("rollback of the step that passed", "rollback of the step that failed", "scenario rollback"), logs(r));
    assertEquals(List.of("inject a", "revert a on faultline-revert", "inject b", "revert b on faultline-revert"), sys.log);
  }

  @Test
  void onFailureRunsOnlyTheRollbackBlocksOfFailedScopes() {
    RunResult r = run("rollback_strategy on_failure\n" + STRATEGY_BODY);
    assertEquals(List.of("rollback of the step that failed", "scenario rollback"), logs(r));
    assertEquals(List.of("inject a", "revert a on faultline-revert", "inject b", "revert b on faultline-revert"), sys.log,
        "faults are reverted whatever the strategy");
  }

  @Test
  void neverRunsNoRollbackBlockButStillRevertsFaults() {
    RunResult r = run("rollback_strategy never\n" + STRATEGY_BODY);
    assertEquals(List.of(), logs(r));
    assertEquals(List.of("inject a", "revert a on faultline-revert", "inject b", "revert b on faultline-revert"), sys.log);
  }

  @Test
  void theOptionOverridesThePlaybooksStrategy() {
    RunResult r = run("rollback_strategy never\n" + STRATEGY_BODY,
        RunOptions.builder().rollbackStrategy(RollbackStrategy.ALWAYS).build());
    assertEquals(3, logs(r).size());
    RunResult s = run("rollback_strategy \"always\"\n" + STRATEGY_BODY,
        RunOptions.builder().rollbackStrategy(RollbackStrategy.ON_FAILURE).build());
    assertEquals(List.of("rollback of the step that failed", "scenario rollback"), logs(s));
  }

  @Test
  void onFailureCountsAnAbortAsAFailure() {
    RunResult r = run("""
        rollback_strategy on_failure
        rollback { log "playbook rollback" }
        scenario "s" { step "x" { rollback { log "step rollback" }; abort P3 "stop" } }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals(List.of("step rollback", "playbook rollback"), logs(r));
  }

  @Test
  void onFailureCountsAFailedRevertAsAFailure() {
    RunResult r = run("""
        rollback_strategy on_failure
        scenario "s" { step "x" { rollback { log "step rollback" }; inject sys.gone("c1") } }
        """);
    assertEquals(ExitCode.REVERT_FAILED, r.exitCode());
    assertEquals(List.of("step rollback"), logs(r));
  }
}
