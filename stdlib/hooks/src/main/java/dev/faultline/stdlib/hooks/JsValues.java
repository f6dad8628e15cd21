package dev.faultline.stdlib.hooks;

import dev.faultline.host.Effect;
import dev.faultline.host.HostCall;
import dev.faultline.host.HostError;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.HostTypeInfo;
import dev.faultline.host.Signature;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The value mapping between playbooks and hooks (docs/hooks.md, "Values"). Playbook values go in
 * as proxies that the prelude copies into plain JavaScript values, so a hook never holds a Java
 * object; JavaScript values come back as playbook values. Units cross as objects
 * ({@code {kind: "duration", ms: 500, text: "500ms"}}), never as bare numbers. Stateless.
 */
final class JsValues {
  private JsValues() {}

  /** Rationale: a value nested deeper than this is a cycle or a mistake, not data. */
  private static final int MAX_DEPTH = 64;

  static final Map<String, Class<?>> TYPES = typeWords();

  private static Map<String, Class<?>> typeWords() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("string", String.class);
    m.put("int", Long.class);
    m.put("number", Double.class);
    m.put("bool", Boolean.class);
    m.put("duration", Duration.class);
    m.put("percent", Percent.class);
    m.put("size", ByteSize.class);
    m.put("rate", Rate.class);
    m.put("list", List.class);
    m.put("map", Map.class);
    m.put("any", Object.class);
    return Collections.unmodifiableMap(m);
  }

  // ------------------------------------------------------------ playbook to JavaScript

  /** A playbook value as something the prelude's {@code copyIn} turns into plain JavaScript. */
  static Object toGuest(Object v, int depth) {
    if (depth > MAX_DEPTH) throw new HostError("a value nested more than " + MAX_DEPTH + " levels deep cannot be passed to a hook");
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) return v;
    if (v instanceof Integer i) return i.longValue();
    if (v instanceof Duration d) return unit("duration", d.toNanos() / 1e6, Values.show(d));
    if (v instanceof Percent p) return unit("percent", p.points(), Values.show(p));
    if (v instanceof ByteSize s) return unit("size", (double) s.bytes(), Values.show(s));
    if (v instanceof Rate r) return unit("rate", r.perSecond(), Values.show(r));
    if (v instanceof Severity s) return s.toString();
    if (v instanceof List<?> list) {
      Object[] items = new Object[list.size()];
      for (int i = 0; i < items.length; i++) items[i] = toGuest(list.get(i), depth + 1);
      return ProxyArray.fromArray(items);
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("__map", true);
      for (var e : map.entrySet()) out.put(String.valueOf(e.getKey()), toGuest(e.getValue(), depth + 1));
      return ProxyObject.fromMap(out);
    }
    if (v instanceof HostValue h) return hostValue(h, depth);
    throw new HostError(Values.typeOf(v) + " cannot be passed to a hook",
        "pass plain values: numbers, strings, booleans, units, lists, maps, or a value's members (svc.url)");
  }

  private static Object unit(String kind, double amount, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("__unit", kind);
    m.put("amount", amount);
    m.put("text", text);
    return ProxyObject.fromMap(m);
  }

  /**
   * A host value (a demo service, a proxy link) as a map of what it holds: its members that take no
   * argument and only return what the value already knows ({@link Effect#PURE}), plus its type.
   * Rationale: a hook gets data, never a live Java object it could reach the host through.
   */
  private static Object hostValue(HostValue h, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("__map", true);
    hostMembers(h).forEach((k, v) -> out.put(k, toGuest(v, depth + 1)));
    Handles handles = Handles.CURRENT.get();
    if (handles != null) out.put("__handle", handles.of(h));
    return ProxyObject.fromMap(out);
  }

  /** A host value's type and plain members, as playbook values (see {@link #hostValue}). */
  static Map<String, Object> hostMembers(HostValue h) {
    HostTypeInfo info = HostRegistry.typeInfo(h.getClass());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", info == null ? h.getClass().getSimpleName() : info.name());
    if (info != null) {
      for (Signature s : info.members().values()) {
        if (s.effect() != Effect.PURE || s.isInjector() || s.requiredCount() > 0 || s.takesContext()) continue;
        Object member = new HostCall(s, h).call(List.of(), Map.of(), dev.faultline.host.CallContext.detached());
        if (member instanceof HostValue) continue;  // one level: a hook asks for what it needs as arguments
        out.put(s.name(), member);
      }
    }
    return out;
  }

  // ------------------------------------------------------------ JavaScript to playbook

  /**
   * A JavaScript value as a playbook value: numbers that are whole become ints, arrays lists,
   * objects maps (in their key order), unit objects units; {@code undefined} is null. A function
   * or a symbol is an error: {@code what} names the value in it ("probe 'depth' returned …").
   */
  static Object fromGuest(Value v, String what) {
    return fromGuest(v, what, 0);
  }

  private static Object fromGuest(Value v, String what, int depth) {
    if (depth > MAX_DEPTH) throw new HostError(what + " is nested more than " + MAX_DEPTH + " levels deep (a cycle?)");
    if (v == null || v.isNull()) return null;
    if (v.isBoolean()) return v.asBoolean();
    if (v.isString()) return v.asString();
    if (v.isNumber()) {
      if (v.fitsInLong()) return v.asLong();
      double d = v.asDouble();
      if (Double.isNaN(d) || Double.isInfinite(d)) throw new HostError(what + " is " + d + ", which is not a number a playbook can use");
      return d;
    }
    if (v.canExecute()) throw new HostError(what + " is a function, which a playbook cannot use", "return data: numbers, strings, lists, maps, units");
    if (v.hasArrayElements()) {
      long n = v.getArraySize();
      List<Object> out = new ArrayList<>((int) Math.min(n, 1 << 16));
      for (long i = 0; i < n; i++) out.add(fromGuest(v.getArrayElement(i), what, depth + 1));
      return Collections.unmodifiableList(out);
    }
    if (v.hasMembers()) {
      Value kind = v.getMember("kind");
      if (kind != null && kind.isString()) {
        Object unit = unit(kind.asString(), v, what);
        if (unit != null) return unit;
      }
      Value handle = v.getMember("__handle");
      Handles handles = Handles.CURRENT.get();
      if (handle != null && handle.isNumber() && handles != null && handles.get(handle.asLong()) != null) {
        return handles.get(handle.asLong());  // a host value the hook was given, passed back
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : v.getMemberKeys()) {
        if (key.equals("__handle")) continue;
        Value member = v.getMember(key);
        if (member.canExecute()) continue;  // methods (a unit's toString) are not data
        out.put(key, fromGuest(member, what, depth + 1));
      }
      return Collections.unmodifiableMap(out);
    }
    throw new HostError(what + " is a " + v.getMetaObject() + ", which a playbook cannot use");
  }

  /** A unit object, or null when {@code kind} names no unit (then it is an ordinary map). */
  private static Object unit(String kind, Value v, String what) {
    String field = switch (kind) {
      case "duration" -> "ms";
      case "percent" -> "value";
      case "size" -> "bytes";
      case "rate" -> "perSecond";
      default -> null;
    };
    if (field == null) return null;
    Value amount = v.getMember(field);
    if (amount == null || !amount.isNumber()) {
      throw new HostError(what + " is a " + kind + " without a number in '" + field + "'",
          "make it with faultline." + kind + "(…)");
    }
    double a = amount.asDouble();
    if (Double.isNaN(a) || Double.isInfinite(a)) throw new HostError(what + " is a " + kind + " of " + a);
    return switch (kind) {
      case "duration" -> Duration.ofNanos(Math.round(a * 1e6));
      case "percent" -> new Percent(a);
      case "size" -> new ByteSize(Math.round(a));
      default -> new Rate(a);
    };
  }

  /** Turns playbook args into the JSON-friendly form a journal record holds. */
  static Object toRecord(Object v) {
    if (v instanceof HostValue h) return toRecord(hostMembers(h));
    if (v instanceof Integer i) return i.longValue();
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) return v;
    if (v instanceof Duration d) return Map.of("kind", "duration", "ms", d.toNanos() / 1e6);
    if (v instanceof Percent p) return Map.of("kind", "percent", "value", p.points());
    if (v instanceof ByteSize s) return Map.of("kind", "size", "bytes", s.bytes());
    if (v instanceof Rate r) return Map.of("kind", "rate", "perSecond", r.perSecond());
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(toRecord(o));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), toRecord(x)));
      return out;
    }
    return Values.show(v);
  }

  /** A journal record's JSON-friendly value back as playbook values (units from their objects). */
  static Object fromRecord(Object v) {
    if (v instanceof Map<?, ?> m) {
      Object kind = m.get("kind");
      if ("duration".equals(kind) && m.get("ms") instanceof Number n) return Duration.ofNanos(Math.round(n.doubleValue() * 1e6));
      if ("percent".equals(kind) && m.get("value") instanceof Number n) return new Percent(n.doubleValue());
      if ("size".equals(kind) && m.get("bytes") instanceof Number n) return new ByteSize(n.longValue());
      if ("rate".equals(kind) && m.get("perSecond") instanceof Number n) return new Rate(n.doubleValue());
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), fromRecord(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(fromRecord(o));
      return out;
    }
    if (v instanceof Integer i) return i.longValue();
    return v;
  }
}
