package dev.faultline.host;

import dev.faultline.value.ByteSize;
import dev.faultline.value.Function;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Playbook values to and from the Java types host functions declare. Stateless. */
public final class Conversions {
  private Conversions() {}

  /**
   * {@return the playbook's word for what a Java parameter type accepts}: {@code duration},
   * {@code number}, a host type's name
   *
   * @param type a parameter or result type of a host function
   */
  public static String typeWord(Class<?> type) {
    if (type == Duration.class) return "duration";
    if (type == Percent.class) return "percent";
    if (type == ByteSize.class) return "size";
    if (type == Rate.class) return "rate";
    if (type == String.class) return "string";
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) return "int";
    if (type == double.class || type == Double.class) return "number";
    if (type == boolean.class || type == Boolean.class) return "bool";
    if (type == Severity.class) return "severity";
    if (List.class.isAssignableFrom(type)) return "list";
    if (Map.class.isAssignableFrom(type)) return "map";
    if (Function.class.isAssignableFrom(type)) return "function";
    if (type == Object.class) return "any";
    if (HostValue.class.isAssignableFrom(type)) return Values.hostTypeName(type);
    return type.getSimpleName();
  }

  /**
   * {@return the type's word with an article, for messages}: "a duration", "an int"
   *
   * @param type a parameter or result type of a host function
   */
  public static String describe(Class<?> type) {
    String w = typeWord(type);
    return (w.matches("^[aeiou].*") ? "an " : "a ") + w;
  }

  /**
   * Converts a playbook value for a parameter of {@code type}, or throws {@link HostError} naming
   * the function, the parameter, what it expects and what it got.
   *
   * @param value the playbook value (Long, Double, String, Duration, a host value…), or null
   * @param type the Java type the parameter declares
   * @param function the function's name, for the message
   * @param param the parameter's name, for the message
   * @return the value as {@code type} wants it (ints narrowed, whole numbers as longs)
   * @throws HostError when the value does not fit the type
   */
  public static Object toJava(Object value, Class<?> type, String function, String param) {
    if (type == Object.class) return value;
    if (value == null) {
      if (type.isPrimitive()) throw mismatch(value, type, function, param);
      return null;
    }
    if (type == long.class || type == Long.class) {
      if (value instanceof Long l) return l;
      if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return d.longValue();
      throw mismatch(value, type, function, param);
    }
    if (type == int.class || type == Integer.class) {
      if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
      throw mismatch(value, type, function, param);
    }
    if (type == double.class || type == Double.class) {
      if (value instanceof Number n) return n.doubleValue();
      throw mismatch(value, type, function, param);
    }
    if (type == boolean.class || type == Boolean.class) {
      if (value instanceof Boolean) return value;
      throw mismatch(value, type, function, param);
    }
    if (type.isInstance(value)) return value;
    throw mismatch(value, type, function, param);
  }

  private static HostError mismatch(Object value, Class<?> type, String function, String param) {
    return new HostError(function + "() expects " + describe(type) + " for '" + param + "', got "
        + Values.typeOf(value) + (value == null ? "" : " (" + Values.showNested(value) + ")"));
  }

  /**
   * Turns a Java result back into a playbook value: ints widen to Long, floats to Double, anything
   * else stays as it is.
   *
   * @param result what a host function returned
   * @return the playbook value
   */
  public static Object fromJava(Object result) {
    if (result instanceof Integer i) return i.longValue();
    if (result instanceof Short s) return s.longValue();
    if (result instanceof Float f) return f.doubleValue();
    return result;
  }
}
