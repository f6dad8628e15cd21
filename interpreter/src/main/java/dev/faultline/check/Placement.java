package dev.faultline.check;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Node;
import dev.faultline.ast.Stmt;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each declaration may appear, and which may appear only once: scenarios, guards, params,
 * profiles, descriptions and settings at the playbook's top level ({@code max_duration} also
 * directly in a scenario); steps in a scenario; return in
 * a fn; only let, fn and import at a library's top level; one scenario per id, one guard per name,
 * one step per name along one path through a scenario. Keeps the stack of enclosing constructs
 * that {@link StmtChecker} enters and leaves. Confined to the checking thread.
 */
final class Placement {

  /** What encloses a statement. */
  enum Where {
    PLAYBOOK("the playbook"), LIBRARY("a library"), SCENARIO("a scenario"), STEP("a step"), FN("a 'fn'"),
    IF("an 'if'"), FOR("a 'for' loop"), REPEAT("a 'repeat' loop"), DECIDE("a 'decide'"), BLOCK("a block"),
    MEASURE("a 'measure' block"), ROLLBACK("a 'rollback' block"), GUARD("a guard");

    final String words;

    Where(String words) {
      this.words = words;
    }

    /** Blocks that run as part of the statement list around them: a step may sit in them. */
    boolean isTransparent() {
      return this == IF || this == FOR || this == REPEAT || this == DECIDE || this == BLOCK;
    }
  }

  /** One enclosing construct; {@code id} tells apart two frames of the same kind and node. */
  record Frame(Where where, Node node, int id) {}

  /** A step seen in the current scenario, with the frames around it. */
  private record StepSeen(Position at, int innermost, Set<Integer> enclosing) {}

  private final Problems problems;
  /** Innermost first. */
  private Deque<Frame> frames = new ArrayDeque<>();
  private int frameIds;

  private final Map<String, Position> scenarioIds = new HashMap<>();
  private final Map<String, Position> guardNames = new HashMap<>();
  private final Map<String, Position> once = new HashMap<>();
  /** Per scenario being checked (innermost first), its steps by name. */
  private final Deque<Map<String, List<StepSeen>>> scenarios = new ArrayDeque<>();

  Placement(Problems problems) {
    this.problems = problems;
  }

  // ------------------------------------------------------------ the enclosing constructs

  void enter(Where where, Node node) {
    frames.push(new Frame(where, node, ++frameIds));
  }

  void leave() {
    frames.pop();
  }

  Where innermost() {
    return frames.peek().where();
  }

  /** A copy of the enclosing constructs, to check a body later as if from here. */
  Deque<Frame> snapshot() {
    return new ArrayDeque<>(frames);
  }

  /** Puts {@code replacement} in place and returns what was there. */
  Deque<Frame> swap(Deque<Frame> replacement) {
    Deque<Frame> was = frames;
    frames = replacement;
    return was;
  }

  /** Starts a scenario's own set of step names. */
  void startScenario() {
    scenarios.push(new HashMap<>());
  }

  void endScenario() {
    scenarios.pop();
  }

  // ------------------------------------------------------------ rules

  /**
   * Declarations that configure the whole run (scenario, guard, param, profile, description,
   * settings) belong at the playbook's top level.
   * Rationale: the run reads them before it starts; nested, they would silently do nothing.
   */
  boolean topLevelOnly(Stmt s, String keyword) {
    Frame top = frames.peek();
    if (top.where() == Where.PLAYBOOK) return true;
    if (top.where() == Where.LIBRARY) return false;  // reported once, by the library rule
    problems.add(Diagnostic.error(Problems.head(s.at(), keyword.length()),
        "'" + keyword + "' must be at the top level of the playbook, not inside " + top.where().words)
        .withLabel("not at the top level"));
    return false;
  }

