package dev.faultline.measure;

import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What traffic saw over one window. Immutable.
 *
 * @param requests scheduled in the window: completed plus in flight
 * @param completed answered, failed or timed out
 * @param errors completed requests that failed (unexpected status, no response, not sent)
 * @param inFlight still waiting for an answer; their latency so far is in the percentiles
 * @param late sends that went out more than 1 ms after their scheduled time
 * @param errorRate errors over completed requests (0% when none completed)
 * @param availability the share of the window's time slots (1 s, or one request interval if
 *     longer) in which at least one request succeeded; slots with only requests in flight are left out
 * @param throughput successful responses per second of window
 * @param span the window's length
 */
public record TrafficFigures(
    long requests, long completed, long errors, long inFlight, long late,
    Duration p50, Duration p95, Duration p99, Duration max,
    Percent errorRate, Percent availability, Rate throughput, Duration span) {

  public static final TrafficFigures EMPTY = new TrafficFigures(0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO,
      Duration.ZERO, Duration.ZERO, new Percent(0), new Percent(100), new Rate(0), Duration.ZERO);

  public boolean isEmpty() {
    return requests == 0;
  }

  /** For events and the report: counts, percentages and durations in microseconds. */
  public Map<String, Object> data() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("requests", requests);
    d.put("completed", completed);
    d.put("errors", errors);
    d.put("in_flight", inFlight);
    d.put("late", late);
    d.put("error_rate", errorRate.toString());
    d.put("availability", availability.toString());
    d.put("p50_us", p50.toNanos() / 1000);
    d.put("p95_us", p95.toNanos() / 1000);
    d.put("p99_us", p99.toNanos() / 1000);
    d.put("max_us", max.toNanos() / 1000);
    d.put("throughput", throughput.toString());
    return d;
  }
}
