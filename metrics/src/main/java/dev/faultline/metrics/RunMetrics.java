package dev.faultline.metrics;

import dev.faultline.report.Event;
import dev.faultline.report.RunListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters for runs, fed by their events: add it as a listener of a run
 * ({@code Faultline.builder().listener(new RunMetrics(registry))} or {@code start(…, metrics)}) and
 * the registry you give it, yours or {@link MetricsEndpoint}'s, holds:
 *
 * <ul>
 *   <li>{@code chaos.scenarios{scenario,result}} counter (Prometheus {@code chaos_scenarios_total});
 *   <li>{@code chaos.scenario_duration_ms{scenario}} distribution with a histogram (Prometheus
 *       {@code chaos_scenario_duration_ms_bucket}, {@code _count}, {@code _sum});
 *   <li>{@code chaos.faults.injected{kind}} counter and {@code chaos.faults.active} gauge;
 *   <li>{@code chaos.faults.revert_failures{kind}} counter;
 *   <li>{@code chaos.guard.breaches{guard}} counter and {@code chaos.limits.exceeded{limit}} counter;
 *   <li>{@code chaos.runs{result}} counter (passed, failed, bad_input, aborted, revert_failed).
 * </ul>
 *
 * <p>With {@link #watch}, also what only the run itself knows: {@code chaos.guard.checks} counter
 * (Prometheus {@code chaos_guard_checks_total}) and, for each background traffic,
 * {@code chaos.traffic.rate}, {@code chaos.traffic.error_rate} (0 to 1), {@code chaos.traffic.availability}
 * (0 to 1) and {@code chaos.traffic.p95_ms}, {@code p99_ms} gauges tagged {@code traffic}, over its last 10 seconds.
 *
 * <p>Thread-safe, as a {@link RunListener} must be; one instance may serve many runs.
 */
public final class RunMetrics implements RunListener {
  /** Rationale: scenario durations from a second to an hour, the range chaos scenarios live in. */
  private static final double[] DURATION_BUCKETS_MS = {1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000};

  private final MeterRegistry registry;
  private final AtomicLong active = new AtomicLong();
  /** The runs given to {@link #watch}; each one's guard checks count until it is dropped for a newer one. */
  private final java.util.List<dev.faultline.run.PlaybookRun> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Guard checks of watched runs that are no longer watched. */
  private final AtomicLong checksBefore = new AtomicLong();
  private final java.util.Set<String> trafficGauges = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Meters registered in {@code registry}: the gauges at once, the counters as events need them.
   *
   * @param registry the application's registry, or a {@link MetricsEndpoint}'s
   */
  public RunMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("chaos.faults.active", active, AtomicLong::get).description("faults in place now").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("chaos.guard.checks", this, RunMetrics::guardChecks)
        .description("guard checks made").register(registry);
  }

  /**
   * Follows a run for the meters only it can give: its guard checks and its background traffic.
   * A process that runs one playbook after another watches each; the counts add up.
   *
   * @param run a run, before or while it executes
   */
  public synchronized void watch(dev.faultline.run.PlaybookRun run) {
    watched.add(run);
    // Rationale: a long-lived process runs many playbooks; the oldest runs are over, so their counts are folded.
    while (watched.size() > KEPT_RUNS) {
      dev.faultline.run.PlaybookRun old = watched.remove(0);
      for (var g : old.guards().guards()) checksBefore.addAndGet(g.checks());
    }
  }

  private static final int KEPT_RUNS = 16;

  private double guardChecks() {
    long sum = checksBefore.get();
    for (dev.faultline.run.PlaybookRun r : watched) {
      for (var g : r.guards().guards()) sum += g.checks();
    }
    return sum;
  }

  /** Gauges for a traffic by name, reading whichever watched run has it (registered once per name). */
  private void trafficStarted(String name) {
    if (!trafficGauges.add(name)) return;
    gauge("chaos.traffic.rate", name, "requests per second it sends", t -> t.rate().perSecond());
    gauge("chaos.traffic.error_rate", name, "share of failed requests over its last 10 s, 0 to 1",
        t -> t.recent(java.time.Duration.ofSeconds(10)).errorRate().fraction());
    gauge("chaos.traffic.availability", name, "share of seconds with a success over its last 10 s, 0 to 1",
        t -> t.recent(java.time.Duration.ofSeconds(10)).availability().fraction());
    gauge("chaos.traffic.p95_ms", name, "95th percentile latency over its last 10 s, in milliseconds",
        t -> t.recent(java.time.Duration.ofSeconds(10)).p95().toNanos() / 1e6);
    gauge("chaos.traffic.p99_ms", name, "99th percentile latency over its last 10 s, in milliseconds",
        t -> t.recent(java.time.Duration.ofSeconds(10)).p99().toNanos() / 1e6);
  }

  private void gauge(String meter, String traffic, String description,
      java.util.function.ToDoubleFunction<dev.faultline.measure.LiveTraffic> read) {
    Gauge.builder(meter, this, m -> m.traffic(traffic).map(read::applyAsDouble).orElse(Double.NaN))
        .description(description).tag("traffic", traffic).register(registry);
  }

  private java.util.Optional<dev.faultline.measure.LiveTraffic> traffic(String name) {
    for (int i = watched.size() - 1; i >= 0; i--) {
      for (var t : watched.get(i).measurements().allTraffic()) if (t.name().equals(name)) return java.util.Optional.of(t);
    }
    return java.util.Optional.empty();
  }

  /** {@return the registry the meters are in} */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void on(Event e) {
    try {
      switch (e.type()) {
        case SCENARIO_ENDED -> {
          String scenario = e.scenario() == null ? "" : e.scenario();
          String result = String.valueOf(e.data().getOrDefault("status", "unknown"));
          Counter.builder("chaos.scenarios").description("scenarios run, by result").tag("scenario", scenario).tag("result", result)
              .register(registry).increment();
          if (e.data().get("duration_ms") instanceof Number ms && !"skipped".equals(result)) {
            DistributionSummary.builder("chaos.scenario_duration_ms").description("how long scenarios took, in milliseconds")
                .tag("scenario", scenario).serviceLevelObjectives(DURATION_BUCKETS_MS).register(registry).record(ms.doubleValue());
          }
        }
        case FAULT_INJECTED -> {
          active.incrementAndGet();
          Counter.builder("chaos.faults.injected").description("faults injected, by kind").tag("kind", kind(e)).register(registry).increment();
        }
        case FAULT_REVERTED -> active.updateAndGet(n -> Math.max(0, n - 1));
        case TRAFFIC_STARTED -> trafficStarted(String.valueOf(e.data().getOrDefault("name", "")));
        case REVERT_FAILED -> Counter.builder("chaos.faults.revert_failures").description("reverts that failed, by kind")
            .tag("kind", kind(e)).register(registry).increment();
        case GUARD_BREACHED -> Counter.builder("chaos.guard.breaches").description("guard breaches, by guard")
            .tag("guard", String.valueOf(e.data().getOrDefault("name", ""))).register(registry).increment();
        case LIMIT_EXCEEDED -> Counter.builder("chaos.limits.exceeded").description("limits exceeded, by limit")
            .tag("limit", String.valueOf(e.data().getOrDefault("name", ""))).register(registry).increment();
        case RUN_ENDED -> Counter.builder("chaos.runs").description("runs, by result (the exit code's meaning)")
            .tag("result", runResult(e.data().get("exit_code"))).register(registry).increment();
        default -> { }
      }
    } catch (RuntimeException ignored) {
      // Rationale: a listener must not throw into the run; a meter that cannot register is lost, not the run.
    }
  }

  private static String runResult(Object exitCode) {
    if (!(exitCode instanceof Number n)) return "unknown";
    return switch (n.intValue()) {
      case 0 -> "passed";
      case 1 -> "failed";
      case 2 -> "bad_input";
      case 3 -> "aborted";
      case 4 -> "revert_failed";
      default -> "exit_" + n.intValue();
    };
  }

  private static String kind(Event e) {
    return String.valueOf(e.data().getOrDefault("kind", "unknown"));
  }
}
