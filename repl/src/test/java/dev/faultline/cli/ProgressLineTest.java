package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live progress line: what it says, and that output wipes it first and never mixes with it. */
class ProgressLineTest {
  private static Event event(EventType type, String scenario, String step, Map<String, Object> data) {
    return new Event(Instant.now(), 0, type, scenario, step, "", null, data);
  }

  @Test
  void showsScenarioStepFaultsAndGuardsAndIsWipedBeforeOutput() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ProgressLine line = new ProgressLine(terminal, false)) {
      assertTrue(line.text().startsWith("▶ setting up · "), line.text());
      line.on(event(EventType.SCENARIO_STARTED, "db.latency", null, Map.of()));
      line.on(event(EventType.STEP_STARTED, "db.latency", "inject", Map.of()));
      line.on(event(EventType.FAULT_INJECTED, "db.latency", "inject", Map.of("id", 1)));
      line.on(event(EventType.FAULT_INJECTED, "db.latency", "inject", Map.of("id", 2)));
      line.on(event(EventType.FAULT_REVERTED, "db.latency", "inject", Map.of("id", 2)));
      assertTrue(line.text().matches("▶ db\\.latency › inject · \\d+s · 1 fault in place · guards ok"), line.text());
      line.draw();
      line.out().println("  step inject passed");
      line.draw();
      line.out().print("partial");
      line.draw(); // not at the start of a line: nothing drawn
      line.out().println();
      line.on(event(EventType.GUARD_BREACHED, "db.latency", "inject", Map.of("name", "error rate")));
      assertTrue(line.text().endsWith("guard 'error rate' BREACHED"), line.text());
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    String[] parts = out.split("\r\033\\[K", -1);
    // drawn, wiped by the step line, drawn again, wiped by "partial", wiped at close
    assertEquals("", parts[0]);
    assertTrue(parts[1].startsWith("▶ db.latency › inject"), out);
    assertEquals("  step inject passed\n", parts[2].substring(parts[2].indexOf("  step")), out);
    assertTrue(out.contains("partial\n"), out);
    assertTrue(!out.contains("partial\r\033[K▶"), "the line is never drawn in the middle of output: " + out);
  }
}
