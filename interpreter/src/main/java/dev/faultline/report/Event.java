package dev.faultline.report;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a run's journal: what happened, when, in which scenario and step, where in the
 * playbook, and the figures that go with it. Immutable; {@code data} keeps insertion order.
 *
 * @param offsetNanos monotonic time since the run started, immune to wall-clock jumps
 */
public record Event(
    Instant time, long offsetNanos, EventType type, String scenario, String step, String message,
    String at, Map<String, Object> data) {

  public Event {
    data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }
}
