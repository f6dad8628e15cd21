package dev.faultline.run;

import dev.faultline.report.Event;
import dev.faultline.source.Diagnostic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a run leaves: the playbook, the parameters and profile it ran with, each scenario's
 * result, recorded values, the event journal and the exit code. Immutable. Secret parameters are
 * already masked in {@code params}.
 *
 * @param error a failure outside any scenario (the playbook's setup), if there was one
 * @param dryRun {@link DryRun#OFF} for a real run; in a dry run, "passed" means planned without error
 */
public record RunResult(
    String playbook, String file, Map<String, Object> params, Optional<String> profile, Instant start,
    Duration duration, List<ScenarioResult> scenarios, Map<String, Object> records, List<Event> events,
    Optional<Diagnostic> error, List<String> revertFailures, int exitCode, DryRun dryRun) {

  public RunResult {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    scenarios = List.copyOf(scenarios);
    records = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(records));
    events = List.copyOf(events);
    revertFailures = List.copyOf(revertFailures);
    if (dryRun == null) dryRun = DryRun.OFF;
  }

  /** A real run's result. */
  public RunResult(
      String playbook, String file, Map<String, Object> params, Optional<String> profile, Instant start,
      Duration duration, List<ScenarioResult> scenarios, Map<String, Object> records, List<Event> events,
      Optional<Diagnostic> error, List<String> revertFailures, int exitCode) {
    this(playbook, file, params, profile, start, duration, scenarios, records, events, error, revertFailures, exitCode, DryRun.OFF);
  }

  /** Whether this was a dry run: nothing was injected, started or waited for. */
  public boolean isDryRun() {
    return dryRun != DryRun.OFF;
  }

  public boolean passed() {
    return exitCode == ExitCode.PASSED;
  }

  public Optional<ScenarioResult> scenario(String id) {
    return scenarios.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public long count(Status status) {
    return scenarios.stream().filter(s -> s.status() == status).count();
  }
}
