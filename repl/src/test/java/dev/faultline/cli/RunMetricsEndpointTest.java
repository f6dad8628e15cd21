package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** faultline run --metrics-port: guard checks and background traffic as meters, read from the endpoint while the run runs. */
class RunMetricsEndpointTest {
  @TempDir
  Path dir;

  @Test
  void guardChecksAndTrafficFiguresAreServedWhileTheRunRuns() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    AtomicBoolean release = new AtomicBoolean();
    HttpServer gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    gate.createContext("/", ex -> {
      ex.sendResponseHeaders(release.get() ? 200 : 503, -1);
      ex.close();
    });
    gate.start();
    try {
      Path playbook = dir.resolve("metered.fl");
      Files.writeString(playbook, """
          playbook "metered" {
            let svc = demo.service()
            guard "service up" every 100ms { http.get(svc.health_url).status == 200 } else abort P2
            scenario "held" {
              step "traffic while a fault is in place" {
                let load = traffic(svc.health_url, rate: 40/s, name: "health")
                let link = proxy(upstream: "127.0.0.1:${svc.port}")
                inject link.latency(1ms)
                await http.get("http://127.0.0.1:%d/").status == 200 within 60s every 100ms
                load.stop()
              }
            }
          }
          """.formatted(gate.getAddress().getPort()));
      CompletableFuture<CommandLineTest.Outcome> run = CompletableFuture.supplyAsync(() -> CommandLineTest.run("run", playbook.toString(),
          "--metrics-port", String.valueOf(port), "--report-dir", dir.resolve("report").toString(),
          "--journal", dir.resolve("journal").toString(), "--allow", "net"));
      HttpClient http = HttpClient.newHttpClient();
      String body = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && !run.isDone()) {
        try {
          body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
          if (value(body, "chaos_guard_checks_total") >= 3 && value(body, "chaos_traffic_rate\\{traffic=\"health\"\\}") == 40) break;
        } catch (java.io.IOException notYet) {
          // The endpoint opens before the first scenario.
        }
        Thread.sleep(100);
      }
      release.set(true);
      CommandLineTest.Outcome outcome = run.get(60, TimeUnit.SECONDS);
      assertEquals(0, outcome.exit(), outcome.out() + outcome.err());
      assertTrue(value(body, "chaos_guard_checks_total") >= 3, body);
      assertEquals(40.0, value(body, "chaos_traffic_rate\\{traffic=\"health\"\\}"), body);
      assertTrue(value(body, "chaos_traffic_p95_ms\\{traffic=\"health\"\\}") > 0, body);
      assertEquals(1.0, value(body, "chaos_faults_active"), body);
    } finally {
      gate.stop(0);
    }
  }

  private static double value(String body, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+|NaN)$").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
