package dev.faultline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.EventType;
import dev.faultline.source.PlaybookError;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybookRunTest {
  private final TestFaults faults = new TestFaults();
  private final Faultline faultline = Faultline.builder().library(faults).build();

  private RunResult run(String body, RunOptions options) {
    return faultline.run("t.fl", "playbook \"t\" {\n" + body + "\n}\n", options);
  }

  private RunResult run(String body) {
    return run(body, RunOptions.defaults());
  }

  @Test
  void faultsAreRevertedLifoWhenTheStepEnds() {
    RunResult r = run("""
        let a = target("a")
        let b = target("b")
        scenario "s" {
          step "one" {
            inject a.break()
            inject b.break(how: "soft")
            log "injected"
          }
          step "two" { log "after" }
        }
        """);
    assertEquals(0, r.exitCode());
    assertEquals(List.of("inject a:hard", "inject b:soft", "revert b:soft", "revert a:hard"), faults.log);
  }

  @Test
  void faultsAreRevertedWhenAnExpectFails() {
    RunResult r = run("""
        scenario "s" {
          step "one" {
            inject target("a").break()
            expect 1 == 2, "one is not two"
          }
          step "two" { log "never" }
        }
        """);
    assertEquals(ExitCode.FAILED, r.exitCode());
    assertEquals(List.of("inject a:hard", "revert a:hard"), faults.log);
    ScenarioResult s = r.scenario("s").orElseThrow();
    assertEquals(Status.FAILED, s.steps().get(0).status());
    assertEquals("one is not two", s.steps().get(0).message());
    assertEquals(Status.SKIPPED, s.steps().get(1).status());
  }

  @Test
  void abortRevertsEverythingAndSkipsLaterScenarios() {
    RunResult r = run("""
        let t = target("p")
        inject t.break(how: "playbook")
        scenario "s" {
          inject target("sc").break()
          step "one" {
            inject target("st").break()
            rollback { log "step rollback ran" }
            abort P1 "system down"
          }
        }
        scenario "later" { step "x" { log "x" } }
        """);
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals(List.of("inject p:playbook", "inject sc:hard", "inject st:hard", "revert st:hard", "revert sc:hard", "revert p:playbook"), faults.log);
    assertEquals(Status.ABORTED, r.scenario("s").orElseThrow().status());
    assertEquals(Status.SKIPPED, r.scenario("later").orElseThrow().status());
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.LOG && e.message().equals("step rollback ran")));
  }

  @Test
  void timedFaultIsRevertedAfterItsDuration() {
    RunResult r = run("""
        scenario "s" {
          step "one" {
            let f = inject target("a").break() for 50ms
            expect f.active
            await not f.active within 2s every 10ms
          }
        }
        """);
    assertEquals(0, r.exitCode(), r.scenarios().toString());
    assertEquals(List.of("inject a:hard", "revert a:hard"), faults.log);
  }

  @Test
  void revertAllAndRevertOne() {
    RunResult r = run("""
        scenario "s" {
          step "one" {
            let f = inject target("a").break()
            inject target("b").break()
            revert f
            expect not f.active
            revert all
            log "done"
          }
        }
        """);
    assertEquals(0, r.exitCode());
    assertEquals(List.of("inject a:hard", "inject b:hard", "revert a:hard", "revert b:hard"), faults.log);
  }

  @Test
  void aRevertThatFailsIsRetriedAndExitsFour() {
    RunResult r = run("""
        scenario "s" { step "one" { inject target("a").stuck() } }
        """);
    assertEquals(ExitCode.REVERT_FAILED, r.exitCode());
    assertEquals(4, faults.log.stream().filter(l -> l.equals("revert a:stuck")).count() + 1);
    assertEquals(1, r.revertFailures().size());
  }

  @Test
  void stepTimeoutFailsTheStepAndRevertsItsFaults() {
    RunResult r = run("""
        scenario "s" {
          step "slow" timeout 100ms { inject target("a").break(); wait 10s }
          step "next" { log "skipped" }
        }
        scenario "other" { step "runs" { log "still runs" } }
        """);
    assertEquals(ExitCode.FAILED, r.exitCode());
    StepResult slow = r.scenario("s").orElseThrow().steps().get(0);
    assertEquals(Status.FAILED, slow.status());
    assertTrue(slow.message().contains("timed out after 100ms"), slow.message());
    assertEquals(Status.PASSED, r.scenario("other").orElseThrow().status());
    assertEquals(List.of("inject a:hard", "revert a:hard"), faults.log);
  }

  @Test
  void cancelFromAnotherThreadAbortsAndReverts() throws Exception {
    var loaded = faultline.load("t.fl", "playbook \"t\" { scenario \"s\" { step \"w\" { inject target(\"a\").break(); wait 30s } } }");
    PlaybookRun run = faultline.start(loaded, RunOptions.defaults());
    Thread canceller = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException ignored) {
        return;
      }
      run.cancel("SIGINT");
    });
    canceller.start();
    RunResult r = run.execute();
    canceller.join();
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals(List.of("inject a:hard", "revert a:hard"), faults.log);
  }

  @Test
  void injectorCalledWithoutInjectIsAnError() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> run("scenario \"s\" { step \"x\" { let f = target(\"a\").break() } }"));
    assertTrue(e.first().message().contains("is an injector"), e.first().message());
    assertTrue(faults.log.isEmpty());
  }

  @Test
  void anInjectorWithDefaultsCanBeInjectedWithoutParentheses() {
    RunResult r = run("scenario \"s\" { step \"x\" { inject target(\"a\").break } }");
    assertEquals(0, r.exitCode());
    assertEquals(List.of("inject a:hard", "revert a:hard"), faults.log);
  }

  @Test
  void aFailingRollbackBlockFailsItsStepAfterEveryUndo() {
    RunResult r = run("""
        scenario "s" {
          step "one" {
            inject target("a").break()
            rollback { log "second rollback runs" }
            rollback { expect 1 == 2, "rollback check failed" }
          }
          step "two" { log "skipped" }
        }
        """);
    assertEquals(ExitCode.FAILED, r.exitCode());
    StepResult one = r.scenario("s").orElseThrow().steps().get(0);
    assertEquals(Status.FAILED, one.status());
    assertTrue(one.message().contains("rollback check failed"), one.message());
    assertEquals(List.of("inject a:hard", "revert a:hard"), faults.log);
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.LOG && e.message().equals("second rollback runs")));
  }

  @Test
  void paramsAndProfiles() {
    String body = """
        param latency = 500ms
        param name: string = "db"
        profile dev default { slo.failover = 60s }
        profile prod { slo.failover = 30s }
        scenario "s" { step "x" { record l = latency; record f = slo.failover; record n = name } }
        """;
    RunResult r = run(body, RunOptions.builder().env("prod").param("latency", "250ms").build());
    assertEquals(0, r.exitCode());
    var rec = r.scenario("s").orElseThrow().records();
    assertEquals(java.time.Duration.ofMillis(250), rec.get("l"));
    assertEquals(java.time.Duration.ofSeconds(30), rec.get("f"));
    assertEquals("db", rec.get("n"));
    RunResult dev = run(body);
    assertEquals(java.time.Duration.ofSeconds(60), dev.scenario("s").orElseThrow().records().get("f"));
  }

  @Test
  void badOptionsAreReportedTogetherBeforeAnythingRuns() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> run("""
        param latency = 500ms
        profile dev { x = 1 }
        scenario "db.down" tags [smoke] { step "x" { inject target("a").break() } }
        """, RunOptions.builder().scenario("db.dwn").tag("smok").env("prd").param("latncy", "1s").build()));
    assertEquals(4, e.diagnostics().size(), e.diagnostics().toString());
    assertTrue(e.diagnostics().get(0).help().orElse("").contains("db.down"));
    assertTrue(faults.log.isEmpty());
  }

  @Test
  void wronglyTypedParamIsRefused() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> run("param latency = 500ms\nscenario \"s\" { }",
        RunOptions.builder().param("latency", "500").build()));
    assertTrue(e.first().message().contains("is a duration"), e.first().message());
  }

  @Test
  void twoInterpretersDoNotShareState() {
    TestFaults other = new TestFaults();
    Faultline second = Faultline.builder().library(other).build();
    run("scenario \"s\" { step \"x\" { inject target(\"a\").break() } }");
    second.run("u.fl", "playbook \"u\" { scenario \"s\" { step \"x\" { inject target(\"b\").break() } } }", RunOptions.defaults());
    assertEquals(List.of("inject a:hard", "revert a:hard"), faults.log);
    assertEquals(List.of("inject b:hard", "revert b:hard"), other.log);
  }
}
