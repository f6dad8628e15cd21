package dev.faultline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real runs feeding the meters; the endpoint read by a real HTTP client. */
class RunMetricsTest {
  private static final String PLAYBOOK = """
      playbook "metered" {
        scenario "passes" tags [smoke] {
          step "one" { expect 1 == 1 }
        }
        scenario "fails" {
          step "two" { expect 1 == 2 }
        }
      }
      """;

  @TempDir
  Path journal;

  private RunOptions options() {
    return RunOptions.builder().journalDir(journal).build();
  }

  @Test
  void scenariosAreCountedByResultWithTheirDurations() {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0)) {
      Faultline faultline = Faultline.builder().listener(endpoint.metrics()).build();
      faultline.run("metered.fl", PLAYBOOK, options());
      faultline.run("metered.fl", PLAYBOOK, options());
      var registry = endpoint.metrics().registry();
      assertEquals(2.0, registry.get("chaos.scenarios").tag("scenario", "passes").tag("result", "passed").counter().count());
      assertEquals(2.0, registry.get("chaos.scenarios").tag("scenario", "fails").tag("result", "failed").counter().count());
      assertEquals(2, registry.get("chaos.scenario_duration_ms").tag("scenario", "passes").summary().count());
      assertEquals(2.0, registry.get("chaos.runs").tag("result", "failed").counter().count());
      assertEquals(0.0, registry.get("chaos.faults.active").gauge().value());
    }
  }

  @Test
  void theEndpointServesThePrometheusTextFormat() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0)) {
      Faultline.builder().listener(endpoint.metrics()).build().run("metered.fl", PLAYBOOK, options());
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers().toString());
      String body = r.body();
      assertTrue(body.contains("chaos_scenarios_total{result=\"passed\",scenario=\"passes\"} 1"), body);
      assertTrue(body.contains("chaos_scenario_duration_ms_bucket{"), body);
      assertTrue(body.contains("chaos_faults_active 0"), body);
    }
  }
}
