package dev.faultline.check;

import dev.faultline.source.Position;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names one lexical scope defines, chained to its parent, mirroring the evaluator's
 * {@code Environment}: the playbook's globals, a scenario, a step, a block, a fn's call.
 * Checker-private and confined to the checking thread.
 */
final class Scope {
  /** One defined name: what it is ("let", "param", "fn"…), where, and its type. */
  record Symbol(String name, String what, Position at, StaticType type, boolean conditional) {}

  private final Scope parent;
  private final Map<String, Symbol> symbols = new LinkedHashMap<>();

  Scope(Scope parent) {
    this.parent = parent;
  }

  Scope child() {
    return new Scope(this);
  }

  Optional<Symbol> lookup(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      Symbol sym = s.symbols.get(name);
      if (sym != null) return Optional.of(sym);
    }
    return Optional.empty();
  }

  /** The symbol this very scope defines under {@code name}, or null. */
  Symbol local(String name) {
    return symbols.get(name);
  }

  void define(Symbol symbol) {
    symbols.put(symbol.name(), symbol);
  }

  /** Every name visible here, for did-you-mean. */
  Set<String> visibleNames() {
    Set<String> all = new TreeSet<>();
    for (Scope s = this; s != null; s = s.parent) all.addAll(s.symbols.keySet());
    return all;
  }
}
