package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline run --metrics-port} scraped by a real Prometheus (Debian's package), started
 * here with its own config on a loopback port; a PromQL query returns the scenario counter while
 * the playbook still runs. Skipped with {@code -Dfaultline.skip.prometheus=true} (./run-tests passes
 * it when the package is missing and the machine is not CI).
 */
class MetricsScrapeTest {
  @TempDir
  Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void prometheusScrapesTheScenarioCounterOfARunningPlaybook() throws Exception {
    assumeFalse(Boolean.getBoolean("faultline.skip.prometheus"), "Prometheus tests skipped (faultline.skip.prometheus)");
    int metricsPort = freePort();
    int prometheusPort = freePort();
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 500ms
        scrape_configs:
          - job_name: faultline
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(metricsPort));
    Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    // The playbook holds its second scenario until Prometheus has seen the first one's counter.
    AtomicBoolean seen = new AtomicBoolean();
    HttpServer gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    gate.createContext("/", ex -> {
      ex.sendResponseHeaders(seen.get() ? 200 : 503, -1);
      ex.close();
    });
    gate.start();
    try {
      Path playbook = dir.resolve("scraped.fl");
      Files.writeString(playbook, """
          playbook "scraped" {
            scenario "quick" tags [smoke] {
              step "passes" { expect 1 + 1 == 2 }
            }
            scenario "held" {
              step "until Prometheus has scraped" {
                await http.get("http://127.0.0.1:%d/").status == 200 within 60s every 100ms
              }
            }
          }
          """.formatted(gate.getAddress().getPort()));
      CompletableFuture<CommandLineTest.Outcome> run = CompletableFuture.supplyAsync(() -> CommandLineTest.run("run", playbook.toString(),
          "--metrics-port", String.valueOf(metricsPort), "--report-dir", dir.resolve("report").toString(),
          "--journal", dir.resolve("journal").toString(), "--allow", "net"));
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String query = URLEncoder.encode("chaos_scenarios_total{job=\"faultline\",scenario=\"quick\",result=\"passed\"}", StandardCharsets.UTF_8);
      String answer = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && !run.isDone()) {
        try {
          answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=" + query)).build(),
              HttpResponse.BodyHandlers.ofString()).body();
          if (answer.contains("\"value\":[") && answer.contains("\"1\"]")) break;
        } catch (java.io.IOException notYet) {
          // Prometheus still starting.
        }
        Thread.sleep(200);
      }
      seen.set(true);
      CommandLineTest.Outcome outcome = run.get(90, TimeUnit.SECONDS);
      assertEquals(0, outcome.exit(), outcome.out() + outcome.err());
      assertTrue(outcome.out().contains("metrics: http://127.0.0.1:" + metricsPort + "/metrics"), outcome.out());
      assertTrue(answer.contains("\"status\":\"success\"") && answer.contains("\"scenario\":\"quick\"") && answer.contains("\"1\"]"),
          "PromQL answer: " + answer + "\nprometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
    } finally {
      gate.stop(0);
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
    }
  }
}
