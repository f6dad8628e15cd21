package dev.faultline.repl;

import dev.faultline.eval.Environment;
import dev.faultline.eval.Literals;
import dev.faultline.eval.Namespace;
import dev.faultline.fault.ActiveFault;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.HostTypeInfo;
import dev.faultline.host.Signature;
import dev.faultline.value.HostValue;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a dotted name typed at the prompt stands for, for completion and {@code help}, without
 * running anything: the first segment is a name in scope or a namespace of host functions, later
 * segments are map keys or namespace members. Properties of host values are never read (that would
 * call a probe); their members are known from their type.
 */
final class Names {
  private final HostRegistry registry;
  private final Environment env;

  Names(HostRegistry registry, Environment env) {
    this.registry = registry;
    this.env = env;
  }

  /** The value {@code path} names ({@code link}, {@code cfg.db}, {@code net}), if it can be known without a call. */
  Optional<Object> value(String path) {
    String[] parts = path.split("\\.", -1);
    Object v = env.lookup(parts[0]).map(Literals::unwrap).orElse(null);
    if (v == null && !env.isDefined(parts[0]) && registry.isNamespace(parts[0])) v = new Namespace(parts[0]);
    if (v == null) return Optional.empty();
    for (int i = 1; i < parts.length; i++) {
      if (v instanceof Map<?, ?> m && m.containsKey(parts[i])) {
        v = m.get(parts[i]);
      } else if (v instanceof Namespace ns && registry.isNamespace(ns.prefix() + "." + parts[i])) {
        v = new Namespace(ns.prefix() + "." + parts[i]);
      } else {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(v);
  }

  /**
   * The members of a value: map keys (no signature), a namespace's functions and sub-namespaces, or
   * a host value's members with their signatures. Sorted by name.
   */
  Map<String, Optional<Signature>> members(Object value) {
    Map<String, Optional<Signature>> out = new TreeMap<>();
    if (value instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) out.put(String.valueOf(k), Optional.empty());
    } else if (value instanceof Namespace ns) {
      for (String member : registry.membersOf(ns.prefix())) {
        out.put(member, registry.function(ns.prefix() + "." + member).map(HostRegistry.Bound::signature));
      }
    } else if (value instanceof HostValue || value instanceof ActiveFault) {
      HostTypeInfo info = HostRegistry.typeInfo(value.getClass());
      if (info != null) info.members().forEach((name, sig) -> out.put(name, Optional.of(sig)));
    }
    return out;
  }

  /** The host function or member a dotted name calls ({@code http.get}, {@code link.latency}, {@code len}). */
  Optional<Signature> signature(String path) {
    Optional<Signature> direct = registry.function(path).map(HostRegistry.Bound::signature);
    if (direct.isPresent() && !env.isDefined(path.split("\\.")[0])) return direct;
    int dot = path.lastIndexOf('.');
    if (dot < 0) return direct;
    return value(path.substring(0, dot)).flatMap(v -> members(v).getOrDefault(path.substring(dot + 1), Optional.empty()));
  }

  /** The host type's documentation of a value, when it has one. */
  static Optional<HostTypeInfo> typeOf(Object value) {
    return value == null ? Optional.empty() : Optional.ofNullable(HostRegistry.typeInfo(value.getClass()));
  }
}