  /** Whether an import may be resolved here. Rationale: the loader reads a file's top-level imports only. */
  boolean importAllowed(Decl.Import d) {
    Where top = innermost();
    if (top == Where.PLAYBOOK || top == Where.LIBRARY) return true;
    problems.add(Diagnostic.error(Problems.head(d.at(), "import".length()),
        "'import' must be at the top level of a file, not inside " + top.words).withLabel("not at the top level"));
    return false;
  }

  /** Whether a hook may stand here. Rationale: the loader reads hooks at a file's top level only, before the run. */
  boolean hookAllowed(Decl.Hook d) {
    Where top = innermost();
    if (top == Where.PLAYBOOK || top == Where.LIBRARY) return true;
    problems.add(Diagnostic.error(Problems.head(d.at(), "hook".length()),
        "'hook' must be at the top level of a file, not inside " + top.words).withLabel("not at the top level")
        .withHelp("move it next to the playbook's params; its functions are known everywhere in the playbook"));
    return false;
  }

  /**
   * Whether a statement may stand at a library's top level; reports it when not.
   * Rationale: importing a file must not run or declare anything but names.
   */
  boolean allowedInLibrary(Stmt s, Decl.Import imported) {
    if (s instanceof Stmt.Let || s instanceof Decl.Fn || s instanceof Decl.Import || s instanceof Decl.Hook) return true;
    String word = keyword(s);
    String found = word != null ? "'" + word + "'" : s instanceof Stmt.Assign ? "an assignment" : "a statement";
    problems.add(Diagnostic.error(word == null ? s.at() : Problems.head(s.at(), word.length()),
        "a library may hold only 'let', 'fn' and 'import' at its top level, found " + found)
        .withLabel("not allowed in a library")
        .withNote("'" + imported.path() + "' is imported at " + imported.at()));
    return false;
  }

  void returns(Stmt.Return s) {
    for (Frame f : frames) {
      if (f.where() == Where.FN) return;
      if (!f.where().isTransparent() && f.where() != Where.MEASURE && f.where() != Where.ROLLBACK) break;
    }
    problems.add(Diagnostic.error(Problems.head(s.at(), "return".length()), "'return' outside a 'fn'")
        .withLabel("not inside a 'fn'").withHelp("'return' ends a fn; a step ends at its last statement"));
  }

  void description(Decl.Description d) {
    if (topLevelOnly(d, "description")) {
      firstOnly(once, "description", Problems.head(d.at(), "description".length()), "'description' is given twice");
    }
  }

  void setting(Decl.Setting d) {
    Frame top = frames.peek();
    if (d.name().equals("max_duration") && top.where() == Where.SCENARIO) {
      // Rationale: a scenario may bound its own duration; the other settings configure the whole run.
      firstOnly(once, "max_duration#" + top.id(), Problems.head(d.at(), d.name().length()),
          "'max_duration' is set twice in this scenario");
      return;
    }
    if (topLevelOnly(d, d.name())) {
      firstOnly(once, d.name(), Problems.head(d.at(), d.name().length()), "'" + d.name() + "' is set twice");
    }
  }

  void scenario(Decl.Scenario d) {
    if (d.id().isBlank()) {
      // Rationale: --scenario selects by id and the report lists by id; an empty one can be neither.
      problems.error(quoted(d.at(), d.id()), "the scenario's id is empty",
          "give it an id, e.g. scenario \"db.down\" { … }");
    }
    if (topLevelOnly(d, "scenario")) {
      firstOnly(scenarioIds, d.id(), quoted(d.at(), d.id()), "scenario '" + d.id() + "' is declared twice");
    }
  }

  void guard(Decl.Guard d) {
    if (topLevelOnly(d, "guard")) {
      firstOnly(guardNames, d.name(), quoted(d.at(), d.name()), "guard '" + d.name() + "' is declared twice");
    }
  }

