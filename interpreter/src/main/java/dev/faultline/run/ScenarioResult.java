package dev.faultline.run;

import dev.faultline.source.Diagnostic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one scenario ended, with its steps and the values it recorded.
 *
 * @param error a failure in the scenario's body outside any step, as a diagnostic; a failed step
 *     keeps its own in {@link StepResult#error()}
 */
public record ScenarioResult(
    String id, List<String> tags, Status status, Instant start, Duration duration, String message,
    List<StepResult> steps, Map<String, Object> records, Optional<Diagnostic> error) {

  public ScenarioResult {
    tags = List.copyOf(tags);
    steps = List.copyOf(steps);
    records = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(records));
  }

  public ScenarioResult(String id, List<String> tags, Status status, Instant start, Duration duration, String message,
      List<StepResult> steps, Map<String, Object> records) {
    this(id, tags, status, start, duration, message, steps, records, Optional.empty());
  }

  /** The step that failed or aborted the scenario, if one did. */
  public Optional<StepResult> failedStep() {
    return steps.stream().filter(st -> st.status() == Status.FAILED || st.status() == Status.ABORTED).findFirst();
  }
}
