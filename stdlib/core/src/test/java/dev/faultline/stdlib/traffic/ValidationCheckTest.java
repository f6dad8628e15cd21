package dev.faultline.stdlib.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.source.PlaybookError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mistakes in calls to probes, traffic and hypotheses are reported before anything runs, each at its line. */
class ValidationCheckTest {
  @Test
  void argumentKindsAreCheckedBeforeTheRun() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> Faultline.builder().standardLibrary().build().run("checks.fl", """
        playbook "validation" {
          let load = traffic("http://127.0.0.1:9/", rate: 200/s, for: 30s, status: [200], timeout: 1s)
          let slow = traffic("http://127.0.0.1:9/", rate: 5s)
          let never = traffic("http://127.0.0.1:9/", for: 200/s)
          let typo = traffic("http://127.0.0.1:9/", rat: 200/s)
          let c = command("true", timeout: 5)
          let q = prometheus.query("http://127.0.0.1:9090")
          let h = hypothesis("steady")
          let rate_ok = load.error_rate < 5%
          let mixed = load.p95 < 5%
        }
        """, RunOptions.defaults()));
    List<String> found = e.diagnostics().stream().map(d -> d.at().line() + ": " + d.message()).toList();
    List<String> expected = List.of(
        "3: traffic() expects a rate for 'rate', got a duration",
        "4: traffic() expects a duration for 'for', got a rate",
        "5: traffic() has no parameter 'rat'",
        "6: command() expects a duration for 'timeout', got a number",
        "7: query() is missing argument 'query'",
        "8: hypothesis() is missing argument 'check'",
        "10: cannot compare a duration with a percentage using '<'");
    assertEquals(expected.size(), found.size(), String.join("\n", found));
    for (int i = 0; i < expected.size(); i++) assertTrue(found.get(i).startsWith(expected.get(i)), found.get(i) + " <> " + expected.get(i));
  }
}
