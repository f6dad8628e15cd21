package dev.faultline.repl;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Stmt;
import dev.faultline.fault.ActiveFault;
import dev.faultline.guard.Guard;
import dev.faultline.guard.GuardMonitor;
import dev.faultline.host.Conversions;
import dev.faultline.host.Signature;
import dev.faultline.value.Values;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only views the REPL commands print: active faults, guards, scenarios, and the help of a
 * function, injector or value. Pure functions of what they are given; they never call a probe.
 */
final class Views {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private Views() {}

  /** {@code faults}: what, where, since when and owned by which scope; newest last. */
  static String faults(List<ActiveFault> active, Instant now) {
    if (active.isEmpty()) return "no fault is active";
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"#", "fault", "target", "since", "scope"});
    for (ActiveFault f : active) {
      Duration age = Duration.between(f.injectedAt(), now);
      String since = LocalTime.ofInstant(f.injectedAt(), ZoneId.systemDefault()).format(TIME)
          + " (" + Values.show(Duration.ofSeconds(Math.max(0, age.toSeconds()))) + " ago)";
      rows.add(new String[] {Long.toString(f.id()), f.fault().describe(), f.fault().target(), since, scopeName(f.scope())});
    }
    return (active.size() == 1 ? "1 active fault" : active.size() + " active faults") + "\n" + table(rows);
  }

  /** The session's own scope reads as "session"; others as the run names them (step "x"). */
  static String scopeName(String scope) {
    return scope.startsWith("playbook ") ? "session (until reverted or quit)" : scope;
  }

  /** {@code guards}: state, last value and threshold of each, and whether checks are running. */
  static String guards(GuardMonitor monitor, boolean faultsActive) {
    List<Guard> guards = monitor.guards();
    if (guards.isEmpty()) return "no guard is declared (declare one: guard \"name\" every 1s { condition } else abort P1)";
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"guard", "state", "last value", "threshold", "every", "condition"});
    for (Guard g : guards) {
      String state = monitor.isBreached() ? "BREACHED"
          : g.lastHeld().map(h -> h ? "holds" : "BREACHED").orElse("not checked yet");
      rows.add(new String[] {g.name(), state, g.lastValue().orElse("-"), g.lastThreshold().orElse("-"), Values.show(g.every()),
          g.conditionText()});
    }
    String when = faultsActive ? "checked while faults are active: now" : "checked only while a fault is active (none is now)";
    return table(rows) + "\n" + when;
  }

  /** {@code scenarios}: id, tags and steps of each, in order. */
  static String scenarios(List<Decl.Scenario> scenarios) {
    if (scenarios.isEmpty()) return "no scenario is declared (start the REPL with a playbook: faultline repl FILE)";
    StringBuilder b = new StringBuilder();
    for (Decl.Scenario sc : scenarios) {
      List<String> steps = new ArrayList<>();
      for (Stmt s : sc.body().stmts()) if (s instanceof Decl.Step st) steps.add(st.name());
      b.append(sc.id());
      if (!sc.tags().isEmpty()) b.append(" [").append(String.join(", ", sc.tags())).append(']');
      b.append(" - ").append(steps.size()).append(steps.size() == 1 ? " step" : " steps").append('\n');
      for (int i = 0; i < steps.size(); i++) b.append("  ").append(i + 1).append(". ").append(steps.get(i)).append('\n');
    }
    return b.append("run one with 'run ID', or step through it with 'step ID'").toString();
  }

  /** The help of a host function or member: synopsis, documentation, and each parameter. */
  static String signature(String name, Signature sig) {
    StringBuilder b = new StringBuilder();
    String kind = sig.isInjector() ? "injector" : "function";
    b.append(name.contains(".") ? name.substring(0, name.lastIndexOf('.') + 1) : "").append(sig.synopsis())
        .append("  (").append(kind).append(", ").append(sig.effect().name().toLowerCase()).append(')').append('\n');
    b.append("  ").append(sig.doc()).append('\n');
    for (Signature.Parameter p : sig.params()) {
      b.append("  ").append(p.name()).append(": ").append(Conversions.typeWord(p.type()));
      if (!p.isRequired()) b.append(" = ").append(p.defaultText());
      if (p.doc() != null && !p.doc().isEmpty()) b.append("  ").append(p.doc());
      b.append('\n');
    }
    if (!sig.requires().isEmpty()) b.append("  needs --allow ").append(sig.requires().stream().map(c -> c.word()).sorted().toList()).append('\n');
    if (sig.isInjector()) b.append("  use it with inject: inject ").append(name).append("(…) [for DURATION]\n");
    return b.toString().stripTrailing();
  }

  /** One line per member: name, and its synopsis's documentation. */
  static String members(String title, Map<String, Optional<Signature>> members) {
    StringBuilder b = new StringBuilder(title).append('\n');
    int width = members.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (var e : members.entrySet()) {
      b.append("  ").append(e.getKey()).append(" ".repeat(width - e.getKey().length() + 2));
      e.getValue().ifPresent(sig -> b.append(sig.isInjector() ? "injector  " : "").append(firstSentence(sig.doc())));
      b.append('\n');
    }
    return b.toString().stripTrailing();
  }

  private static String firstSentence(String doc) {
    int dot = doc.indexOf(". ");
    return dot < 0 ? doc : doc.substring(0, dot + 1);
  }

  /** Left-aligned columns, two spaces apart, each row on a line indented by two. */
  static String table(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r[i].length());
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < cols; i++) {
        line.append(r[i]);
        if (i < cols - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString().stripTrailing();
  }
}
