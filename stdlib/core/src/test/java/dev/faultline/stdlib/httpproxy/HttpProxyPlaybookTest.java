package dev.faultline.stdlib.httpproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.source.PlaybookError;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** http_proxy() in real runs through the embedding API, in front of the demo service. */
class HttpProxyPlaybookTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  private static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()).collect(Collectors.joining("\n"));
  }

  @Test
  void aStatusFaultHitsHalfTheProbesAndEndsWithItsStep() {
    RunResult r = faultline.run("http-proxy.fl", """
        playbook "http-proxy" {
          let svc = demo.service()
          let api = http_proxy(upstream: svc.url)
          scenario "s5xx" {
            step "half the requests fail" {
              inject api.status(503, rate: 50%)
              let ok = 0
              let failed = 0
              repeat 200 {
                let status = http.get("${api.url}/health").status
                if status == 503 { failed = failed + 1 } else if status == 200 { ok = ok + 1 }
              }
              record ok = ok
              record failed = failed
              expect ok + failed == 200, "only 200s and 503s"
              expect ok > 50 and failed > 50, "${ok} ok, ${failed} failed"
            }
            step "everything passes again" {
              let ok = 0
              repeat 50 { if http.get("${api.url}/health").status == 200 { ok = ok + 1 } }
              expect ok == 50, "${ok} of 50 ok"
              expect api.requests == 250
            }
          }
        }
        """, RunOptions.builder().allow(Capability.NET).build());
    assertEquals(0, r.exitCode(), explain(r));
    ScenarioResult s = r.scenario("s5xx").orElseThrow();
    long ok = ((Number) s.records().get("ok")).longValue();
    assertTrue(ok > 50 && ok < 150, "ok " + ok);
  }

  @Test
  void startingAProxyNeedsTheNetPermission() {
    PlaybookError refused = assertThrows(PlaybookError.class, () -> faultline.run("no-net.fl", """
        playbook "no-net" {
          scenario "s" {
            step "x" {
              let api = http_proxy(upstream: "http://127.0.0.1:9")
              log api.url
            }
          }
        }
        """, RunOptions.builder().build()));
    assertTrue(refused.getMessage().contains("http_proxy() needs the 'net' permission"), refused.getMessage());
  }
}
