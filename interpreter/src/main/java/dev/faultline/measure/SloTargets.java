package dev.faultline.measure;

import dev.faultline.host.HostError;
import dev.faultline.value.Percent;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SLO targets a profile sets under {@code slo.}, judged against one scenario's figures. Only
 * the keys below are judged; any other {@code slo.*} entry is the playbook's own value.
 *
 * <pre>
 *   slo.mttr                  mean recovery time           at most    duration
 *   slo.recovery_time         longest recovery             at most    duration
 *   slo.rto                   longest fault-to-restored    at most    duration
 *   slo.rpo                   largest data loss in time    at most    duration
 *   slo.error_rate            traffic errors / completed   at most    percentage
 *   slo.availability          traffic's time slots up      at least   percentage
 *   slo.p50, slo.p95, slo.p99 traffic latency percentile   at most    duration
 *   slo.latency_degradation   p95 after the first fault    at most    duration (increase) or percentage (of the p95 before)
 * </pre>
 * Stateless.
 */
public final class SloTargets {
  /** The judged keys, in the order verdicts are reported. */
  public static final List<String> KEYS = List.of(
      "mttr", "recovery_time", "rto", "rpo", "error_rate", "availability", "p50", "p95", "p99", "latency_degradation");

  private SloTargets() {}

  /** One traffic generator's figures over a scenario: the whole scenario, before its first fault, and after it. */
  public record TrafficWindows(String name, TrafficFigures scenario, Optional<TrafficFigures> before, Optional<TrafficFigures> after) {}

  /**
   * Judges every known key of {@code slo} (the profile's {@code slo} map, or null when the
   * profile has none). Throws {@link HostError} for a target of the wrong kind.
   */
  public static List<SloVerdict> judge(Object slo, List<Recovery> recoveries, List<TrafficWindows> traffic) {
    return judge(slo, recoveries, traffic, List.of());
  }

  /** As {@link #judge(Object, List, List)}, with the scenario's data-loss measurements for {@code slo.rpo}. */
  public static List<SloVerdict> judge(Object slo, List<Recovery> recoveries, List<TrafficWindows> traffic, List<DataLoss> losses) {
    List<SloVerdict> out = new ArrayList<>();
    if (!(slo instanceof Map<?, ?> targets)) return out;
    for (String key : KEYS) {
      if (!targets.containsKey(key)) continue;
      Object target = targets.get(key);
      String name = "slo." + key;
      switch (key) {
        case "mttr" -> out.add(recoveries(name, "mean recovery time", duration(name, target), recoveries,
            rs -> rs.stream().map(Recovery::took).reduce(Duration.ZERO, Duration::plus).dividedBy(rs.size())));
        case "recovery_time" -> out.add(recoveries(name, "longest recovery time", duration(name, target), recoveries,
            rs -> rs.stream().map(Recovery::took).max(Duration::compareTo).orElseThrow()));
        case "rto" -> out.add(recoveries(name, "longest time from fault to recovery", duration(name, target), recoveries,
            rs -> rs.stream().map(Recovery::sinceFault).max(Duration::compareTo).orElseThrow()));
        case "rpo" -> out.add(rpo(name, duration(name, target), losses));
        case "error_rate" -> {
          Percent max = percent(name, target);
          traffic(out, name, "error rate", traffic, t -> {
            Percent v = t.scenario().errorRate();
            return verdict(name, "error rate of " + t.name(), v.toString(), "≤ " + max, v.compareTo(max) <= 0);
          });
        }
        case "availability" -> {
          Percent min = percent(name, target);
          traffic(out, name, "availability", traffic, t -> {
            Percent v = t.scenario().availability();
            return verdict(name, "availability of " + t.name(), v.toString(), "≥ " + min, v.compareTo(min) >= 0);
          });
        }
        case "p50", "p95", "p99" -> {
          Duration max = duration(name, target);
          traffic(out, name, key + " latency", traffic, t -> {
            TrafficFigures f = t.scenario();
            Duration v = key.equals("p50") ? f.p50() : key.equals("p95") ? f.p95() : f.p99();
            return verdict(name, key + " latency of " + t.name(), Values.show(v), "≤ " + Values.show(max), v.compareTo(max) <= 0);
          });
        }
        case "latency_degradation" -> degradation(out, name, target, traffic);
        default -> throw new IllegalStateException("unhandled SLO key " + key);
      }
    }
    return out;
  }

