package dev.faultline.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names and their values in one lexical scope, chained to the enclosing scope. The playbook's
 * top-level environment lives as long as the run (or the REPL session), so statements can be fed
 * one at a time. Confined to the evaluating thread, except that guards read it.
 */
public final class Environment {
  private final Environment parent;
  private final Map<String, Object> values = new LinkedHashMap<>();

  public Environment(Environment parent) {
    this.parent = parent;
  }

  public Environment child() {
    return new Environment(this);
  }

  public Environment parent() {
    return parent;
  }

  /** Defines or redefines {@code name} in this scope. */
  public synchronized void define(String name, Object value) {
    values.put(name, value);
  }

  /** Whether {@code name} is defined here or in an enclosing scope. */
  public boolean isDefined(String name) {
    for (Environment e = this; e != null; e = e.parent) {
      synchronized (e) {
        if (e.values.containsKey(name)) return true;
      }
    }
    return false;
  }

  /** The value, wrapped so that a defined {@code null} differs from an undefined name. */
  public Optional<Object> lookup(String name) {
    for (Environment e = this; e != null; e = e.parent) {
      synchronized (e) {
        if (e.values.containsKey(name)) {
          Object v = e.values.get(name);
          return Optional.of(v == null ? Literals.NULL : v);
        }
      }
    }
    return Optional.empty();
  }

  /** Changes an existing name where it is defined; false when no scope defines it. */
  public boolean assign(String name, Object value) {
    for (Environment e = this; e != null; e = e.parent) {
      synchronized (e) {
        if (e.values.containsKey(name)) {
          e.values.put(name, value);
          return true;
        }
      }
    }
    return false;
  }

  /** Every visible name, for did-you-mean and completion. */
  public Set<String> names() {
    Set<String> all = new TreeSet<>();
    for (Environment e = this; e != null; e = e.parent) {
      synchronized (e) {
        all.addAll(e.values.keySet());
      }
    }
    return all;
  }

  /** The names defined in this scope only, in definition order. */
  public synchronized Map<String, Object> locals() {
    return new LinkedHashMap<>(values);
  }
}
