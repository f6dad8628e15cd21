package dev.faultline.stdlib.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.source.PlaybookError;
import dev.faultline.run.RunResult;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** proxy() from a playbook, end to end, in front of the demo service. */
class NetPlaybookTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  private static String explain(RunResult r) {
    return r.error().map(d -> d.message()).orElse("") + r.scenarios().stream()
        .map(s -> s.id() + " " + s.status().word() + " " + s.message()).collect(Collectors.joining("; "));
  }

  @Test
  void latencyThroughTheProxyIsMeasuredByAnHttpProbeAndEndsWithItsScope() throws Exception {
    RunResult r = faultline.run("net.fl", """
        playbook "net" {
          let svc = demo.service()
          scenario "latency" {
            step "through the proxy" {
              let link = proxy(upstream: "127.0.0.1:${svc.port}", name: "api")
              expect http.get("http://${link.address}/health").ok
              inject link.latency(200ms, direction: "downstream") for 1s
              let r = http.get("http://${link.address}/health")
              expect r.ok, r.error
              expect r.latency >= 190ms and r.latency < 400ms, "took ${r.latency}"
              record slow = r.latency
              record port = link.port
              wait 1200ms
              let again = http.get("http://${link.address}/health")
              expect again.ok and again.latency < 150ms, "after the fault: ${again.latency}"
            }
          }
        }
        """, RunOptions.builder().allow(java.util.EnumSet.of(Capability.NET)).build());
    assertEquals(0, r.exitCode(), explain(r));
    long port = (Long) r.scenario("latency").orElseThrow().records().get("port");
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress("127.0.0.1", (int) port));
    }
  }

  @Test
  void proxyNeedsTheNetPermission() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> faultline.run("net.fl", """
        playbook "net" {
          scenario "s" { step "x" { let link = proxy(upstream: "127.0.0.1:9") } }
        }
        """, RunOptions.defaults()));
    assertTrue(e.getMessage().contains("proxy() needs the 'net' permission"), e.getMessage());
  }

  @Test
  void theBufferBoundIsAParameterWithAFloor() {
    RunResult r = faultline.run("net.fl", """
        playbook "net" {
          let svc = demo.service()
          scenario "small buffer" {
            step "relays" {
              let link = proxy(upstream: "127.0.0.1:${svc.port}", buffer: 256KiB)
              inject link.latency(20ms)
              expect http.get("http://${link.address}/api/items").ok
            }
          }
          scenario "too small" {
            step "refused" { let link = proxy(upstream: "127.0.0.1:${svc.port}", buffer: 1KiB) }
          }
        }
        """, RunOptions.builder().allow(java.util.EnumSet.of(Capability.NET)).build());
    assertEquals(dev.faultline.run.Status.PASSED, r.scenario("small buffer").orElseThrow().status(), explain(r));
    assertTrue(r.scenario("too small").orElseThrow().message().contains("at least 64KiB"), explain(r));
  }
}
