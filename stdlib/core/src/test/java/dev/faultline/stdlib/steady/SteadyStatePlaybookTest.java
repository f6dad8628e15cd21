package dev.faultline.stdlib.steady;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** hypothesis(), validate(), steady_state() and probe() from playbooks, against the demo service. */
class SteadyStatePlaybookTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  private static String explain(RunResult r) {
    return r.error().map(d -> d.message()).orElse("") + r.scenarios().stream()
        .map(s -> s.id() + " " + s.status().word() + " " + s.message()).collect(Collectors.joining("; "));
  }

  private static List<Event> events(RunResult r, EventType type) {
    return r.events().stream().filter(e -> e.type() == type).toList();
  }

  @Test
  void aBaselineIsTheMedianAndDeviationsCarryTheirSeverity() {
    RunResult r = faultline.run("h.fl", """
        playbook "h" {
          let items = 10
          let up = true
          fn figures() { return {items: items, up: up, spread: 5ms} }
          let h = hypothesis("inventory", figures, samples: 3, every: 1ms,
                             tolerance: {items: 20%, spread: 1ms}, severity: {up: P1, default: P3})
          expect h.baseline == {items: 10, up: true, spread: 5ms}
          scenario "within tolerance" {
            step "validate" {
              items = 12
              let v = h.validate()
              expect v.ok, v.message
              expect v.worst == null
            }
          }
          scenario "deviations" {
            step "validate" {
              items = 13
              up = false
              let v = h.validate()
              expect not v.ok
              expect len(v.deviations) == 2
              expect v.worst == P1
              expect v.message == "items was 13; baseline 10, allowed 20% of it (P3); up was false; baseline true (P1)", v.message
            }
          }
        }
        """, RunOptions.defaults());
    assertEquals(0, r.exitCode(), explain(r));
    assertEquals(2, events(r, EventType.STEADY_STATE).size());
  }

  @Test
  void theSteadyStateIsCheckedBeforeFaultsAndAfterTheRollback() {
    RunResult r = faultline.run("steady.fl", """
        playbook "steady" {
          let svc = demo.service()
          fn health() { return {health: http.get(svc.health_url)} }
          let h = hypothesis("health answers", health, samples: 3, every: 10ms, tolerance: {latency: 2s})
          steady_state(h)
          scenario "recovers" {
            step "outage" { inject svc.outage(status: 503) for 200ms; wait 300ms }
          }
          scenario "does not recover" {
            step "stop the service" { svc.stop() }
          }
          scenario "skipped checks still run first" {
            step "never" { log "the steady state failed before the faults" }
          }
        }
        """, RunOptions.defaults());
    assertEquals(1, r.exitCode(), explain(r));
    assertEquals("passed", r.scenario("recovers").orElseThrow().status().word());
    String after = r.scenario("does not recover").orElseThrow().message();
    assertTrue(after.startsWith("steady state \"health answers\" did not hold after the rollback: health.ok was false; baseline true"), after);
    String before = r.scenario("skipped checks still run first").orElseThrow().message();
    assertTrue(before.startsWith("steady state \"health answers\" did not hold before the faults: health.ok was false"), before);
    List<Event> checks = events(r, EventType.STEADY_STATE);
    assertEquals("when declared", checks.get(0).data().get("when"));
    assertEquals("before the faults of scenario \"recovers\"", checks.get(1).data().get("when"));
    assertEquals("after the rollback of scenario \"recovers\"", checks.get(2).data().get("when"));
  }

  @Test
  void aBaselineOfAFlappingSystemIsRefused() {
    RunResult r = faultline.run("flap.fl", """
        playbook "flap" {
          let n = 0
          let ups = [true, false, true, false]
          fn flapping() { n = n + 1; return {up: ups[n - 1]} }
          scenario "s" { step "baseline" { let h = hypothesis("flaps", flapping, samples: 4, every: 0ms) } }
        }
        """, RunOptions.defaults());
    assertEquals(1, r.exitCode());
    assertTrue(explain(r).contains("the system was not steady while the baseline was taken: 'up' was true in 2 of 4 samples"), explain(r));
  }

  @Test
  void probeRecordsAnyProbeLikeResultAndTurnsErrorsIntoFailedProbes() {
    RunResult r = faultline.run("probe.fl", """
        playbook "probe" {
          let svc = demo.service()
          fn broken() { return http.get("no url at all") }
          scenario "probes" {
            step "a computed result" {
              let p = probe("health", http.get(svc.health_url))
              expect p.ok and p.latency == p.value.latency
            }
            step "a function" {
              fn items() { return len(http.get("${svc.url}/api/items").json) }
              let p = probe("items", items)
              expect p.ok and p.value == 2
            }
            step "an error is a failed probe" {
              let p = probe("broken", broken)
              expect not p.ok
              expect contains(p.error, "is not a URL"), p.error
            }
          }
        }
        """, RunOptions.defaults());
    assertEquals(0, r.exitCode(), explain(r));
    List<Event> probes = events(r, EventType.PROBE).stream().filter(e -> !String.valueOf(e.data().get("probe")).startsWith("http")).toList();
    assertEquals(List.of("health", "items", "broken"), probes.stream().map(e -> e.data().get("probe")).toList());
    assertEquals(List.of(true, true, false), probes.stream().map(e -> e.data().get("ok")).toList());
  }

  @Test
  void commandNeedsExecAndReportsExitCodeOutputAndTimeout() {
    RunResult r = faultline.run("cmd.fl", """
        playbook "cmd" {
          scenario "commands" {
            step "exit codes and output" {
              let ok = command("sh -c 'echo steady; echo warn >&2'")
              expect ok.ok and ok.exit_code == 0 and ok.output == "steady" and ok.stderr == "warn\\n"
              let bad = command("sh -c 'exit 3'")
              expect not bad.ok and bad.exit_code == 3 and bad.error == ""
              let missing = command("no-such-command-here")
              expect not missing.ok and contains(missing.error, "cannot run 'no-such-command-here'"), missing.error
              let slow = command("sleep 5", timeout: 200ms)
              expect not slow.ok and slow.exit_code == -1 and slow.latency < 2s, slow.error
              expect slow.error == "still running after 200ms; killed"
            }
          }
        }
        """, RunOptions.builder().allow(EnumSet.of(Capability.EXEC)).build());
    assertEquals(0, r.exitCode(), explain(r));
    var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.faultline.source.PlaybookError.class,
        () -> faultline.run("cmd.fl", "playbook \"c\" { scenario \"s\" { step \"x\" { command(\"true\") } } }", RunOptions.defaults()));
    assertTrue(refused.getMessage().contains("command() needs the 'exec' permission"), refused.getMessage());
  }
}
