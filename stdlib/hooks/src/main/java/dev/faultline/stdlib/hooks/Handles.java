package dev.faultline.stdlib.hooks;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The host values one hook has been given, by number: a host value crosses into JavaScript as a
 * copy of its plain members plus {@code __handle}, and the number brings the value itself back when
 * the hook passes the copy to {@code faultline.call} or {@code faultline.inject}. The hook never
 * holds the Java object. Confined to the hook thread, where {@link #CURRENT} names the hook's table
 * during a call.
 */
final class Handles {
  static final ThreadLocal<Handles> CURRENT = new ThreadLocal<>();

  private final Map<Object, Long> ids = new IdentityHashMap<>();
  private final Map<Long, Object> values = new HashMap<>();

  /** The number of {@code value}, the same each time it is given. */
  long of(Object value) {
    return ids.computeIfAbsent(value, v -> {
      long id = ids.size() + 1L;
      values.put(id, v);
      return id;
    });
  }

  /** The value numbered {@code id}, or null. */
  Object get(long id) {
    return values.get(id);
  }
}
