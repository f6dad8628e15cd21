package dev.faultline.run;

import dev.faultline.source.Diagnostic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one scenario ended, with its steps and the values it recorded. Immutable.
 *
 * @param id the scenario's id
 * @param tags its tags
 * @param status how it ended
 * @param start when it started
 * @param duration how long it took; zero when skipped
 * @param message why it failed, aborted or was skipped; empty when it passed
 * @param steps each step's result, in order, skipped ones included
 * @param records the values it recorded, by name
 * @param error a failure in the scenario's body outside any step, as a diagnostic; a failed step
 *     keeps its own in {@link StepResult#error()}
 */
public record ScenarioResult(
    String id, List<String> tags, Status status, Instant start, Duration duration, String message,
    List<StepResult> steps, Map<String, Object> records, Optional<Diagnostic> error) {

  /**
   * Copies the collections.
   *
   * @param id the scenario's id
   * @param tags its tags
   * @param status how it ended
   * @param start when it started
   * @param duration how long it took; zero when skipped
   * @param message why it failed, aborted or was skipped; empty when it passed
   * @param steps each step's result, in order, skipped ones included
   * @param records the values it recorded, by name
   * @param error a failure in the scenario's body outside any step, as a diagnostic; a failed step
   *     keeps its own in {@link StepResult#error()}
   */
  public ScenarioResult {
    tags = List.copyOf(tags);
    steps = List.copyOf(steps);
    records = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(records));
  }

  /**
   * A result without a failure outside its steps.
   *
   * @param id the scenario's id
   * @param tags its tags
   * @param status how it ended
   * @param start when it started
   * @param duration how long it took
   * @param message why it failed, aborted or was skipped; empty when it passed
   * @param steps each step's result
   * @param records the values it recorded
   */
  public ScenarioResult(String id, List<String> tags, Status status, Instant start, Duration duration, String message,
      List<StepResult> steps, Map<String, Object> records) {
    this(id, tags, status, start, duration, message, steps, records, Optional.empty());
  }

  /** {@return the step that failed or aborted the scenario, if one did} */
  public Optional<StepResult> failedStep() {
    return steps.stream().filter(st -> st.status() == Status.FAILED || st.status() == Status.ABORTED).findFirst();
  }
}
