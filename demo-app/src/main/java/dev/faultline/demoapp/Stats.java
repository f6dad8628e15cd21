package dev.faultline.demoapp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * The counters {@code GET /stats} shows, for a playbook to judge a run by: API requests by status and
 * their latency, cache outcomes, database outcomes, breaker transitions and upload retries with the
 * delays used. Thread-safe; {@link #reset()} starts a new measurement (a baseline, then the chaos).
 */
final class Stats {
  /** How many breaker transitions and retry delays are kept; older ones are dropped, their counts stay. */
  private static final int KEPT = 200;

  private final long started = System.currentTimeMillis();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> transitions = new ArrayList<>();
  private final List<Long> retryDelays = new ArrayList<>();
  /** Microseconds, up to one hour. */
  private volatile Recorder latency = new Recorder(3_600_000_000L, 3);
  private Histogram total = new Histogram(3_600_000_000L, 3);

  void count(String name) {
    counters.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  long get(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /** One answered API request. */
  void request(int status, long micros) {
    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
    latency.recordValue(Math.max(0, Math.min(micros, 3_600_000_000L)));
  }

  void transition(String breaker, String from, String to) {
    count(breaker + ".transitions");
    synchronized (transitions) {
      if (transitions.size() == KEPT) transitions.remove(0);
      transitions.add(Map.of("breaker", breaker, "from", from, "to", to, "at", Instant.now().toString()));
    }
  }

  List<Map<String, Object>> transitions(String breaker) {
    synchronized (transitions) {
      return transitions.stream().filter(t -> t.get("breaker").equals(breaker))
          .map(t -> Map.<String, Object>of("from", t.get("from"), "to", t.get("to"), "at", t.get("at"))).toList();
    }
  }

  void retryDelay(long millis) {
    synchronized (retryDelays) {
      if (retryDelays.size() == KEPT) retryDelays.remove(0);
      retryDelays.add(millis);
    }
  }

  List<Long> retryDelays() {
    synchronized (retryDelays) {
      return List.copyOf(retryDelays);
    }
  }

  long uptimeMillis() {
    return System.currentTimeMillis() - started;
  }

  /** Requests by status code ("200": 17), the total and the 5xx among them. */
  Map<String, Object> requests() {
    Map<String, Long> byStatus = new TreeMap<>();
    long all = 0;
    long server = 0;
    for (Map.Entry<Integer, LongAdder> e : statuses.entrySet()) {
      long n = e.getValue().sum();
      byStatus.put(Integer.toString(e.getKey()), n);
      all += n;
      if (e.getKey() >= 500) server += n;
    }
    Histogram h;
    synchronized (this) {
      total.add(latency.getIntervalHistogram());
      h = total.copy();
    }
    Map<String, Object> ms = new TreeMap<>();
    ms.put("p50", h.getValueAtPercentile(50) / 1000.0);
    ms.put("p95", h.getValueAtPercentile(95) / 1000.0);
    ms.put("p99", h.getValueAtPercentile(99) / 1000.0);
    ms.put("max", h.getMaxValue() / 1000.0);
    ms.put("mean", h.getTotalCount() == 0 ? 0.0 : h.getMean() / 1000.0);
    Map<String, Object> out = new TreeMap<>();
    out.put("total", all);
    out.put("server_errors", server);
    out.put("by_status", byStatus);
    out.put("latency_ms", ms);
    return out;
  }

  /** Zeroes every counter, the latencies, the kept transitions and delays; breaker states are not touched. */
  synchronized void reset() {
    counters.values().forEach(LongAdder::reset);
    statuses.values().forEach(LongAdder::reset);
    latency.reset();
    total = new Histogram(3_600_000_000L, 3);
    synchronized (transitions) {
      transitions.clear();
    }
    synchronized (retryDelays) {
      retryDelays.clear();
    }
  }
}
