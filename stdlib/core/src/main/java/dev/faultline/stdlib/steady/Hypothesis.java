package dev.faultline.stdlib.steady;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.measure.SteadyState;
import dev.faultline.source.PlaybookError;
import dev.faultline.value.Function;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A steady-state hypothesis: a check (a function returning figures), the baseline it gave over N
 * samples, and the tolerance and severity of each figure. {@link #validate} samples again and
 * compares; as a {@link SteadyState} the run checks it around scenarios ({@code steady_state()}).
 *
 * <p>Rules: a quantity (number, duration, percentage, rate, size) may move by its tolerance, a
 * percentage being relative to the baseline ({@code 50%}: half the baseline either way) and any
 * other quantity absolute ({@code 100ms}: that much either way); booleans and strings must stay
 * equal. The baseline of a quantity is its median over the samples; a boolean or string that
 * changed while the baseline was taken means the system was not steady, an error.
 *
 * <p>Threading: sampled on the evaluating thread only (its check may be a playbook {@code fn}).
 */
@HostType(name = "hypothesis", doc = "A steady-state hypothesis with its baseline: validate() compares the system with it.")
public final class Hypothesis implements HostValue, SteadyState {
  static final Percent DEFAULT_TOLERANCE = new Percent(50);

  private final String name;
  private final Function check;
  private final Object tolerance;
  private final Object severity;
  private final CallContext ctx;
  private final Map<String, Object> baseline;

  Hypothesis(String name, Function check, long samples, Duration every, Object tolerance, Object severity, CallContext ctx) {
    this.name = name;
    this.check = check;
    this.tolerance = tolerance;
    this.severity = severity;
    this.ctx = ctx;
    this.baseline = Collections.unmodifiableMap(take(samples, every, true));
    for (var e : baseline.entrySet()) {
      if (Figures.isQuantity(e.getValue())) toleranceOf(e.getKey(), e.getValue()); // a tolerance of the wrong kind fails now
      severityOf(e.getKey());
    }
  }

  /** N samples of the check; quantities by their median, other figures must agree. */
  private Map<String, Object> take(long samples, Duration every, boolean forBaseline) {
    List<Map<String, Object>> all = new ArrayList<>();
    for (long i = 0; i < samples; i++) {
      if (i > 0) ctx.sleep(every);
      all.add(Figures.flatten(name, check.call(List.of(), Map.of(), ctx)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String figure : all.get(0).keySet()) {
      List<Object> values = new ArrayList<>();
      for (Map<String, Object> s : all) {
        if (!s.containsKey(figure)) {
          throw new HostError("hypothesis \"" + name + "\": figure '" + figure + "' is missing from some samples", "return the same figures every time");
        }
        values.add(s.get(figure));
      }
      Object first = values.get(0);
      if (Figures.isQuantity(first)) {
        for (Object v : values) {
          if (!Figures.kind(v).equals(Figures.kind(first))) {
            throw new HostError("hypothesis \"" + name + "\": figure '" + figure + "' was " + Figures.kind(first) + " and " + Figures.kind(v));
          }
        }
        out.put(figure, Figures.median(values));
      } else {
        long same = values.stream().filter(v -> Values.equal(v, first)).count();
        if (same != values.size() && forBaseline) {
          throw new HostError("hypothesis \"" + name + "\": the system was not steady while the baseline was taken: '" + figure + "' was "
              + Values.showNested(first) + " in " + same + " of " + values.size() + " samples",
              "wait until it is steady, or leave this figure out of the check");
        }
        out.put(figure, values.get(values.size() - 1));
      }
    }
    return out;
  }

  private Object toleranceOf(String figure, Object value) {
    Object t = lookup(tolerance, figure);
    if (t == null) t = DEFAULT_TOLERANCE;
    if (t instanceof Percent) return t;
    if (!Figures.isQuantity(t) || !Figures.kind(t).equals(Figures.kind(value))) {
      throw new HostError("hypothesis \"" + name + "\": the tolerance of '" + figure + "' is " + Values.showNested(t) + ", but the figure is a "
          + Figures.kind(value) + " (" + Values.showNested(value) + ")", "give a " + Figures.kind(value) + ", or a percentage of the baseline");
    }
    return t;
  }

  private Severity severityOf(String figure) {
    Object s = lookup(severity, figure);
    if (s == null) return Severity.P3;
    if (s instanceof Severity sev) return sev;
    throw new HostError("hypothesis \"" + name + "\": the severity of '" + figure + "' must be P1 to P4, got " + Values.showNested(s));
  }

  /** A setting for one figure: the value itself, or from a map by the figure's full name, its last part, or "default". */
  private static Object lookup(Object setting, String figure) {
    if (!(setting instanceof Map<?, ?> map)) return setting;
    if (map.containsKey(figure)) return map.get(figure);
    String last = figure.substring(figure.lastIndexOf('.') + 1);
    if (map.containsKey(last)) return map.get(last);
    return map.get("default");
  }

  /** Samples now and compares with the baseline, reporting the check as {@code when}. */
  Validation validate(long samples, Duration every, String when) {
    Map<String, Object> now = take(samples, every, false);
    List<Map<String, Object>> deviations = new ArrayList<>();
    for (var e : baseline.entrySet()) {
      String figure = e.getKey();
      Object base = e.getValue();
      Object value = now.get(figure);
      Severity sev = severityOf(figure);
      if (value == null) {
        deviations.add(deviation(figure, null, base, "", sev, "'" + figure + "' is no longer measured"));
        continue;
      }
      if (Figures.isQuantity(base)) {
        Object t = toleranceOf(figure, base);
        double allowed = t instanceof Percent p ? p.fraction() * Math.abs(Figures.magnitude(base)) : Figures.magnitude(t);
        double diff = Math.abs(Figures.magnitude(value) - Figures.magnitude(base));
        if (diff > allowed) {
          String tol = t instanceof Percent ? Values.show(t) + " of it" : "± " + Values.show(t);
          deviations.add(deviation(figure, value, base, Values.show(t), sev, figure + " was " + Values.showNested(value) + "; baseline "
              + Values.showNested(base) + ", allowed " + tol + " (" + sev + ")"));
        }
      } else if (!Values.equal(value, base)) {
        deviations.add(deviation(figure, value, base, "", sev, figure + " was " + Values.showNested(value) + "; baseline "
            + Values.showNested(base) + " (" + sev + ")"));
      }
    }
    Validation v = new Validation(name, deviations, now);
    List<Map<String, Object>> shown = new ArrayList<>();
    for (Map<String, Object> d : deviations) {
      Map<String, Object> s = new LinkedHashMap<>();
      d.forEach((k, x) -> s.put(k, x == null ? null : Values.showNested(x)));
      shown.add(s);
    }
    ctx.measurements().steadyStateChecked(name, when, v.ok(), shown);
    return v;
  }

  private static Map<String, Object> deviation(String figure, Object value, Object base, String tolerance, Severity sev, String message) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("figure", figure);
    d.put("value", value);
    d.put("baseline", base);
    d.put("tolerance", tolerance);
    d.put("severity", sev);
    d.put("message", message);
    return d;
  }

  // ------------------------------------------------------------ SteadyState

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<String> check(String when) {
    try {
      Validation v = validate(1, Duration.ZERO, when);
      return v.ok() ? Optional.empty() : Optional.of(v.message());
    } catch (HostError e) {
      return Optional.of("could not check it: " + e.getMessage());
    } catch (PlaybookError e) {
      return Optional.of("could not check it: " + e.first().message());
    }
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The hypothesis' name.")
  public String nameMember() {
    return name;
  }

  @HostFunction(name = "baseline", effect = Effect.PURE, doc = "The baseline, figure name to value: quantities are medians over the samples.")
  public Map<String, Object> baseline() {
    return baseline;
  }

  @HostFunction(name = "validate", effect = Effect.PROBE, doc = "Samples the check again (the median of `samples` samples for"
      + " quantities) and compares every figure with the baseline; returns a validation and reports it. It does not fail the"
      + " step: write `expect v.ok, v.message`.")
  public Validation validateMember(
      @Arg(name = "samples", doc = "how many samples to take", byDefault = "1") long samples,
      @Arg(name = "every", doc = "the pause between samples", byDefault = "100ms") Duration every) {
    SteadyLibrary.requireSamples("validate", samples, every);
    return validate(samples, every, "when validated");
  }

  @Override
  public String show() {
    StringBuilder b = new StringBuilder("hypothesis \"" + name + "\" with baseline ");
    b.append(Values.showNested(baseline));
    return b.toString();
  }
}
