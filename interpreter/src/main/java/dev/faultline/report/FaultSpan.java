package dev.faultline.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fault of a run from its injection to its end, paired from the run's events by fault id:
 * what the reports draw and list. {@code end} is the revert (or its failure), null when the run's
 * events hold neither. Immutable.
 */
record FaultSpan(Event injected, Event end) {
  /** Whether the fault was reverted (not failed, not still in place). */
  boolean reverted() {
    return end != null && end.type() == EventType.FAULT_REVERTED;
  }

  /** Every fault of {@code events}, in the order they were injected. */
  static List<FaultSpan> of(List<Event> events) {
    Map<Object, Event[]> byId = new LinkedHashMap<>();
    for (Event e : events) {
      if (e.type() == EventType.FAULT_INJECTED) {
        byId.put(e.data().get("id"), new Event[] {e, null});
      } else if (e.type() == EventType.FAULT_REVERTED || e.type() == EventType.REVERT_FAILED) {
        Event[] pair = byId.get(e.data().get("id"));
        if (pair != null) pair[1] = e;
      }
    }
    List<FaultSpan> spans = new ArrayList<>();
    for (Event[] p : byId.values()) spans.add(new FaultSpan(p[0], p[1]));
    return spans;
  }
}
