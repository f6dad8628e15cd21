package dev.faultline.measure;

import dev.faultline.report.EventType;
import dev.faultline.source.Position;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a run measures besides its own statements: probe samples, traffic generators, recoveries,
 * steady-state hypotheses, and the SLO verdicts at the end of each scenario. One per run; host
 * functions reach it through {@code CallContext.measurements()}, the run tells it where scenarios
 * and faults begin and end.
 *
 * <p>For the REPL: {@link #liveTraffic()} lists the traffic generators that are sending now; each
 * gives its name, rate, error rate and p95 over a recent window ({@link LiveTraffic#recent}).
 *
 * <p>Threading: thread-safe. Traffic registers from the evaluating thread and ends from its own;
 * probes may report from any thread; scenario boundaries and steady-state checks run on the
 * evaluating thread.
 */
public final class Measurements {
  /** Where events go: the run's journal. */
  @FunctionalInterface
  public interface Sink {
    void emit(EventType type, String message, Position at, Map<String, Object> data);
  }

  /** How far back the figures in a traffic.stopped event's live part look. */
  private static final Duration LIVE_WINDOW = Duration.ofSeconds(10);

  private final Sink sink;
  private final List<LiveTraffic> running = new CopyOnWriteArrayList<>();
  private final List<LiveTraffic> seen = new CopyOnWriteArrayList<>();
  private final List<SteadyState> playbookSteady = new CopyOnWriteArrayList<>();
  /** Misspelt SLO keys already pointed out, so each is said once per run. */
  private final java.util.Set<String> warnedTypos = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The running scenario, or null in the setup. */
  private volatile ScenarioWindow scenario;

  /** The measurements of one scenario. */
  private static final class ScenarioWindow {
    final String id;
    final long startNanos = System.nanoTime();
    volatile long firstFaultNanos = -1;
    volatile long lastFaultNanos = -1;
    final List<Recovery> recoveries = new CopyOnWriteArrayList<>();
    final List<DataLoss> losses = new CopyOnWriteArrayList<>();
    final List<SteadyState> steady = new CopyOnWriteArrayList<>();

    ScenarioWindow(String id) {
      this.id = id;
    }
  }

  public Measurements(Sink sink) {
    this.sink = sink;
  }

  /** For code that runs outside a playbook run (tests, tools, a guard's condition): nothing is reported. */
  public static Measurements detached() {
    return new Measurements((type, message, at, data) -> { });
  }

  // ------------------------------------------------------------ traffic

  /** The traffic generators sending now, oldest first. */
  public List<LiveTraffic> liveTraffic() {
    return List.copyOf(running);
  }

  /** Every traffic generator this run started, running or not. */
  /** The status segment of the traffic sending now ({@link LiveTraffic#status()} joined), or null when none sends. */
  public String liveTrafficStatus() {
    List<LiveTraffic> live = liveTraffic();
    return live.isEmpty() ? null : String.join(" · ", live.stream().map(LiveTraffic::status).toList());
  }

  public List<LiveTraffic> allTraffic() {
    return List.copyOf(seen);
  }

  public void trafficStarted(LiveTraffic t, String description, Position at) {
    seen.add(t);
    running.add(t);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", t.name());
    data.put("rate", t.rate().toString());
    sink.emit(EventType.TRAFFIC_STARTED, "traffic \"" + t.name() + "\": " + description, at, data);
  }

  public void trafficStopped(LiveTraffic t) {
    if (!running.remove(t)) return;
    TrafficFigures all = t.between(t.startedNanos(), System.nanoTime());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", t.name());
    data.putAll(all.data());
    sink.emit(EventType.TRAFFIC_STOPPED, "traffic \"" + t.name() + "\": " + all.requests() + " requests, "
        + all.errors() + " errors (" + all.errorRate() + "), p95 " + Values.show(all.p95()) + ", p99 "
        + Values.show(all.p99()) + ", max " + Values.show(all.max()), null, data);
  }

  // ------------------------------------------------------------ probes

  /**
   * One probe sample for the report: which probe, whether it succeeded, how long it took and a
   * detail (a status, an exit code, why it failed).
   */
  public void probed(String probe, boolean ok, Duration latency, String detail, Position at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("probe", probe);
    data.put("ok", ok);
    data.put("latency_us", latency.toNanos() / 1000);
    data.put("detail", detail);
    sink.emit(EventType.PROBE, probe + (ok ? " ok" : " failed") + (detail.isEmpty() ? "" : ": " + detail), at, data);
  }

  /** A steady-state check's outcome, for the report. */
  public void steadyStateChecked(String name, String when, boolean held, List<Map<String, Object>> deviations) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("when", when);
    data.put("held", held);
    data.put("deviations", deviations);
    sink.emit(EventType.STEADY_STATE, "steady state \"" + name + "\" " + (held ? "held" : "deviated") + " " + when, null, data);
  }

  // ------------------------------------------------------------ steady state

  /**
   * Declares a steady state: in a scenario it is checked again after that scenario's rollback; in
   * the setup, before the faults and after the rollback of every scenario. The caller checks it
   * once when it is declared.
   */
  public void steadyState(SteadyState s) {
    ScenarioWindow w = scenario;
    if (w == null) playbookSteady.add(s);
    else w.steady.add(s);
  }

  // ------------------------------------------------------------ the run's side

  /**
   * A fault is in place (its injection has returned; from any thread). Rationale: time from fault
   * counts from here, not from before the fault journal's write, which on a run's first fault
   * includes starting the watchdog and would be charged to the system as recovery time.
   */
  public void faultInjected() {
    ScenarioWindow w = scenario;
    if (w == null) return;
    long now = System.nanoTime();
    if (w.firstFaultNanos < 0) w.firstFaultNanos = now;
    w.lastFaultNanos = now;
  }

  /**
   * An {@code await} succeeded: it is a recovery when its scenario injected a fault before it began.
   * Rationale: awaiting before any fault waits for the system to be ready, which is not a recovery.
   */
  public void awaited(Position at, String condition, long startNanos, long endNanos) {
    ScenarioWindow w = scenario;
    if (w == null || w.firstFaultNanos < 0 || w.firstFaultNanos > startNanos) return;
    long fault = w.lastFaultNanos <= startNanos ? w.lastFaultNanos : w.firstFaultNanos;
    Recovery r = new Recovery(condition, Duration.ofNanos(endNanos - startNanos), Duration.ofNanos(endNanos - fault));
    w.recoveries.add(r);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("condition", condition);
    data.put("recovery_ms", r.took().toNanos() / 1e6);
    data.put("since_fault_ms", r.sinceFault().toNanos() / 1e6);
    sink.emit(EventType.RECOVERY, "recovered: " + condition, at, data);
  }

  /**
   * A data-loss check compared a writer's acknowledgements with a database (after a failover, in a
   * restored copy): reported, and judged against {@code slo.rpo} at the scenario's end.
   */
  public void dataLoss(DataLoss loss, Position at) {
    ScenarioWindow w = scenario;
    if (w != null) w.losses.add(loss);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("what", loss.what());
    data.put("lost", loss.lost());
    data.put("rpo_ms", loss.rpo().toNanos() / 1e6);
    sink.emit(EventType.DATA_LOSS, "data loss of " + loss.what() + ": " + loss.lost() + " acknowledged writes, RPO "
        + Values.show(loss.rpo()), at, data);
  }

  /** The recoveries of the running scenario so far. */
  public List<Recovery> recoveries() {
    ScenarioWindow w = scenario;
    return w == null ? List.of() : List.copyOf(w.recoveries);
  }

  /**
   * A scenario starts. Checks the playbook's steady states; returns why one does not hold (the
   * scenario then fails before it injects anything), or empty.
   */
  public Optional<String> scenarioStarted(String id) {
    scenario = new ScenarioWindow(id);
    for (SteadyState s : playbookSteady) {
      Optional<String> deviation = s.check("before the faults of scenario \"" + id + "\"");
      if (deviation.isPresent()) return Optional.of("steady state \"" + s.name() + "\" did not hold before the faults: " + deviation.get());
    }
    return Optional.empty();
  }

  /**
   * The scenario has ended and its scope has unwound (faults reverted, rollback blocks run,
   * resources closed). Checks its steady states again, then judges the SLO targets in {@code slo}
   * (the profile's {@code slo} map, or null). Returns the failures in one message, or empty.
   * {@code judge} is false when the scenario was aborted: nothing is checked then.
   */
  public Optional<String> scenarioEnded(Object slo, boolean judge) {
    ScenarioWindow w = scenario;
    scenario = null;
    if (w == null || !judge) return Optional.empty();
    List<String> failures = new ArrayList<>();
    List<SteadyState> checks = new ArrayList<>(playbookSteady);
    checks.addAll(w.steady);
    for (SteadyState s : checks) {
      s.check("after the rollback of scenario \"" + w.id + "\"")
          .ifPresent(d -> failures.add("steady state \"" + s.name() + "\" did not hold after the rollback: " + d));
    }
    long end = System.nanoTime();
    List<SloTargets.TrafficWindows> windows = new ArrayList<>();
    for (LiveTraffic t : seen) {
      long from = Math.max(w.startNanos, t.startedNanos());
      if (from > end) continue;
      TrafficFigures whole = t.between(from, end);
      Optional<TrafficFigures> before = Optional.empty();
      Optional<TrafficFigures> after = Optional.empty();
      if (w.firstFaultNanos >= 0) {
        // Rationale: from the scenario's start, so that an earlier scenario's faults never count as the baseline.
        if (from < w.firstFaultNanos) before = Optional.of(t.between(from, w.firstFaultNanos - 1));
        after = Optional.of(t.between(Math.max(w.firstFaultNanos, t.startedNanos()), end));
      }
      windows.add(new SloTargets.TrafficWindows("traffic \"" + t.name() + "\"", whole, before, after));
    }
    SloTargets.likelyTypos(slo).forEach((typo, meant) -> {
      if (warnedTypos.add(typo)) {
        sink.emit(EventType.LOG, typo + " is not an SLO target the run judges; did you mean " + meant + "?", null, Map.of());
      }
    });
    List<SloVerdict> verdicts;
    try {
      verdicts = SloTargets.judge(slo, w.recoveries, windows, w.losses);
    } catch (dev.faultline.host.HostError e) {
      failures.add(e.getMessage());
      return Optional.of(String.join("; ", failures));
    }
    for (SloVerdict v : verdicts) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("key", v.key());
      data.put("figure", v.figure());
      data.put("value", v.value());
      data.put("target", v.target());
      data.put("measured", v.measured());
      data.put("passed", v.passed());
      sink.emit(EventType.SLO, v.message(), null, data);
      if (!v.passed()) failures.add(v.message());
    }
    return failures.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failures));
  }
}
