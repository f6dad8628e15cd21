package dev.faultline.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CI example in docs/examples/ci is valid YAML and does what docs/cli.md says it does. */
class CiExampleTest {
  static final Path WORKFLOW = DocExamplesTest.ROOT.resolve("docs/examples/ci/chaos.yml");

  @Test
  void theWorkflowRunsOnPullRequestsOnDemandAndNightlyAndKeepsItsReports() throws Exception {
    JsonNode w = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOW.toFile());
    JsonNode on = w.path("on");
    assertTrue(on.has("pull_request") && on.has("workflow_dispatch") && on.has("schedule"), on.toString());
    assertEquals(List.of("smoke", "standard", "stress"), texts(on.path("workflow_dispatch").path("inputs").path("intensity").path("options")));
    assertTrue(on.path("schedule").get(0).path("cron").asText().matches("\\S+ \\S+ \\S+ \\S+ \\S+"));

    JsonNode steps = w.path("jobs").path("chaos").path("steps");
    assertTrue(steps.isArray() && steps.size() >= 4, steps.toString());
    String run = "";
    JsonNode upload = null;
    JsonNode summary = null;
    for (JsonNode s : steps) {
      if (s.path("run").asText().contains("faultline run")) run = s.path("run").asText();
      if (s.path("uses").asText().startsWith("actions/upload-artifact")) upload = s;
      if (s.path("run").asText().contains("$GITHUB_STEP_SUMMARY")) summary = s;
    }
    // The command is one the faultline command accepts, with a profile and a report directory.
    assertTrue(run.matches("\\./faultline run \\S+\\.fl --tags \"\\$TAGS\" --env \"\\$PROFILE\" --report-dir (\\S+)\\s*"), run);
    String reportDir = run.replaceAll(".*--report-dir (\\S+)\\s*", "$1");
    assertTrue(upload != null, "an upload-artifact step");
    assertEquals("always()", upload.path("if").asText(), "reports are kept when the job fails too");
    assertEquals(reportDir, upload.path("with").path("path").asText());
    // The Markdown report, written by default, goes to the run's summary page, failed or not.
    assertTrue(summary != null, "a step that shows report.md on the summary page");
    assertEquals("always()", summary.path("if").asText());
    assertTrue(summary.path("run").asText().contains(reportDir + "/report.md"), summary.toString());
  }

  private static List<String> texts(JsonNode array) {
    List<String> r = new ArrayList<>();
    array.forEach(n -> r.add(n.asText()));
    return r;
  }
}
