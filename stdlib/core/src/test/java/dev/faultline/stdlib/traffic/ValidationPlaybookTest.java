package dev.faultline.stdlib.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.Status;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Traffic, recoveries, steady states and SLO verdicts from playbooks, end to end against real servers. */
class ValidationPlaybookTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();
  private final MisbehavingServer server;

  ValidationPlaybookTest() throws Exception {
    server = new MisbehavingServer();
  }

  @AfterEach
  void close() {
    server.close();
  }

  private static String explain(RunResult r) {
    return r.error().map(d -> d.message()).orElse("") + r.scenarios().stream()
        .map(s -> s.id() + " " + s.status().word() + " " + s.message()).collect(Collectors.joining("; "));
  }

  private static List<Event> events(RunResult r, EventType type) {
    return r.events().stream().filter(e -> e.type() == type).toList();
  }

  @Test
  void aViolatedErrorRateFailsTheScenarioNamingFigureValueAndTarget() {
    RunResult r = faultline.run("slo.fl", """
        playbook "slo" {
          profile staging default { slo.error_rate = 5%; slo.availability = 95% }
          scenario "flaky" {
            step "load" {
              let load = traffic("URL", rate: 100/s, for: 1s, name: "flaky")
              load.wait()
              expect load.requests == 100
            }
          }
        }
        """.replace("URL", server.url("/flaky?every=5")), RunOptions.defaults());
    assertEquals(1, r.exitCode(), explain(r));
    String message = r.scenario("flaky").orElseThrow().message();
    assertEquals("slo.error_rate violated: error rate of traffic \"flaky\" was 20%, the target is ≤ 5%", message);
    List<Event> slo = events(r, EventType.SLO);
    assertEquals(2, slo.size(), slo.toString());
    assertEquals(true, slo.get(1).data().get("passed"), "every second had successes: availability 100%");
    assertEquals(1, events(r, EventType.TRAFFIC_STARTED).size());
    assertEquals(1, events(r, EventType.TRAFFIC_STOPPED).size());
    assertEquals(100L, events(r, EventType.TRAFFIC_STOPPED).get(0).data().get("requests"));
  }

  @Test
  void recoveriesAfterAFaultGiveMttrAndRto() {
    RunResult r = faultline.run("mttr.fl", """
        playbook "mttr" {
          profile dev default { slo.mttr = 5s; slo.rto = 5s; slo.recovery_time = 5s }
          let svc = demo.service()
          scenario "outage" {
            step "ready" { await http.get(svc.health_url).ok within 2s every 10ms }
            step "outage" {
              inject svc.outage(status: 503) for 300ms
              let took = await http.get(svc.health_url).ok within 3s every 20ms
              record recovery = took
            }
          }
          scenario "too slow" {
            max_duration 30s
            step "outage" {
              inject svc.outage(status: 503) for 300ms
              await http.get(svc.health_url).ok within 3s every 20ms
            }
          }
        }
        """, RunOptions.defaults());
    assertEquals(0, r.exitCode(), explain(r));
    List<Event> recoveries = events(r, EventType.RECOVERY);
    // The await before any fault is readiness, not a recovery.
    assertEquals(2, recoveries.size(), recoveries.toString());
    double since = ((Number) recoveries.get(0).data().get("since_fault_ms")).doubleValue();
    assertTrue(since >= 290 && since < 2000, "fault to recovered: " + since + " ms");
    assertTrue(events(r, EventType.SLO).stream().allMatch(e -> Boolean.TRUE.equals(e.data().get("passed"))));
    assertEquals(6, events(r, EventType.SLO).size());

    RunResult strict = faultline.run("mttr.fl", """
        playbook "mttr" {
          profile dev default { slo.mttr = 50ms }
          let svc = demo.service()
          scenario "outage" {
            step "outage" {
              inject svc.outage(status: 503) for 300ms
              await http.get(svc.health_url).ok within 3s every 20ms
            }
          }
        }
        """, RunOptions.defaults());
    assertEquals(1, strict.exitCode(), explain(strict));
    String m = strict.scenario("outage").orElseThrow().message();
    assertTrue(m.startsWith("slo.mttr violated: mean recovery time was ") && m.endsWith(", the target is ≤ 50ms"), m);
  }

  @Test
  void aGuardReadsLiveTrafficFiguresAndAbortsOnABreach() {
    RunResult r = faultline.run("guard.fl", """
        playbook "guarded" {
          let svc = demo.service()
          let load = traffic("${svc.url}/api/items", rate: 50/s, name: "items")
          guard "errors stay low" every 100ms { load.last(1s).error_rate < 20% } else abort P1 "too many errors"
          scenario "outage" {
            step "inject" {
              inject svc.outage(status: 500) for 5s
              wait 4s
            }
          }
        }
        """, RunOptions.defaults());
    assertEquals(3, r.exitCode(), explain(r));
    assertEquals(Status.ABORTED, r.scenario("outage").orElseThrow().status());
    Event breach = events(r, EventType.GUARD_BREACHED).get(0);
    assertTrue(String.valueOf(breach.data().get("value")).endsWith("%"), breach.data().toString());
  }

  @Test
  void latencyDegradationComparesTheP95BeforeAndAfterTheFirstFault() {
    RunResult r = faultline.run("degradation.fl", """
        playbook "degradation" {
          profile dev default { slo.latency_degradation = 150ms }
          scenario "slow link" {
            let link = proxy(upstream: "UPSTREAM", name: "api")
            let load = traffic("http://${link.address}/ok", rate: 40/s, name: "through the proxy")
            wait 3s     # the baseline: 120 requests, so that a slow start of a busy machine stays under the p95
            step "add latency" {
              inject link.latency(400ms, direction: "downstream")
              wait 2s
            }
          }
        }
        """.replace("UPSTREAM", server.url("").replace("http://", "")), RunOptions.builder().allow(EnumSet.of(Capability.NET)).build());
    assertEquals(1, r.exitCode(), explain(r) + events(r, EventType.SLO) + events(r, EventType.TRAFFIC_STOPPED));
    String m = r.scenario("slow link").orElseThrow().message();
    assertTrue(m.startsWith("slo.latency_degradation violated: p95 growth of traffic \"through the proxy\" after the first fault"), m);
    assertTrue(m.endsWith("the target is ≤ 150ms"), m);
  }

  @Test
  void theTargetsAreThoseOfTheProfileChosenWithEnv() {
    String playbook = """
        playbook "envs" {
          profile dev default { slo.error_rate = 30% }
          profile prod { slo.error_rate = 1% }
          scenario "flaky" {
            step "load" { traffic("URL", rate: 50/s, for: 1s, name: "flaky").wait() }
          }
        }
        """.replace("URL", server.url("/flaky?every=10"));
    RunResult dev = faultline.run("envs.fl", playbook, RunOptions.builder().env("dev").build());
    assertEquals(0, dev.exitCode(), explain(dev));
    RunResult prod = faultline.run("envs.fl", playbook, RunOptions.builder().env("prod").build());
    assertEquals(1, prod.exitCode(), explain(prod));
    assertTrue(prod.scenario("flaky").orElseThrow().message().startsWith("slo.error_rate violated: error rate of traffic \"flaky\" was 1"),
        explain(prod));
  }

  @Test
  void aMisspeltTargetIsPointedOutOnce() {
    RunResult r = faultline.run("typo.fl", """
        playbook "typo" {
          profile dev default { slo.eror_rate = 5%; slo.failover = 30s }
          scenario "a" { step "x" { log "nothing" } }
          scenario "b" { step "x" { log "nothing" } }
        }
        """, RunOptions.defaults());
    assertEquals(0, r.exitCode(), explain(r));
    List<String> logs = events(r, EventType.LOG).stream().map(Event::message).filter(m -> m.startsWith("slo.")).toList();
    assertEquals(List.of("slo.eror_rate is not an SLO target the run judges; did you mean slo.error_rate?"), logs);
  }

  @Test
  void aTargetOfTheWrongKindIsAClearFailure() {
    RunResult r = faultline.run("kind.fl", """
        playbook "kind" {
          profile dev default { slo.error_rate = 5ms }
          scenario "s" { step "x" { log "nothing" } }
        }
        """, RunOptions.defaults());
    assertEquals(1, r.exitCode(), explain(r));
    assertEquals("slo.error_rate must be a percentage, got a duration (5ms)", r.scenario("s").orElseThrow().message());
  }
}