  /** A step belongs to a scenario, directly or through if/for/repeat/decide blocks. */
  void step(Decl.Step d) {
    Position at = Problems.head(d.at(), "step".length());
    for (Frame f : frames) {
      if (f.where().isTransparent()) continue;
      switch (f.where()) {
        case SCENARIO -> {
          if (!scenarios.isEmpty()) uniqueStep(d);
          return;
        }
        case PLAYBOOK, LIBRARY -> problems.add(Diagnostic.error(at, "a step must be inside a scenario")
            .withLabel("not in a scenario").withHelp("wrap it in 'scenario \"name\" { … }'"));
        case STEP -> problems.add(Diagnostic.error(at, "a step cannot be inside another step").withLabel("nested step")
            .withNote("the enclosing step '" + ((Decl.Step) f.node()).name() + "' starts at " + f.node().at())
            .withHelp("close the enclosing step first; steps follow one another"));
        default -> problems.add(Diagnostic.error(at, "a step cannot be inside " + f.where().words)
            .withLabel("not in a scenario").withHelp("steps belong directly to a scenario"));
      }
      return;
    }
  }

  /**
   * Two steps of one name in a scenario make its report ambiguous, unless they are alternatives:
   * in the two branches of an 'if' or in two arms of a 'decide' at most one of them runs. So only
   * a step in the same block as an earlier one, or in a block around or inside it, is a duplicate.
   * Rationale: the report and the REPL name steps; two results under one name cannot be told apart.
   */
  private void uniqueStep(Decl.Step d) {
    Position at = quoted(d.at(), d.name());
    Set<Integer> enclosing = new HashSet<>();
    for (Frame f : frames) enclosing.add(f.id());
    StepSeen now = new StepSeen(at, frames.peek().id(), enclosing);
    List<StepSeen> seen = scenarios.peek().computeIfAbsent(d.name(), k -> new ArrayList<>());
    for (StepSeen earlier : seen) {
      if (enclosing.contains(earlier.innermost()) || earlier.enclosing().contains(now.innermost())) {
        problems.add(Diagnostic.error(at, "step '" + d.name() + "' is declared twice in this scenario")
            .withLabel("declared again").withNote("first declared at " + earlier.at()));
        return;
      }
    }
    seen.add(now);
  }

  /** Records a declaration by its key; a second one is an error pointing at the first. */
  private void firstOnly(Map<String, Position> seen, String key, Position at, String message) {
    Position first = seen.putIfAbsent(key, at);
    if (first != null) {
      problems.add(Diagnostic.error(at, message).withLabel("declared again").withNote("first declared at " + first));
    }
  }

  /** Where a declaration's quoted name is written: {@code "db.down"} in {@code scenario "db.down"}. */
  private Position quoted(Position at, String name) {
    return problems.nameAt(at, "\"" + name + "\"");
  }

  /** The word a statement starts with, as messages quote it; null for assignments and expressions. */
  static String keyword(Stmt s) {
    if (s instanceof Stmt.Let) return "let";
    if (s instanceof Stmt.If) return "if";
    if (s instanceof Stmt.For) return "for";
    if (s instanceof Stmt.Repeat) return "repeat";
    if (s instanceof Stmt.Decide) return "decide";
    if (s instanceof Stmt.Wait) return "wait";
    if (s instanceof Stmt.Expect) return "expect";
    if (s instanceof Stmt.Record) return "record";
    if (s instanceof Stmt.Log) return "log";
    if (s instanceof Stmt.Abort) return "abort";
    if (s instanceof Stmt.Revert) return "revert";
    if (s instanceof Stmt.Rollback) return "rollback";
    if (s instanceof Stmt.Return) return "return";
    if (s instanceof Decl.Description) return "description";
    if (s instanceof Decl.Import) return "import";
    if (s instanceof Decl.Hook) return "hook";
    if (s instanceof Decl.Param) return "param";
    if (s instanceof Decl.Profile) return "profile";
    if (s instanceof Decl.Fn) return "fn";
    if (s instanceof Decl.Guard) return "guard";
    if (s instanceof Decl.Scenario) return "scenario";
    if (s instanceof Decl.Step) return "step";
    if (s instanceof Decl.Setting d) return d.name();
    return null;
  }
}
