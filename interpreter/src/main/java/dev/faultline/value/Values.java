package dev.faultline.value;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The playbook's view of runtime values: their type words, how they print, truth and equality.
 *
 * <p>Runtime values are plain Java objects: {@code Long} and {@code Double} numbers, {@code String},
 * {@code Boolean}, {@code null}, {@link Duration}, {@link Percent}, {@link ByteSize}, {@link Rate},
 * {@link Severity}, {@code List<Object>}, {@code Map<String, Object>} (insertion-ordered), functions
 * and {@link HostValue}s. Stateless.
 */
public final class Values {
  private Values() {}

  /**
   * {@return the playbook's word for a value's type, with an article}: "a duration", "a number"
   *
   * @param v a playbook value, or null
   */
  public static String typeOf(Object v) {
    if (v == null) return "null";
    if (v instanceof Long || v instanceof Integer) return "a number";
    if (v instanceof Double) return "a number";
    if (v instanceof String) return "a string";
    if (v instanceof Boolean) return "a boolean";
    if (v instanceof Duration) return "a duration";
    if (v instanceof Percent) return "a percentage";
    if (v instanceof ByteSize) return "a size";
    if (v instanceof Rate) return "a rate";
    if (v instanceof Severity) return "a severity";
    if (v instanceof List) return "a list";
    if (v instanceof Map) return "a map";
    if (v instanceof Function) return "a function";
    if (v instanceof HostValue h) return "a " + hostTypeName(h.getClass());
    return "a " + v.getClass().getSimpleName();
  }

  /**
   * {@return the {@code @HostType} name of a host class, or its simple name}
   *
   * @param c a class
   */
  public static String hostTypeName(Class<?> c) {
    var ann = c.getAnnotation(dev.faultline.host.HostType.class);
    return ann != null ? ann.name() : c.getSimpleName();
  }

  /**
   * {@return whether a value is a playbook number} (an int or a number, without unit)
   *
   * @param v a playbook value
   */
  public static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Integer;
  }

  /**
   * {@return whether a value counts as true in a condition}: only {@code true} does, so that a typo cannot read as false
   *
   * @param v a playbook value
   */
  public static boolean isTrue(Object v) {
    return Boolean.TRUE.equals(v);
  }

  /**
   * {@return how a value prints}: units kept ({@code 2.5s}, {@code 30%}), strings bare at top level
   *
   * @param v a playbook value, or null
   */
  public static String show(Object v) {
    return show(v, false);
  }

  /**
   * {@return how a value prints inside lists and maps}: like {@link #show}, with strings quoted
   *
   * @param v a playbook value, or null
   */
  public static String showNested(Object v) {
    return show(v, true);
  }

  private static String show(Object v, boolean nested) {
    if (v == null) return "null";
    if (v instanceof String s) return nested ? quote(s) : s;
    if (v instanceof Double d) return decimal(d);
    if (v instanceof Duration d) return duration(d);
    if (v instanceof List<?> list) {
      StringBuilder b = new StringBuilder("[");
      for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
        b.append(show(it.next(), true));
        if (it.hasNext()) b.append(", ");
      }
      return b.append(']').toString();
    }
    if (v instanceof Map<?, ?> map) {
      StringBuilder b = new StringBuilder("{");
      boolean first = true;
      for (var e : map.entrySet()) {
        if (!first) b.append(", ");
        first = false;
        b.append(e.getKey()).append(": ").append(show(e.getValue(), true));
      }
      return b.append('}').toString();
    }
    if (v instanceof HostValue h) return h.show();
    return v.toString();
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  /**
   * {@return a double without a trailing {@code .0} and without exponent noise}: 2.5, 3, 0.001
   *
   * @param d the number
   */
  public static String decimal(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return Double.toString(d);
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    return b.toPlainString();
  }

  /**
   * A duration in the largest unit that keeps it readable: 250us, 1.5ms, 2.5s, 5m, 1h30m is shown
   * as 90m. Rationale: the playbook's own units round-trip, so printed values can be pasted back.
   *
   * @param d the duration
   * @return it in playbook syntax
   */
  public static String duration(Duration d) {
    long nanos;
    try {
      nanos = d.toNanos();
    } catch (ArithmeticException e) {
      return d.toSeconds() + "s";
    }
    String sign = nanos < 0 ? "-" : "";
    long n = Math.abs(nanos);
    if (n == 0) return "0s";
    if (n % 3_600_000_000_000L == 0) return sign + n / 3_600_000_000_000L + "h";
    if (n % 60_000_000_000L == 0) return sign + n / 60_000_000_000L + "m";
    if (n >= 1_000_000_000L) return sign + decimal(round3(n / 1e9)) + "s";
    if (n >= 1_000_000L) return sign + decimal(round3(n / 1e6)) + "ms";
    if (n >= 1_000L) return sign + decimal(round3(n / 1e3)) + "us";
    return sign + decimal(n / 1e3) + "us";
  }

  private static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }

  /**
   * {@return whether two values are equal as {@code ==} sees it}: numbers compare by value across Long and Double
   *
   * @param a a playbook value
   * @param b another
   */
  public static boolean equal(Object a, Object b) {
    if (a == null || b == null) return a == b;
    if (isNumber(a) && isNumber(b)) return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) return false;
      for (int i = 0; i < la.size(); i++) if (!equal(la.get(i), lb.get(i))) return false;
      return true;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) return false;
      for (var e : ma.entrySet()) if (!equal(e.getValue(), mb.get(e.getKey()))) return false;
      return true;
    }
    return a.equals(b);
  }
}
