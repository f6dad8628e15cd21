package dev.faultline.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.report.ReportJson;
import dev.faultline.run.ExitCode;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.Status;
import dev.faultline.run.StepResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Guards: when they are checked, what a breach does, and what it reports. */
@Timeout(30)
class GuardTest {
  private final SafetyFaults sys = new SafetyFaults();
  private final Faultline faultline = Faultline.builder().library(sys).build();

  private PlaybookRun start(String body) {
    return faultline.start(faultline.load("g.fl", "playbook \"g\" {\n" + body + "\n}\n"), RunOptions.defaults());
  }

  private RunResult run(String body) {
    return start(body).execute();
  }

  /** Makes the system unhealthy after {@code ms}, from another thread. */
  private void breakAfter(long ms) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        return;
      }
      sys.healthy = false;
      sys.errorRate = 7;
    });
    t.setDaemon(true);
    t.start();
  }

  private static Event first(RunResult r, EventType type) {
    return r.events().stream().filter(e -> e.type() == type).findFirst().orElseThrow(() -> new AssertionError("no " + type.id()));
  }

  private static List<String> logs(RunResult r) {
    return r.events().stream().filter(e -> e.type() == EventType.LOG).map(Event::message).toList();
  }

  private static StepResult step(RunResult r, int i) {
    return r.scenarios().get(0).steps().get(i);
  }

  @Test
  void aBreachDuringAWaitRevertsEveryFaultRunsRollbackBlocksAndAborts() {
    breakAfter(300);
    long t0 = System.nanoTime();
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2 "the service is down"
        rollback { log "playbook rollback" }
        scenario "s" {
          inject sys.fault("scenario fault")
          step "waits" {
            rollback { log "step rollback" }
            inject sys.fault("a")
            inject sys.fault("b")
            wait 30s
            log "never"
          }
          step "later" { log "never" }
        }
        scenario "next" { step "x" { log "never" } }
        """);
    long took = System.nanoTime() - t0;
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertTrue(took < Duration.ofSeconds(5).toNanos(), "the breach ended the 30 s wait");
    StepResult waits = step(r, 0);
    assertEquals(Status.ABORTED, waits.status());
    assertEquals("aborted P2: guard \"service healthy\" breached: the service is down", waits.message());
    assertEquals(Status.SKIPPED, step(r, 1).status());
    assertEquals(Status.SKIPPED, r.scenario("next").orElseThrow().status());
    // Every fault reverted, newest first, by the breach, before the evaluating thread unwound.
    assertEquals(List.of("inject scenario fault", "inject a", "inject b", "revert b on faultline-revert", "revert a on faultline-revert",
        "revert scenario fault on faultline-revert"), sys.log);
    assertEquals(List.of("step rollback", "playbook rollback"), logs(r));
    Event breach = first(r, EventType.GUARD_BREACHED);
    assertEquals("service healthy", breach.data().get("name"));
    assertEquals("P2", breach.data().get("severity"));
    assertEquals("health.ok()", breach.data().get("condition"));
    assertEquals("false", breach.data().get("value"));
    assertEquals("waits", breach.step());
    Event reverted = first(r, EventType.BREACH_REVERTED);
    assertEquals(3, reverted.data().get("faults_reverted"));
    assertEquals(0, reverted.data().get("faults_failed"));
    long us = ((Number) reverted.data().get("check_to_reverted_us")).longValue();
    assertTrue(us < 1_000_000, "reverted " + us + "us after the check");
    // The breach's events come before the reverts' events, and the reverts before the step ends.
    List<EventType> order = r.events().stream().map(Event::type)
        .filter(t -> t == EventType.GUARD_BREACHED || t == EventType.FAULT_REVERTED || t == EventType.BREACH_REVERTED || t == EventType.STEP_ENDED)
        .toList();
    assertEquals(List.of(EventType.GUARD_BREACHED, EventType.FAULT_REVERTED, EventType.FAULT_REVERTED, EventType.FAULT_REVERTED,
        EventType.BREACH_REVERTED, EventType.STEP_ENDED, EventType.STEP_ENDED), order);
  }

  @Test
  void aComparisonShowsTheValueSeenAndTheThreshold() {
    breakAfter(200);
    RunResult r = run("""
        guard "error rate under 5%" every 100ms { health.error_rate() < 5% } else abort P1
        scenario "s" { step "x" { inject sys.fault("latency"); wait 30s } }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    Event breach = first(r, EventType.GUARD_BREACHED);
    assertEquals("7%", breach.data().get("value"));
    assertEquals("5%", breach.data().get("threshold"));
    assertEquals("health.error_rate() < 5%", breach.data().get("condition"));
    assertEquals("aborted P1: guard \"error rate under 5%\" breached: health.error_rate() < 5% does not hold (value 7%, threshold 5%)",
        step(r, 0).message());
    String json = ReportJson.render(r, false);
    assertTrue(json.contains("\"breaches\": ["), json);
    assertTrue(json.contains("\"threshold\": \"5%\""), json);
    assertTrue(json.contains("\"check_to_reverted_ms\": "), json);
  }

  @Test
  void aBreachBeforeTheFirstInjectionInjectsNothing() {
    sys.healthy = false;
    RunResult r = run("""
        guard "service healthy" every 1s { health.ok() } else abort P1 "not healthy before we start"
        scenario "s" {
          step "x" {
            log "before"
            inject sys.fault("a")
            log "never"
          }
        }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals(List.of(), sys.log, "nothing was injected");
    assertEquals(List.of("before"), logs(r));
    assertEquals(Status.ABORTED, step(r, 0).status());
    assertEquals(0, first(r, EventType.BREACH_REVERTED).data().get("faults_reverted"));
    assertTrue(r.events().stream().noneMatch(e -> e.type() == EventType.FAULT_INJECTED));
  }

  @Test
  void aBreachBetweenStatementsStopsABusyStep() {
    breakAfter(300);
    long t0 = System.nanoTime();
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" {
          step "busy" {
            inject sys.fault("a")
            let n = 0
            repeat 1000000000 { n = n + 1 }
            log "never"
          }
        }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
    assertEquals(Status.ABORTED, step(r, 0).status());
    assertEquals(List.of("inject a", "revert a on faultline-revert"), sys.log);
  }

  @Test
  void faultsAreRevertedWhileTheEvaluatingThreadIsStuck() {
    breakAfter(200);
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" {
          step "stuck in a host call" {
            inject sys.fault("a")
            sys.block(1500)
          }
        }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    // The revert did not wait for the host call that ignores interrupts.
    assertEquals(List.of("inject a", "revert a on faultline-revert", "block returned"), sys.log);
  }

  @Test
  void aConditionThatFailsIsABreach() {
    RunResult r = run("""
        let status = {ok: true}
        let key = "healthy"
        guard "status readable" every 100ms { status[key] } else abort P3
        scenario "s" { step "x" { inject sys.fault("a"); wait 30s } }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    Event breach = first(r, EventType.GUARD_BREACHED);
    assertTrue(String.valueOf(breach.data().get("error")).contains("no key \"healthy\""), breach.data().toString());
    assertEquals(List.of(), sys.log, "the failing condition was seen before the first injection");
    assertEquals("aborted P3: guard \"status readable\" breached: its condition failed: no key \"healthy\" in this map",
        step(r, 0).message());
  }

  @Test
  void aGuardCannotInject() {
    RunResult r = run("""
        fn sneaky() {
          inject sys.fault("from a guard")
          return true
        }
        guard "sneaky" every 100ms { sneaky() } else abort P3
        scenario "s" { step "x" { inject sys.fault("a") } }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals("a guard's condition cannot inject or revert faults", first(r, EventType.GUARD_BREACHED).data().get("error"));
    assertEquals(List.of(), sys.log);
  }

  @Test
  void guardsAreCheckedEveryIntervalOnlyWhileFaultsAreActive() {
    PlaybookRun run = start("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" {
          step "quiet before" { wait 1s }
          step "with a fault" {
            inject sys.fault("a")
            wait 1050ms
          }
          step "quiet after" { wait 500ms }
        }
        """);
    long[] counts = new long[3];
    run.faults(); // the run is not started yet: no checks
    Thread watcher = new Thread(() -> {
      try {
        Thread.sleep(400);
        counts[0] = run.guards().guards().get(0).checks();
      } catch (InterruptedException ignored) {
        // the test failed elsewhere
      }
    });
    watcher.start();
    RunResult r = run.execute();
    assertEquals(0, r.exitCode(), r.scenarios().toString());
    long total = run.guards().guards().get(0).checks();
    assertEquals(0, counts[0], "no check while no fault is active");
    // One check before the injection, then one every 100 ms for about a second.
    assertTrue(total >= 8 && total <= 13, "checks: " + total);
  }

  @Test
  void aNormalEndWithAGuardPasses() {
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" { step "x" { inject sys.fault("a"); wait 250ms } }
        """);
    assertEquals(0, r.exitCode());
    assertTrue(r.events().stream().noneMatch(e -> e.type() == EventType.GUARD_BREACHED));
    assertEquals(List.of("inject a", "revert a on faultline-revert"), sys.log);
  }

  @Test
  void anAbortStatementStillWorksWithGuards() {
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" { step "x" { inject sys.fault("a"); abort P3 "enough" } }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals("aborted P3: enough", step(r, 0).message());
    assertTrue(r.events().stream().noneMatch(e -> e.type() == EventType.GUARD_BREACHED));
  }

  @Test
  void aBreachDuringARollbackBlockDoesNotCutItShort() {
    breakAfter(200);
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" {
          inject sys.fault("scenario fault")
          step "x" {
            rollback {
              wait 500ms
              log "rollback finished"
            }
          }
          step "y" { log "never" }
        }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals(List.of("rollback finished"), logs(r));
    assertEquals(Status.PASSED, step(r, 0).status());
    assertEquals(Status.SKIPPED, step(r, 1).status());
    assertTrue(r.scenarios().get(0).message().startsWith("aborted P2: guard \"service healthy\" breached"), r.scenarios().get(0).message());
  }

  @Test
  void anExceptionInAStepWithAGuardRevertsAndFailsWithoutABreach() {
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" { step "x" { inject sys.fault("a"); let m = {}; let k = "missing"; log m[k] } }
        """);
    assertEquals(ExitCode.FAILED, r.exitCode());
    assertEquals(List.of("inject a", "revert a on faultline-revert"), sys.log);
    assertTrue(r.events().stream().noneMatch(e -> e.type() == EventType.GUARD_BREACHED));
  }

  @Test
  void aStepTimeoutWithAGuardFailsTheStepOnly() {
    RunResult r = run("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" {
          step "slow" timeout 150ms { inject sys.fault("a"); wait 30s }
          step "after" { log "skipped: an earlier step failed" }
        }
        scenario "next" { step "z" { inject sys.fault("b") } }
        """);
    assertEquals(ExitCode.FAILED, r.exitCode());
    assertEquals("timed out after 150ms", step(r, 0).message());
    assertEquals(Status.PASSED, r.scenario("next").orElseThrow().status());
    assertEquals(List.of("inject a", "revert a on faultline-revert", "inject b", "revert b on faultline-revert"), sys.log);
  }

  @Test
  void aGuardDoesNotOutliveItsRun() throws Exception {
    PlaybookRun run = start("""
        guard "service healthy" every 100ms { health.ok() } else abort P2
        scenario "s" { step "x" { inject sys.fault("a") } }
        """);
    assertEquals(0, run.execute().exitCode());
    long checks = run.guards().guards().get(0).checks();
    sys.healthy = false;
    Thread.sleep(300);
    assertEquals(checks, run.guards().guards().get(0).checks());
    assertFalse(run.guards().isBreached());
    assertTrue(Map.of().isEmpty());
  }
}
