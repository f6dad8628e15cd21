package dev.faultline.stdlib.probe;

import dev.faultline.host.HostFunction;
import dev.faultline.value.HostValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a property-like member ({@code latency}, {@code ok}) of any value a host function returns:
 * a host value's {@code @HostFunction} without parameters, or a map's key. This is what lets any
 * probe-like function, from any library, satisfy {@code probe()} and {@code hypothesis()}. Stateless.
 */
public final class Members {
  private Members() {}

  /** The member's value, or empty when the value has no such member. */
  public static Optional<Object> read(Object value, String member) {
    if (value instanceof Map<?, ?> map) return map.containsKey(member) ? Optional.ofNullable(map.get(member)) : Optional.empty();
    if (!(value instanceof HostValue)) return Optional.empty();
    for (Method m : value.getClass().getMethods()) {
      HostFunction f = m.getAnnotation(HostFunction.class);
      if (f == null || !f.name().equals(member) || m.getParameterCount() != 0) continue;
      try {
        return Optional.ofNullable(m.invoke(value));
      } catch (IllegalAccessException e) {
        return Optional.empty();
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException re) throw re;
        throw new IllegalStateException(e.getCause());
      }
    }
    return Optional.empty();
  }

  /** Whether the value looks like a probe result: it has a {@code latency} that is a duration. */
  public static boolean isProbeResult(Object value) {
    return read(value, "latency").orElse(null) instanceof java.time.Duration;
  }
}
