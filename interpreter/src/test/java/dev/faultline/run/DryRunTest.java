package dev.faultline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.eval.Planned;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a dry run evaluates, what it only lists, and how placeholders behave. */
class DryRunTest {
  private final EffectsLibrary lib = new EffectsLibrary();
  private final Faultline faultline = Faultline.builder().library(lib).build();

  private RunResult dry(DryRun mode, String body) {
    return faultline.run("d.fl", "playbook \"d\" {\n" + body + "\n}\n", RunOptions.builder().dryRun(mode).build());
  }

  private RunResult dry(String body) {
    return dry(DryRun.PLAN, body);
  }

  private static List<String> listed(RunResult r, String kind) {
    return r.events().stream().filter(e -> e.type() == EventType.PLANNED && kind.equals(e.data().get("kind")))
        .map(Event::message).toList();
  }

  private static List<String> logs(RunResult r) {
    return r.events().stream().filter(e -> e.type() == EventType.LOG).map(Event::message).toList();
  }

  private static Object record(RunResult r, String name) {
    Object v = r.records().get(name);
    if (v == null) v = r.scenarios().stream().map(s -> s.records().get(name)).filter(x -> x != null).findFirst().orElse(null);
    return v;
  }

  @Test
  void actionsAreNotCalledProbesDoNotRunPureFunctionsDo() {
    RunResult r = dry("""
        let svc = service("shop")
        let seen = look(3)
        record twice = twice(21)
        record url = svc.url
        """);
    assertEquals(0, r.exitCode());
    assertEquals(List.of(), lib.log, "no action and no probe was called");
    assertEquals(List.of("service(\"shop\") - not called in a dry run"), listed(r, "call"));
    assertEquals(List.of("look(3) - not run; --dry-run=probes runs probes"), listed(r, "probe"));
    assertEquals(42L, record(r, "twice"));
    Planned url = assertInstanceOf(Planned.class, record(r, "url"));
    assertEquals("<planned: svc.url>", url.show());
    assertEquals("<planned: service(\"shop\")>", url.origin().show());
  }

  @Test
  void probesRunOnlyWhenAsked() {
    RunResult r = dry(DryRun.PROBES, """
        record seen = look(3)
        let svc = service("shop")
        record up = svc.ok
        """);
    assertEquals(0, r.exitCode());
    assertEquals(List.of("look 3"), lib.log, "the probe ran; the action and the probe on its result did not");
    assertEquals(3L, record(r, "seen"));
    assertEquals("<planned: svc.ok>", ((Planned) record(r, "up")).show());
  }

