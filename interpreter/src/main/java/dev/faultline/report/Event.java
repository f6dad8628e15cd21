package dev.faultline.report;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a run's journal: what happened, when, in which scenario and step, where in the
 * playbook, and the figures that go with it. Immutable; {@code data} keeps insertion order.
 *
 * @param time when it happened, on the wall clock
 * @param offsetNanos monotonic time since the run started, immune to wall-clock jumps
 * @param type what kind of event it is
 * @param scenario the scenario it happened in; null outside any scenario
 * @param step the step it happened in; null outside any step
 * @param message what happened, in words; secrets masked
 * @param at where in the playbook ({@code file:line:col}); null when no statement caused it
 * @param data the figures that go with it, by name, as {@code report.json} writes them (docs/report-json.md)
 */
public record Event(
    Instant time, long offsetNanos, EventType type, String scenario, String step, String message,
    String at, Map<String, Object> data) {

  /**
   * Copies {@code data}, keeping its order; null becomes empty.
   *
   * @param time when it happened, on the wall clock
   * @param offsetNanos monotonic time since the run started, immune to wall-clock jumps
   * @param type what kind of event it is
   * @param scenario the scenario it happened in; null outside any scenario
   * @param step the step it happened in; null outside any step
   * @param message what happened, in words; secrets masked
   * @param at where in the playbook ({@code file:line:col}); null when no statement caused it
   * @param data the figures that go with it, by name, as {@code report.json} writes them (docs/report-json.md)
   */
  public Event {
    data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }
}
