package dev.faultline.stdlib.steady;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Severity;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of checking a hypothesis against its baseline. Immutable. It holds when no deviation
 * is worse than P4 (P4, "expected behaviour", is reported but does not count against it).
 */
@HostType(name = "validation", doc = "The outcome of hypothesis.validate(): ok, deviations, worst, message, figures.")
public final class Validation implements HostValue {
  private final String hypothesis;
  private final List<Map<String, Object>> deviations;
  private final Map<String, Object> figures;

  Validation(String hypothesis, List<Map<String, Object>> deviations, Map<String, Object> figures) {
    this.hypothesis = hypothesis;
    this.deviations = List.copyOf(deviations);
    this.figures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(figures));
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the steady state holds: no deviation worse than P4.")
  public boolean ok() {
    return deviations.stream().noneMatch(d -> d.get("severity") != Severity.P4);
  }

  @HostFunction(name = "deviations", effect = Effect.PURE, doc = "Each figure out of tolerance, as {figure, value, baseline,"
      + " tolerance, severity, message}.")
  public List<Map<String, Object>> deviations() {
    return deviations;
  }

  @HostFunction(name = "worst", effect = Effect.PURE, doc = "The worst severity among the deviations, or null when there are none.")
  public Severity worst() {
    return deviations.stream().map(d -> (Severity) d.get("severity")).min(Enum::compareTo).orElse(null);
  }

  @HostFunction(name = "message", effect = Effect.PURE, doc = "The deviations in words, separated by '; '; empty when there are none.")
  public String message() {
    return deviations.stream().map(d -> String.valueOf(d.get("message"))).collect(Collectors.joining("; "));
  }

  @HostFunction(name = "figures", effect = Effect.PURE, doc = "The figures this check measured, by name.")
  public Map<String, Object> figures() {
    return figures;
  }

  @Override
  public String show() {
    return "validation of \"" + hypothesis + "\": " + (deviations.isEmpty() ? "held" : message());
  }
}
