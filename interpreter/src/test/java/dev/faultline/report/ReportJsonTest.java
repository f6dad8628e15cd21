package dev.faultline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import org.junit.jupiter.api.Test;

/** The report's typed forms and masking; the golden files pin the rest of the layout. */
class ReportJsonTest {
  static final String PLAYBOOK = """
      playbook "typed" {
        param token = "s3cr3t" secret
        record run_wide = 3
        scenario "s" tags [smoke] {
          step "records" {
            record took = 1500ms
            record share = 12.5%
            record size = 2MiB
            record rate = 120/h
            record count = 7
            record ratio = 0.25
            record name = "db"
            record measured = measure { wait 1ms }
            expect 7 == 8
          }
        }
      }
      """;

  static RunResult run() {
    return Faultline.builder().build().run("typed.fl", PLAYBOOK, RunOptions.defaults());
  }

  @Test
  void recordsHaveAPrintedAndATypedForm() throws Exception {
    JsonNode report = new ObjectMapper().readTree(ReportJson.render(run(), false));
    assertEquals(ReportJson.SCHEMA_VERSION, report.get("schema_version").asInt());
    assertEquals("***", report.get("parameters").get("token").asText());
    assertEquals(1, report.get("exit_code").asInt());
    assertEquals("failed", report.get("status").asText());
    assertEquals(1, report.get("counts").get("failed").asInt());

    JsonNode records = report.get("scenarios").get(0).get("records");
    assertRecord(records.get(0), "took", "duration", "1.5s", 1500, "ms");
    assertRecord(records.get(1), "share", "percentage", "12.5%", 12.5, "%");
    assertRecord(records.get(2), "size", "size", "2MiB", 2 * 1024 * 1024, "B");
    assertRecord(records.get(4), "count", "number", "7", 7, null);
    assertRecord(records.get(5), "ratio", "number", "0.25", 0.25, null);
    assertEquals("db", records.get(6).get("value").asText());
    assertFalse(records.get(6).has("number"));
    assertEquals("run_wide", report.get("records").get(0).get("name").asText());

    JsonNode step = report.get("scenarios").get(0).get("steps").get(0);
    assertEquals("typed.fl:14:7", step.get("error").get("at").asText());
    assertTrue(report.get("events").size() > 5);
    assertTrue(report.get("events").get(0).get("offset_ms").isNumber());
  }

  @Test
  void maskReplacesTimesAndDurations() throws Exception {
    String text = ReportJson.render(run(), true);
    JsonNode report = new ObjectMapper().readTree(text);
    assertEquals("<time>", report.get("start").asText());
    assertEquals("<dur>", report.get("duration_ms").asText());
    JsonNode records = report.get("scenarios").get(0).get("records");
    assertEquals("<dur>", records.get(0).get("value").asText());
    assertEquals("<dur>", records.get(7).get("value").asText());
    assertEquals("12.5%", records.get(1).get("value").asText());
    assertFalse(text.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT.*"), "a timestamp is left");
  }

  private static void assertRecord(JsonNode r, String name, String type, String value, double number, String unit) {
    assertEquals(name, r.get("name").asText());
    assertEquals(type, r.get("type").asText());
    assertEquals(value, r.get("value").asText());
    assertEquals(number, r.get("number").asDouble(), 1e-9);
    if (unit == null) assertFalse(r.has("unit"));
    else assertEquals(unit, r.get("unit").asText());
  }
}
