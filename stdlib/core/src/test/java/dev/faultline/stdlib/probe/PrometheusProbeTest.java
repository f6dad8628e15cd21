package dev.faultline.stdlib.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prometheus.query() against a real Prometheus (Debian's package), started here with its own
 * configuration on a loopback port, scraping a metrics endpoint this test serves. Skipped with
 * {@code -Dfaultline.skip.prometheus=true} (./run-tests passes it when the package is missing).
 */
class PrometheusProbeTest {
  @TempDir
  static Path dir;
  private static HttpServer metrics;
  private static Process prometheus;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(Boolean.getBoolean("faultline.skip.prometheus"), "Prometheus tests skipped (faultline.skip.prometheus)");
    metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    metrics.createContext("/metrics", ex -> {
      byte[] body = """
          # TYPE checkout_errors_ratio gauge
          checkout_errors_ratio 0.25
          # TYPE checkout_requests_total counter
          checkout_requests_total{code="200"} 90
          checkout_requests_total{code="500"} 10
          """.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    metrics.start();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: checkout
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(metrics.getAddress().getPort()));
    prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    url = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
    }
    if (metrics != null) metrics.stop(0);
  }

  @Test
  void scalarsVectorsAndErrorsFromARealPrometheus() throws IOException {
    RunResult r = Faultline.builder().standardLibrary().build().run("prom.fl", """
        playbook "prom" {
          let prom = "URL"
          scenario "promql" {
            step "scraped" {
              # Prometheus starts, then scrapes every second: wait until the target is up.
              await prometheus.query(prom, "up{job=\\"checkout\\"}").ok within 30s every 200ms
              await prometheus.query(prom, "up{job=\\"checkout\\"} == 1").series == 1 within 30s every 200ms
            }
            step "an instant vector" {
              let ratio = prometheus.query(prom, "checkout_errors_ratio")
              expect ratio.ok and ratio.kind == "vector" and ratio.value == 0.25, ratio.error
              let by_code = prometheus.query(prom, "checkout_requests_total")
              expect by_code.series == 2
              expect sum([by_code.values[0].value, by_code.values[1].value]) == 100
              expect by_code.values[0].labels.job == "checkout"
            }
            step "a scalar" {
              let share = prometheus.query(prom, "scalar(sum(checkout_requests_total{code=\\"500\\"}) / sum(checkout_requests_total))")
              expect share.kind == "scalar" and share.value == 0.1, share.error
              expect share.latency < 5s
            }
            step "bad PromQL is a failed probe, not a failed step" {
              let bad = prometheus.query(prom, "sum(")
              expect not bad.ok
              expect contains(bad.error, "bad_data"), bad.error
            }
            step "an unreachable Prometheus is a failed probe" {
              let gone = prometheus.query("http://127.0.0.1:9", "up", timeout: 1s)
              expect not gone.ok and gone.error != "", gone.error
            }
          }
        }
        """.replace("URL", url), RunOptions.defaults());
    String why = r.scenarios().stream().map(s -> s.id() + " " + s.status().word() + " " + s.message()).collect(Collectors.joining("; "))
        + "\nprometheus log:\n" + Files.readString(dir.resolve("prometheus.log"));
    assertEquals(0, r.exitCode(), why);
  }
}