  @Test
  void placeholdersFlowThroughMembersCallsOperatorsAndStrings() {
    RunResult r = dry("""
        let svc = service("shop")
        log "shop at ${svc.url}/health"
        record sum = twice(1) + 1
        record first = svc.items[0]
        record bigger = svc.size > 3
        record negated = -svc.size
        record doubled = twice(svc.size)
        record close = svc.latency within 500ms ± 100ms
        """);
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of("shop at <planned: svc.url>/health"), logs(r));
    assertEquals(3L, record(r, "sum"));
    assertEquals("<planned: svc.items[0]>", ((Planned) record(r, "first")).show());
    assertEquals("<planned: svc.size > 3>", ((Planned) record(r, "bigger")).show());
    assertEquals("<planned: -svc.size>", ((Planned) record(r, "negated")).show());
    assertEquals("<planned: twice(svc.size)>", ((Planned) record(r, "doubled")).show());
    assertInstanceOf(Planned.class, record(r, "close"));
  }

  @Test
  void andOrKnowWhatTheyCanWithAnUnknownSide() {
    RunResult r = dry("""
        let up = service("shop").ok
        record a = false and up
        record b = up and false
        record c = true or up
        record d = up or true
        record e = true and up
        record f = not up
        """);
    assertEquals(false, record(r, "a"));
    assertEquals(false, record(r, "b"));
    assertEquals(true, record(r, "c"));
    assertEquals(true, record(r, "d"));
    assertInstanceOf(Planned.class, record(r, "e"));
    assertInstanceOf(Planned.class, record(r, "f"));
  }

  @Test
  void expectIsListedNeverJudgedAgainstTheRun() {
    RunResult r = dry("""
        let svc = service("shop")
        scenario "s" {
          step "checks" {
            expect svc.ok
            expect svc.size == 3, "size is ${svc.size}"
            expect 1 + 1 == 2
            expect 1 + 1 == 3
            expect 2 > 3, "two is not above three"
          }
        }
        """);
    assertEquals(0, r.exitCode(), "a dry run judges nothing");
    assertEquals(List.of("would check: svc.ok", "would check: svc.size == 3", "holds: 1 + 1 == 2 (2 == 2)",
        "would fail: 1 + 1 == 3 (2 == 3)", "would fail: two is not above three"), listed(r, "expect"));
    assertEquals(Status.PASSED, r.scenario("s").orElseThrow().status());
  }

  @Test
  void anUnknownIfPlansBothBranchesAKnownOneTakesItsOwn() {
    RunResult r = dry("""
        let up = service("shop").ok
        if up { log "then" } else { log "else" }
        if 1 > 2 { log "never" } else if up { log "maybe" } else { log "or this" }
        if 2 > 1 { log "known" } else { log "not this" }
        """);
    assertEquals(List.of("then", "else", "maybe", "or this", "known"), logs(r));
    assertEquals(List.of("up is not known in a dry run: every branch is planned",
        "up is not known in a dry run: every branch is planned"), listed(r, "if"));
  }

  @Test
  void decidePlansEachArmThatCouldBeTakenUntilOneIsKnown() {
    RunResult r = dry("""
        let up = service("shop").ok
        decide {
          when 1 > 2 -> log "known false"
          when up -> log "unknown"
          when 2 > 1 -> log "known true"
          when up -> log "after a known true arm"
          else -> log "else"
        }
        decide {
          when up -> log "unknown again"
          else -> log "so else could run"
        }
        decide {
          when 2 > 1 -> log "taken as in a real run"
          else -> log "not this"
        }
        """);
    assertEquals(List.of("unknown", "known true", "unknown again", "so else could run", "taken as in a real run"), logs(r));
    assertEquals(List.of("could take: when up", "could take: when 2 > 1", "could take: when up", "could take: else"),
        listed(r, "decide"));
    List<String> decisions = r.events().stream().filter(e -> e.type() == EventType.DECISION).map(Event::message).toList();
    assertEquals(List.of("when 2 > 1"), decisions, "a decision known before the run is reported as one");
  }

  @Test
  void loopsOverUnknownsArePlannedOnce() {
    RunResult r = dry("""
        let svc = service("shop")
        for item in svc.items { log "item ${item.id}" }
        repeat svc.size { log "again" }
        for n in [1, 2] { log "n ${n}" }
        """);
    assertEquals(List.of("item <planned: item.id>", "again", "n 1", "n 2"), logs(r));
    assertEquals(1, listed(r, "for").size());
    assertEquals(1, listed(r, "repeat").size());
  }

  @Test
  void nothingWaits() {
    long start = System.nanoTime();
    RunResult r = dry("""
        let svc = service("shop")
        scenario "s" {
          step "time" timeout 2h {
            wait 1h
            record quick = await 1 < 2 within 1h
            record slow = await svc.ok within 1h
            record never = await 1 > 2 within 1h
            record took = measure { wait 1h }
          }
        }
        """);
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "a dry run never sleeps");
    assertEquals(0, r.exitCode());
    assertEquals(Duration.ZERO, record(r, "quick"), "a condition already true yields 0s, as a real run would");
    assertEquals("<planned: time until svc.ok>", ((Planned) record(r, "slow")).show());
    assertInstanceOf(Planned.class, record(r, "never"));
    assertInstanceOf(Planned.class, record(r, "took"));
    assertEquals(List.of("1h - not waited in a dry run", "1h - not waited in a dry run"), listed(r, "wait"));
    assertEquals(List.of("the step times out after 2h"), listed(r, "timeout"));
    assertEquals(List.of("1 < 2 is true already: yields 0s", "would poll svc.ok for up to 1h - not waited in a dry run",
        "would poll 1 > 2 for up to 1h (false now) - not waited in a dry run"), listed(r, "await"));
  }

  @Test
  void injectPlansTheFaultAndReturnsAnInactiveHandle() {
    RunResult r = dry("""
        guard "up" every 250ms { true } else abort P1
        let svc = service("shop")
        scenario "s" {
          step "faults" {
            let f = inject svc.outage(status: 500) for 30s
            let g = inject file("app.yaml").replace("x")
            record active = f.active or g.active
            record shown = g
            revert f
            revert all
          }
        }
        """);
    assertEquals(0, r.exitCode());
    assertEquals(List.of(), lib.log, "nothing was started or injected");
    List<Event> planned = r.events().stream().filter(e -> e.type() == EventType.FAULT_PLANNED).toList();
    assertEquals(2, planned.size());
    assertEquals("svc.outage(status: 500)", planned.get(0).message());
    assertEquals("<planned: service(\"shop\")>", planned.get(0).data().get("target"));
    assertEquals("30s", planned.get(0).data().get("for"));
    assertEquals(List.of(Map.of("name", "up", "every", "250ms")), planned.get(0).data().get("guards"));
    assertEquals("would replace app.yaml", planned.get(1).message(), "a real fault's plan()");
    assertEquals("app.yaml", planned.get(1).data().get("target"));
    assertEquals("the end of step \"faults\"", planned.get(1).data().get("until"));
    assertEquals(false, record(r, "active"));
    assertEquals("fault #2 replace app.yaml (planned)", dev.faultline.value.Values.show(record(r, "shown")));
    assertEquals(List.of("would revert svc.outage(status: 500)", "would revert every fault injected so far"), listed(r, "revert"));
    assertFalse(r.events().stream().anyMatch(e -> e.type() == EventType.FAULT_INJECTED || e.type() == EventType.FAULT_REVERTED));
  }

  @Test
  void guardsDeclaredAfterASetupFaultDoNotWatchIt() {
    RunResult r = dry("""
        inject file("early").delete()
        guard "late" every 1s { true } else abort P1
        scenario "s" { step "x" { inject file("later").delete() } }
        """);
    List<Event> planned = r.events().stream().filter(e -> e.type() == EventType.FAULT_PLANNED).toList();
    assertEquals(List.of(), planned.get(0).data().get("guards"));
    assertEquals(1, ((List<?>) planned.get(1).data().get("guards")).size());
  }

  @Test
  void abortIsListedAndThePlanGoesOn() {
    RunResult r = dry("""
        scenario "s" {
          step "one" { abort P2 "too many errors" }
          step "two" { log "still planned" }
        }
        scenario "t" { step "three" { log "and this" } }
        """);
    assertEquals(0, r.exitCode());
    assertEquals(List.of("would abort P2: too many errors"), listed(r, "abort"));
    assertEquals(List.of("still planned", "and this"), logs(r));
  }

  @Test
  void aMistakeInThePlaybookIsExitTwo() {
    RunResult r = dry("""
        scenario "s" { step "one" { let xs = [1]; log "${xs[3]}" } }
        """);
    assertEquals(ExitCode.BAD_INPUT, r.exitCode());
    assertEquals(Status.FAILED, r.scenario("s").orElseThrow().status());
  }

  @Test
  void aDryRunNeedsNoPermission() {
    RunResult r = dry("""
        scenario "s" {
          step "x" {
            inject file("/etc/app.yaml").replace("broken")
            inject flood(1000)
            log shell("reboot")
          }
        }
        """);
    assertEquals(0, r.exitCode());
    assertEquals(List.of(), lib.log);
    assertEquals(2, r.events().stream().filter(e -> e.type() == EventType.FAULT_PLANNED).count());
  }

  @Test
  void aFnRunsAndItsStatementsArePlanned() {
    RunResult r = dry("""
        fn restart(svc) {
          log "restarting ${svc.url}"
          return shell("restart")
        }
        record result = restart(service("shop"))
        """);
    assertEquals(List.of("restarting <planned: svc.url>"), logs(r));
    assertEquals("<planned: shell(\"restart\")>", ((Planned) record(r, "result")).show());
  }

  @Test
  void theRunSaysItWasADryRun() {
    RunResult plan = dry("log \"x\"");
    assertTrue(plan.isDryRun());
    assertEquals(DryRun.PLAN, plan.dryRun());
    assertEquals("plan", plan.events().get(0).data().get("dry_run"));
    assertEquals(DryRun.PROBES, dry(DryRun.PROBES, "log \"x\"").dryRun());
    RunResult real = faultline.run("r.fl", "playbook \"r\" { }", RunOptions.defaults());
    assertFalse(real.isDryRun());
    assertFalse(real.events().get(0).data().containsKey("dry_run"));
  }
}