  /**
   * The {@code slo.*} keys that look like a misspelt target ({@code slo.eror_rate}), each with the
   * target it probably means. Rationale: an unjudged typo would silently pass every scenario.
   */
  public static Map<String, String> likelyTypos(Object slo) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (!(slo instanceof Map<?, ?> targets)) return out;
    for (Object k : targets.keySet()) {
      String key = String.valueOf(k);
      if (KEYS.contains(key)) continue;
      dev.faultline.source.Suggest.closest(key, KEYS).ifPresent(s -> out.put("slo." + key, "slo." + s));
    }
    return out;
  }

  private static void degradation(List<SloVerdict> out, String name, Object target, List<TrafficWindows> traffic) {
    if (!(target instanceof Duration) && !(target instanceof Percent)) {
      throw new HostError(name + " must be a duration (the p95 may grow by that much) or a percentage (of the p95 before the"
          + " first fault), got " + Values.typeOf(target) + " (" + Values.showNested(target) + ")");
    }
    boolean judged = false;
    for (TrafficWindows t : traffic) {
      if (t.before().isEmpty() || t.after().isEmpty() || t.before().get().completed() == 0 || t.after().get().isEmpty()) continue;
      judged = true;
      Duration before = t.before().get().p95();
      Duration after = t.after().get().p95();
      Duration growth = after.minus(before);
      String figure = "p95 growth of " + t.name() + " after the first fault (" + Values.show(before) + " before, "
          + Values.show(after) + " after)";
      if (target instanceof Duration max) {
        out.add(verdict(name, figure, Values.show(growth), "≤ " + Values.show(max), growth.compareTo(max) <= 0));
      } else {
        Percent max = (Percent) target;
        double share = before.isZero() ? (growth.isZero() ? 0 : Double.POSITIVE_INFINITY)
            : growth.toNanos() * 100.0 / before.toNanos();
        String shown = Double.isInfinite(share) ? "unbounded" : new Percent(Math.round(share * 10) / 10.0).toString();
        out.add(verdict(name, figure, shown, "≤ " + max, share <= max.points()));
      }
    }
    if (!judged) {
      out.add(new SloVerdict(name, "traffic both before and after the scenario's first fault", "", "", true, false));
    }
  }

  /** The largest loss in time over the scenario's data-loss checks (a writer's check, a restore's verification). */
  private static SloVerdict rpo(String name, Duration max, List<DataLoss> losses) {
    if (losses.isEmpty()) return new SloVerdict(name, "data loss (a writer's check or a restore's verification)", "", "≤ " + Values.show(max), true, false);
    DataLoss worst = losses.stream().max(java.util.Comparator.comparing(DataLoss::rpo)).orElseThrow();
    String figure = "data loss of " + worst.what() + " (" + worst.lost() + " acknowledged write" + (worst.lost() == 1 ? "" : "s") + ")"
        + (losses.size() == 1 ? "" : ", the largest of " + losses.size() + " checks");
    return verdict(name, figure, Values.show(worst.rpo()), "≤ " + Values.show(max), worst.rpo().compareTo(max) <= 0);
  }

  private static SloVerdict recoveries(String name, String figure, Duration max, List<Recovery> recoveries,
      Function<List<Recovery>, Duration> of) {
    if (recoveries.isEmpty()) return new SloVerdict(name, "recovery (an await after a fault)", "", "≤ " + Values.show(max), true, false);
    Duration v = of.apply(recoveries);
    String over = recoveries.size() == 1 ? "" : " over " + recoveries.size() + " recoveries";
    return verdict(name, figure + over, Values.show(v), "≤ " + Values.show(max), v.compareTo(max) <= 0);
  }

  private static void traffic(List<SloVerdict> out, String name, String figure, List<TrafficWindows> traffic,
      Function<TrafficWindows, SloVerdict> judge) {
    boolean any = false;
    for (TrafficWindows t : traffic) {
      if (t.scenario().completed() == 0 && t.scenario().inFlight() == 0) continue;
      any = true;
      out.add(judge.apply(t));
    }
    if (!any) out.add(new SloVerdict(name, "traffic", "", "", true, false));
  }

  private static SloVerdict verdict(String key, String figure, String value, String target, boolean passed) {
    return new SloVerdict(key, figure, value, target, passed, true);
  }

  private static Duration duration(String name, Object target) {
    if (target instanceof Duration d) return d;
    throw new HostError(name + " must be a duration, got " + Values.typeOf(target) + " (" + Values.showNested(target) + ")",
        "write e.g. " + name + " = 30s in the profile");
  }

  private static Percent percent(String name, Object target) {
    if (target instanceof Percent p) return p;
    throw new HostError(name + " must be a percentage, got " + Values.typeOf(target) + " (" + Values.showNested(target) + ")",
        "write e.g. " + name + " = 5% in the profile");
  }
}
