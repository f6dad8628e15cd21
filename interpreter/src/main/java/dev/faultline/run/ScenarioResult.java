package dev.faultline.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How one scenario ended, with its steps and the values it recorded. */
public record ScenarioResult(
    String id, List<String> tags, Status status, Instant start, Duration duration, String message,
    List<StepResult> steps, Map<String, Object> records) {

  public ScenarioResult {
    tags = List.copyOf(tags);
    steps = List.copyOf(steps);
    records = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(records));
  }
}
