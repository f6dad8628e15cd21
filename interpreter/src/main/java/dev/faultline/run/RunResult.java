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
 * @param playbook the playbook's name
 * @param file the playbook's file as it was given
 * @param params the params as bound, secrets masked
 * @param profile the profile it ran with, if any
 * @param start when the run started
 * @param duration how long it took
 * @param scenarios each selected scenario's result, in run order
 * @param records the values the playbook's setup recorded
 * @param events every event of the run, in order
 * @param error a failure outside any scenario (the playbook's setup), if there was one
 * @param revertFailures each fault whose revert failed, in words: they may remain
 * @param exitCode the exit code, as {@link ExitCode} defines it
 * @param dryRun {@link DryRun#OFF} for a real run; in a dry run, "passed" means planned without error
 */
public record RunResult(
    String playbook, String file, Map<String, Object> params, Optional<String> profile, Instant start,
    Duration duration, List<ScenarioResult> scenarios, Map<String, Object> records, List<Event> events,
    Optional<Diagnostic> error, List<String> revertFailures, int exitCode, DryRun dryRun) {

  /**
   * Copies the collections; a null {@code dryRun} is {@link DryRun#OFF}.
   *
   * @param playbook the playbook's name
   * @param file the playbook's file as it was given
   * @param params the params as bound, secrets masked
   * @param profile the profile it ran with, if any
   * @param start when the run started
   * @param duration how long it took
   * @param scenarios each selected scenario's result, in run order
   * @param records the values the playbook's setup recorded
   * @param events every event of the run, in order
   * @param error a failure outside any scenario (the playbook's setup), if there was one
   * @param revertFailures each fault whose revert failed, in words: they may remain
   * @param exitCode the exit code, as {@link ExitCode} defines it
   * @param dryRun {@link DryRun#OFF} for a real run; in a dry run, "passed" means planned without error
   */
  public RunResult {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    scenarios = List.copyOf(scenarios);
    records = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(records));
    events = List.copyOf(events);
    revertFailures = List.copyOf(revertFailures);
    if (dryRun == null) dryRun = DryRun.OFF;
  }

  /**
   * A real run's result.
   *
   * @param playbook the playbook's name
   * @param file the playbook's file as it was given
   * @param params the params as bound, secrets masked
   * @param profile the profile it ran with, if any
   * @param start when the run started
   * @param duration how long it took
   * @param scenarios each selected scenario's result, in run order
   * @param records the values the playbook's setup recorded
   * @param events every event of the run, in order
   * @param error a failure outside any scenario, if there was one
   * @param revertFailures each fault whose revert failed, in words
   * @param exitCode the exit code
   */
  public RunResult(
      String playbook, String file, Map<String, Object> params, Optional<String> profile, Instant start,
      Duration duration, List<ScenarioResult> scenarios, Map<String, Object> records, List<Event> events,
      Optional<Diagnostic> error, List<String> revertFailures, int exitCode) {
    this(playbook, file, params, profile, start, duration, scenarios, records, events, error, revertFailures, exitCode, DryRun.OFF);
  }

  /** {@return whether this was a dry run}: nothing was injected, started or waited for */
  public boolean isDryRun() {
    return dryRun != DryRun.OFF;
  }

  /** {@return whether every selected scenario passed} (exit code 0) */
  public boolean passed() {
    return exitCode == ExitCode.PASSED;
  }

  /**
   * {@return a scenario's result, or empty when it was not selected}
   *
   * @param id the scenario's id
   */
  public Optional<ScenarioResult> scenario(String id) {
    return scenarios.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * {@return how many scenarios ended with a status}
   *
   * @param status the status
   */
  public long count(Status status) {
    return scenarios.stream().filter(s -> s.status() == status).count();
  }
}
