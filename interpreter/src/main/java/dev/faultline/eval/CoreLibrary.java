package dev.faultline.eval;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Functions every playbook has: sizes, conversions, ranges, clocks. Stateless. */
public final class CoreLibrary implements Library {

  @HostFunction(name = "len", effect = Effect.PURE, doc = "The number of items in a list or map, or of characters in a string.")
  public long len(@Arg(name = "value", doc = "a list, map or string") Object value) {
    if (value instanceof List<?> l) return l.size();
    if (value instanceof Map<?, ?> m) return m.size();
    if (value instanceof String s) return s.length();
    throw new HostError("len() needs a list, map or string, got " + Values.typeOf(value));
  }

  @HostFunction(name = "str", effect = Effect.PURE, doc = "The value as text, printed with its unit: str(2500ms) is \"2.5s\".")
  public String str(@Arg(name = "value", doc = "any value") Object value) {
    return Values.show(value);
  }

  @HostFunction(name = "range", effect = Effect.PURE, doc = "Whole numbers up to, not including, the end: range(3) is [0, 1, 2], range(2, 5) is [2, 3, 4].")
  public List<Object> range(
      @Arg(name = "start", doc = "the first number; alone, the end (counting from 0)") long start,
      @Arg(name = "stop", doc = "the first number not included", byDefault = "null") Long stop) {
    long from = stop == null ? 0 : start;
    long to = stop == null ? start : stop;
    if (to - from > 1_000_000) throw new HostError("range() of more than 1000000 numbers", "use a smaller range");
    List<Object> out = new ArrayList<>();
    for (long i = from; i < to; i++) out.add(i);
    return Collections.unmodifiableList(out);
  }

  @HostFunction(name = "contains", effect = Effect.PURE, doc = "Whether a list holds an item, a map holds a key, or a string holds a substring.")
  public boolean contains(
      @Arg(name = "collection", doc = "a list, map or string") Object collection,
      @Arg(name = "item", doc = "what to look for") Object item) {
    if (collection instanceof List<?> l) return l.stream().anyMatch(x -> Values.equal(x, item));
    if (collection instanceof Map<?, ?> m) return m.containsKey(item);
    if (collection instanceof String s && item instanceof String t) return s.contains(t);
    throw new HostError("contains() needs a list, map or string, got " + Values.typeOf(collection));
  }

  @HostFunction(name = "keys", effect = Effect.PURE, doc = "The keys of a map, in order.")
  public List<Object> keys(@Arg(name = "map", doc = "a map") Map<String, Object> map) {
    return List.copyOf(map.keySet());
  }

  @HostFunction(name = "min", effect = Effect.PURE, doc = "The smallest item of a non-empty list of comparable values.")
  public Object min(@Arg(name = "values", doc = "a list of numbers or quantities of one kind") List<Object> values) {
    return extreme(values, -1, "min");
  }

  @HostFunction(name = "max", effect = Effect.PURE, doc = "The largest item of a non-empty list of comparable values.")
  public Object max(@Arg(name = "values", doc = "a list of numbers or quantities of one kind") List<Object> values) {
    return extreme(values, 1, "max");
  }

  private static Object extreme(List<Object> values, int sign, String name) {
    if (values.isEmpty()) throw new HostError(name + "() of an empty list");
    Object best = values.get(0);
    for (Object v : values) {
      try {
        if (Arithmetic.compare(dev.faultline.ast.BinaryOp.LT, v, best) * sign > 0) best = v;
      } catch (ArithmeticError e) {
        throw new HostError(name + "(): " + e.getMessage());
      }
    }
    return best;
  }

  @HostFunction(name = "sum", effect = Effect.PURE, doc = "The sum of a list of numbers or quantities of one kind; 0 for an empty list.")
  public Object sum(@Arg(name = "values", doc = "a list") List<Object> values) {
    if (values.isEmpty()) return 0L;
    Object total = values.get(0);
    for (int i = 1; i < values.size(); i++) {
      try {
        total = Arithmetic.add(total, values.get(i));
      } catch (ArithmeticError e) {
        throw new HostError("sum(): " + e.getMessage());
      }
    }
    return total;
  }

  @HostFunction(name = "abs", effect = Effect.PURE, doc = "The value without its sign: abs(-2s) is 2s.")
  public Object abs(@Arg(name = "value", doc = "a number or quantity") Object value) {
    try {
      return Arithmetic.abs(value);
    } catch (ArithmeticError e) {
      throw new HostError("abs(): " + e.getMessage());
    }
  }

  @HostFunction(name = "seconds", effect = Effect.PURE, doc = "A duration as a number of seconds: seconds(1500ms) is 1.5.")
  public double seconds(@Arg(name = "duration", doc = "a duration") Duration d) {
    return Arithmetic.seconds(d);
  }

  @HostFunction(name = "millis", effect = Effect.PURE, doc = "A duration as a number of milliseconds: millis(2s) is 2000.")
  public double millis(@Arg(name = "duration", doc = "a duration") Duration d) {
    return d.toNanos() / 1e6;
  }

  @HostFunction(name = "round", effect = Effect.PURE, doc = "A number rounded to `digits` decimals.")
  public double round(
      @Arg(name = "value", doc = "a number") double value,
      @Arg(name = "digits", doc = "decimals to keep", byDefault = "0") long digits) {
    double f = Math.pow(10, Math.max(0, Math.min(15, digits)));
    return Math.round(value * f) / f;
  }
}
