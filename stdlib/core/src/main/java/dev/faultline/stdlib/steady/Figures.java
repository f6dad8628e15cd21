package dev.faultline.stdlib.steady;

import dev.faultline.host.HostError;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hypothesis' figures: what its check returns, flattened to named values ({@code health.latency},
 * {@code items}), and the arithmetic to take their median and compare them. Stateless.
 *
 * <p>A check may return a number, a quantity (duration, percentage, rate, size), a boolean, a
 * string, a probe result (any value with a {@code latency} member: it gives {@code name.ok} and
 * {@code name.latency}) or a map of these, nested.
 */
final class Figures {
  private Figures() {}

  /** The named figures of one sample, in the order the check gave them. */
  static Map<String, Object> flatten(String hypothesis, Object sample) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten(hypothesis, "", sample, out);
    if (out.isEmpty()) throw new HostError("hypothesis \"" + hypothesis + "\": its check returned no figures", "return a map such as {latency: r.latency}");
    return out;
  }

  private static void flatten(String hypothesis, String prefix, Object v, Map<String, Object> out) {
    String name = prefix.isEmpty() ? "value" : prefix;
    if (v instanceof Map<?, ?> map) {
      map.forEach((k, item) -> flatten(hypothesis, prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, item, out));
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Double || v instanceof Duration || v instanceof Percent
        || v instanceof Rate || v instanceof ByteSize || v instanceof String) {
      out.put(name, v);
    } else if (v instanceof HostValue hv && member(hv, "latency") instanceof Duration latency) {
      if (member(hv, "ok") instanceof Boolean ok) out.put(name + ".ok", ok);
      out.put(name + ".latency", latency);
    } else {
      throw new HostError("hypothesis \"" + hypothesis + "\": figure '" + name + "' is " + Values.typeOf(v) + ", which cannot be compared",
          "return numbers, quantities, booleans, strings or probe results");
    }
  }

  private static Object member(HostValue v, String name) {
    return dev.faultline.stdlib.probe.Members.read(v, name).orElse(null);
  }

  /** Whether a figure has a magnitude (it is compared with a tolerance) rather than a value that must stay equal. */
  static boolean isQuantity(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Duration || v instanceof Percent || v instanceof Rate || v instanceof ByteSize;
  }

  static double magnitude(Object v) {
    if (v instanceof Long l) return l;
    if (v instanceof Double d) return d;
    if (v instanceof Duration d) return d.toNanos();
    if (v instanceof Percent p) return p.points();
    if (v instanceof Rate r) return r.perSecond();
    if (v instanceof ByteSize b) return b.bytes();
    throw new IllegalStateException("not a quantity: " + v);
  }

  /** A magnitude back as a value of {@code like}'s kind. */
  static Object of(double magnitude, Object like) {
    if (like instanceof Long || like instanceof Double) return magnitude == Math.rint(magnitude) && Math.abs(magnitude) < 9e15 ? (Object) (long) magnitude : (Object) magnitude;
    if (like instanceof Duration) return Duration.ofNanos(Math.round(magnitude));
    if (like instanceof Percent) return new Percent(magnitude);
    if (like instanceof Rate) return new Rate(magnitude);
    if (like instanceof ByteSize) return new ByteSize(Math.round(magnitude));
    throw new IllegalStateException("not a quantity: " + like);
  }

  /** The kind of a value, for matching a tolerance to a figure: "number", "duration", … */
  static String kind(Object v) {
    return v instanceof Long || v instanceof Double ? "number" : Values.typeOf(v);
  }

  /** The median of one figure over several samples: the middle one, or the mean of the two middle ones. */
  static Object median(List<Object> values) {
    List<Object> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.comparingDouble(Figures::magnitude));
    int n = sorted.size();
    double m = n % 2 == 1 ? magnitude(sorted.get(n / 2)) : (magnitude(sorted.get(n / 2 - 1)) + magnitude(sorted.get(n / 2))) / 2;
    return of(m, sorted.get(0));
  }
}
