package dev.faultline.run;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Stmt;
import dev.faultline.eval.Literals;
import dev.faultline.eval.PlanMode;
import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.Fault;
import dev.faultline.report.EventType;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.value.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A dry run's side of a {@link PlaybookRun} ({@code --dry-run}, {@link RunOptions.Builder#dryRun}):
 * turns what the evaluator did not do into events. A planned fault becomes a
 * {@link EventType#FAULT_PLANNED} event with what would be injected ({@link Fault#plan()}), its
 * target, how long it would stay (the {@code for} duration, or until its scope ends) and the guards
 * that would watch it; everything else the dry run skipped or could not decide becomes a
 * {@link EventType#PLANNED} event whose {@code kind} says what. See {@code dev.faultline.eval.Planning}
 * for the evaluation rules.
 *
 * <p>Guards are read from the playbook, not run: those declared at its top level watch every
 * scenario; during the setup, only those declared before the fault. Confined to the evaluating thread.
 */
final class DryRunPlan implements PlanMode {
  /** How the run emits an event. */
  @FunctionalInterface
  interface Emitter {
    void emit(EventType type, String message, Position at, Map<String, Object> data);
  }

  /** A guard as a plan shows it: its name and how often it would be checked. */
  record GuardInfo(String name, String every, Position at) {}

  private final DryRun mode;
  private final Emitter emitter;
  private final Supplier<String> scope;
  private final BooleanSupplier inSetup;
  private final List<GuardInfo> guards = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param scope the name of the scope that would own a fault injected now ({@code step "x"})
   * @param inSetup whether the playbook's setup is running (no scenario yet)
   */
  DryRunPlan(DryRun mode, LoadedPlaybook playbook, Emitter emitter, Supplier<String> scope, BooleanSupplier inSetup) {
    this.mode = mode;
    this.emitter = emitter;
    this.scope = scope;
    this.inSetup = inSetup;
    for (Stmt s : playbook.main().body()) {
      if (s instanceof Decl.Guard g) guards.add(new GuardInfo(g.name(), every(g, playbook), g.at()));
    }
  }

  private static String every(Decl.Guard g, LoadedPlaybook playbook) {
    try {
      var constant = Literals.constant(g.every()).map(Literals::unwrap);
      if (constant.isPresent()) return Values.show(constant.get());
    } catch (ArithmeticException outOfRange) {
      // Shown as written below.
    }
    SourceFile src = playbook.sources().get(g.every().at().file());
    Position at = g.every().at();
    if (src == null || !at.isKnown()) return "?";
    String line = src.line(at.line());
    int from = Math.min(line.length(), at.column() - 1);
    return line.substring(from, Math.min(line.length(), from + at.length())).strip();
  }

  @Override
  public boolean runsProbes() {
    return mode == DryRun.PROBES;
  }

  @Override
  public void list(Position at, String kind, String text) {
    emitter.emit(EventType.PLANNED, text, at, Map.of("kind", kind));
  }

  @Override
  public ActiveFault plan(Fault fault, Object forDuration, Position at) {
    String owner = scope.get();
    ActiveFault handle = ActiveFault.planned(ids.incrementAndGet(), fault, owner);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", handle.id());
    data.put("kind", fault.kind());
    data.put("target", fault.target());
    data.put("scope", owner);
    if (forDuration != null) data.put("for", Values.show(forDuration));
    else data.put("until", "the end of " + owner);
    List<Object> watching = new ArrayList<>();
    for (GuardInfo g : guards) {
      if (inSetup.getAsBoolean() && !before(g.at(), at)) continue;
      Map<String, Object> guard = new LinkedHashMap<>();
      guard.put("name", g.name());
      guard.put("every", g.every());
      watching.add(guard);
    }
    data.put("guards", watching);
    emitter.emit(EventType.FAULT_PLANNED, fault.plan(), at, data);
    return handle;
  }

  /** Whether {@code a} comes before {@code b} in the same file; a guard in another file never does. */
  private static boolean before(Position a, Position b) {
    if (!a.file().equals(b.file())) return false;
    return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
  }
}
