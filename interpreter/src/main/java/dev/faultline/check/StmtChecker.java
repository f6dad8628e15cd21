package dev.faultline.check;

import dev.faultline.ast.Block;
import dev.faultline.ast.Decl;
import dev.faultline.ast.Node;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.fault.ActiveFault;
import dev.faultline.host.HostRegistry;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import dev.faultline.value.Percent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a playbook and the libraries it imports in the order the evaluator runs them, keeping the
 * same scopes, and reports names defined twice in one scope, assignments to undefined names, and
 * what statements need of their expressions (a duration after {@code wait}, a condition after
 * {@code if}, a severity after {@code abort}). Expressions go to {@link ExprChecker}, where each
 * statement may stand to {@link Placement}, profiles to {@link Profiles}.
 *
 * <p>Order mirrors the run: params are bound first (each default sees the params before it), then
 * the selected profile, then the top-level statements one by one, an import running the library's
 * statements in place. Scenario, guard and fn bodies run later, when every name around them exists,
 * so they are checked when the block that declares them ends, against its complete scope; rollback
 * blocks likewise when their fault scope ends. Single use; confined to the checking thread.
 */
final class StmtChecker implements Stmt.Visitor<Void> {

  private static final List<String> STRATEGIES = List.of("always", "on_failure", "never");

  private final LoadedPlaybook playbook;
  private final Problems problems;
  private final ExprChecker exprs;
  /** Names assigned anywhere: their type is unknown, since the checker does not follow control flow. */
  private final Set<String> assigned;

  private final Placement placement;
  private Scope scope = new Scope(null);
  /** Bodies to check when the current block ends (fn, scenario and guard bodies). */
  private List<Runnable> deferred = new ArrayList<>();
  /** Rollback blocks to check when the current fault scope (playbook, scenario, step, fn) ends. */
  private List<Runnable> rollbacks = new ArrayList<>();
  /** Above zero inside the single-statement action of a {@code when}: it may not run. */
  private int conditional;
  /** Files whose top level is being checked, to stop at an import cycle. */
  private final Set<String> importing = new HashSet<>();

  StmtChecker(LoadedPlaybook playbook, HostRegistry registry, Problems problems, Set<String> assigned,
      java.util.function.Consumer<CallSite> calls) {
    this.playbook = playbook;
    this.problems = problems;
    this.assigned = assigned;
    this.exprs = new ExprChecker(this, problems, registry, calls);
    this.placement = new Placement(problems);
  }

  Scope scope() {
    return scope;
  }

  void run() {
    Playbook main = playbook.main();
    placement.enter(Placement.Where.PLAYBOOK, main);
    if (main.name().isPresent() && main.name().get().isBlank()) {
      // Rationale: reports, metrics and the journal are keyed by the playbook's name.
      problems.error(Problems.head(main.at(), "playbook".length()), "the playbook's name is empty",
          "name it, e.g. playbook \"db-failover\" { … }");
    }
    importing.add(main.file());
    Map<String, Decl.Param> params = new LinkedHashMap<>();
    for (Stmt s : main.body()) if (s instanceof Decl.Param p) param(p, params);
    profiles(main);
    for (Stmt s : main.body()) s.accept(this);
    runDeferred();
    run(rollbacks);
  }

  // ------------------------------------------------------------ params and profiles, bound first

  private void param(Decl.Param p, Map<String, Decl.Param> params) {
    Position at = problems.nameAt(p.at(), p.name());
    Decl.Param earlier = params.get(p.name());
    if (earlier != null) {
      problems.add(Diagnostic.error(at, "param '" + p.name() + "' is declared twice")
          .withNote("param '" + p.name() + "' is first declared at " + earlier.at()));
      return;
    }
    params.put(p.name(), p);
    StaticType byDefault = p.byDefault().map(exprs::check).orElse(null);
    StaticType declared = p.type().map(StaticType::ofTypeName).orElse(null);
    if (declared != null && byDefault != null && !byDefault.is(StaticType.Kind.NULL) && !byDefault.fits(declared)) {
      problems.add(Diagnostic.error(p.byDefault().get().at(), "param '" + p.name() + "' is declared as '"
          + p.type().get().word() + "', but its default is " + byDefault.word()).withLabel("not " + p.type().get().word()));
    }
    StaticType type;
    if (declared != null) type = declared;
    // Without a declared type, -p values take the type of a constant default and are text otherwise.
    else if (p.byDefault().isPresent() && ExprChecker.constant(p.byDefault().get()) != null) type = byDefault;
    else type = StaticType.UNKNOWN;
    if (type.is(StaticType.Kind.MAP)) type = StaticType.MAP;  // -p may give other keys than the default's
    if (assigned.contains(p.name())) type = StaticType.UNKNOWN;
    scope.define(new Scope.Symbol(p.name(), "param", at, type, false));
  }

  private void profiles(Playbook main) {
    List<Decl.Profile> profiles = new ArrayList<>();
    for (Stmt s : main.body()) if (s instanceof Decl.Profile p) profiles.add(p);
    if (profiles.isEmpty()) return;
    // Entries may read roots set before them; their types are known only once all are checked.
    Map<String, Position> firstAt = new LinkedHashMap<>();
    for (Decl.Profile p : profiles) {
      for (Decl.Profile.Entry e : p.entries()) firstAt.putIfAbsent(e.path().get(0), e.at());
    }
    firstAt.forEach((root, at) -> {
      if (scope.local(root) == null) scope.define(new Scope.Symbol(root, "profile value", at, StaticType.UNKNOWN, false));
    });
    Map<Decl.Profile.Entry, StaticType> types = new HashMap<>();
    for (Decl.Profile p : profiles) {
      for (Decl.Profile.Entry e : p.entries()) {
        StaticType t = exprs.check(e.value());
        types.put(e, t);
        if (e.dotted().equals(Profiles.BLAST_RADIUS) && t.isKnown() && !t.is(StaticType.Kind.PERCENT)) {
          problems.error(ExprChecker.extent(e.value()), "'max_blast_radius' needs a percentage, got " + t.word(),
              t.isNumber() ? "write it with '%', e.g. 30%" : null);
        }
      }
    }
    new Profiles(problems).check(profiles, types).forEach((root, type) -> {
      Scope.Symbol existing = scope.local(root);
      if (existing != null && existing.what().equals("profile value")) {
        StaticType known = assigned.contains(root) ? StaticType.UNKNOWN : type;
        scope.define(new Scope.Symbol(root, "profile value", existing.at(), known, false));
      }
    });
  }

  // ------------------------------------------------------------ scopes, blocks and deferred bodies

  /**
   * Defines a name in the current scope; a second definition in the same scope is an error.
   * Rationale: the second 'let' silently replaces the first at run time, so a copied line or a
   * reused name changes what earlier code meant; shadowing in an inner scope stays allowed.
   */
  private void define(String name, String what, Position at, StaticType type) {
    Scope.Symbol existing = scope.local(name);
    boolean maybe = conditional > 0;
    // The same statement seen twice (a library imported along two paths) is one definition.
    if (existing != null && !existing.conditional() && !maybe && !existing.at().equals(at)) {
      problems.add(Diagnostic.error(at, "'" + name + "' is already defined in this scope").withLabel("defined again")
          .withNote(firstDefinition(existing))
          .withHelp(what.equals("let") ? "choose another name, or assign with '" + name + " = …' to change it"
              : "choose another name for one of them"));
      return;  // keep the first, so that its uses are not reported again against the second
    }
    scope.define(new Scope.Symbol(name, what, at, assigned.contains(name) ? StaticType.UNKNOWN : type, maybe));
  }

  private static String firstDefinition(Scope.Symbol s) {
    return switch (s.what()) {
      case "param" -> "param '" + s.name() + "' is declared at " + s.at();
      case "fn" -> "fn '" + s.name() + "' is declared at " + s.at();
      case "profile value" -> "'" + s.name() + "' is set by the profiles at " + s.at();
      case "loop variable" -> "'" + s.name() + "' is the loop variable, declared at " + s.at();
      case "let" -> "'" + s.name() + "' is first defined at " + s.at();
      default -> "'" + s.name() + "' is " + s.what() + ", declared at " + s.at();
    };
  }

  /** Checks statements in {@code inner}, then the bodies they declared. */
  private void block(List<Stmt> body, Scope inner, Placement.Where where, Node node) {
    Scope outerScope = scope;
    List<Runnable> outerDeferred = deferred;
    List<Runnable> outerRollbacks = rollbacks;
    boolean faultScope = where == Placement.Where.SCENARIO || where == Placement.Where.STEP || where == Placement.Where.FN;
    scope = inner;
    deferred = new ArrayList<>();
    if (faultScope) rollbacks = new ArrayList<>();
    placement.enter(where, node);
    try {
      for (Stmt s : body) s.accept(this);
      runDeferred();
      if (faultScope) run(rollbacks);
    } finally {
      placement.leave();
      scope = outerScope;
      deferred = outerDeferred;
      rollbacks = outerRollbacks;
    }
  }

  private void runDeferred() {
    run(deferred);
  }

  private static void run(List<Runnable> queue) {
    for (int i = 0; i < queue.size(); i++) queue.get(i).run();
    queue.clear();
  }

  /** Runs {@code body} when the current block ends, in today's scope and enclosing frames. */
  private void later(Runnable body) {
    later(body, deferred);
  }

  private void later(Runnable body, List<Runnable> queue) {
    Scope declaredIn = scope;
    Deque<Placement.Frame> enclosing = placement.snapshot();
    queue.add(() -> {
      Scope savedScope = scope;
      Deque<Placement.Frame> savedFrames = placement.swap(new ArrayDeque<>(enclosing));
      int savedConditional = conditional;
      scope = declaredIn;
      conditional = 0;
      try {
        body.run();
      } finally {
        scope = savedScope;
        placement.swap(savedFrames);
        conditional = savedConditional;
      }
    });
  }

  /** A {@code measure} block inside an expression. */
  void measure(Block body) {
    block(body.stmts(), scope.child(), Placement.Where.MEASURE, body);
  }

  // ------------------------------------------------------------ statements

  @Override
  public Void visitLet(Stmt.Let s) {
    StaticType t = exprs.check(s.value());
    define(s.name(), "let", problems.nameAt(s.at().withLength(3), s.name()), t);
    return null;
  }

  @Override
  public Void visitAssign(Stmt.Assign s) {
    exprs.check(s.value());
    if (scope.lookup(s.name()).isEmpty()) {
      String help = Problems.didYouMean(s.name(), scope.visibleNames(), "use 'let " + s.name() + " = …' to define it");
      problems.add(Diagnostic.error(Problems.head(s.at(), s.name().length()), "'" + s.name() + "' is not defined")
          .withLabel("assigned before any 'let'").withHelp(help));
    }
    return null;
  }

  @Override
  public Void visitExprStmt(Stmt.ExprStmt s) {
    exprs.check(s.expr());
    return null;
  }

  @Override
  public Void visitIf(Stmt.If s) {
    exprs.condition(s.condition(), "if");
    block(s.then().stmts(), scope.child(), Placement.Where.IF, s);
    s.orElse().ifPresent(e -> e.accept(this));  // another 'if', or a bare block
    return null;
  }

  @Override
  public Void visitFor(Stmt.For s) {
    StaticType t = exprs.check(s.iterable());
    if (t.isKnown() && !t.is(StaticType.Kind.LIST) && !t.is(StaticType.Kind.MAP)) {
      problems.error(ExprChecker.extent(s.iterable()), "'for' needs a list or a map, got " + t.word());
    }
    // The body runs in the scope that holds the loop variable: a 'let' of the same name redefines it.
    Scope body = scope.child();
    StaticType item = t.is(StaticType.Kind.MAP) ? StaticType.STRING : StaticType.UNKNOWN;
    body.define(new Scope.Symbol(s.variable(), "loop variable", problems.nameAt(s.at().withLength(3), s.variable()),
        assigned.contains(s.variable()) ? StaticType.UNKNOWN : item, false));
    block(s.body().stmts(), body, Placement.Where.FOR, s);
    return null;
  }

  @Override
  public Void visitRepeat(Stmt.Repeat s) {
    StaticType t = exprs.check(s.count());
    String where = "'repeat' needs a whole number of times, got ";
    if (t.is(StaticType.Kind.FLOAT)) {
      problems.error(s.count().at(), where + "a number with a fraction part", "write a whole number, e.g. 3");
    } else if (t.isKnown() && !t.isNumber()) {
      problems.error(ExprChecker.extent(s.count()), where + t.word());
    } else if (ExprChecker.constant(s.count()) instanceof Long n && n < 0) {
      problems.error(s.count().at(), where + n);
    }
    block(s.body().stmts(), scope.child(), Placement.Where.REPEAT, s);
    return null;
  }

  @Override
  public Void visitDecide(Stmt.Decide s) {
    for (Stmt.Decide.When arm : s.arms()) {
      exprs.condition(arm.condition(), "when");
      action(arm.action(), s);
    }
    s.orElse().ifPresent(a -> action(a, s));
    return null;
  }

  /** An arm's action: a block runs in its own scope; a single statement in the enclosing one, maybe. */
  private void action(Stmt a, Stmt.Decide decide) {
    placement.enter(Placement.Where.DECIDE, decide);
    conditional++;
    try {
      a.accept(this);
    } finally {
      conditional--;
      placement.leave();
    }
  }

  @Override
  public Void visitWait(Stmt.Wait s) {
    exprs.duration(s.duration(), "wait", false);
    return null;
  }

  @Override
  public Void visitExpect(Stmt.Expect s) {
    exprs.condition(s.condition(), "expect");
    s.message().ifPresent(exprs::check);
    return null;
  }

  @Override
  public Void visitRecord(Stmt.Record s) {
    exprs.check(s.value());
    return null;
  }

  @Override
  public Void visitLog(Stmt.Log s) {
    exprs.check(s.message());
    return null;
  }

  @Override
  public Void visitAbort(Stmt.Abort s) {
    StaticType t = exprs.check(s.severity());
    if (t.isKnown() && !t.is(StaticType.Kind.SEVERITY)) {
      problems.error(ExprChecker.extent(s.severity()), "'abort' needs a severity P1..P4, got " + t.word(),
          "write e.g. 'abort P2 \"reason\"'");
    }
    s.reason().ifPresent(exprs::check);
    return null;
  }

  @Override
  public Void visitRevert(Stmt.Revert s) {
    s.target().ifPresent(target -> {
      StaticType t = exprs.check(target);
      boolean handle = t.is(StaticType.Kind.HOST) && ActiveFault.class.isAssignableFrom(t.hostClass);
      if (t.isKnown() && !handle && !t.is(StaticType.Kind.LIST)) {
        problems.error(ExprChecker.extent(target), "'revert' needs a fault from 'inject', got " + t.word(),
            "write 'let f = inject …' and then 'revert f', or 'revert all'");
      }
    });
    return null;
  }

  @Override
  public Void visitRollback(Stmt.Rollback s) {
    // It runs when the enclosing fault scope ends (step, scenario, playbook; for a fn, the caller's),
    // so it sees every name the blocks around it have defined by then.
    later(() -> block(s.body().stmts(), scope.child(), Placement.Where.ROLLBACK, s), rollbacks);
    return null;
  }

  @Override
  public Void visitReturn(Stmt.Return s) {
    placement.returns(s);
    s.value().ifPresent(exprs::check);
    return null;
  }

  @Override
  public Void visitNested(Stmt.Nested s) {
    block(s.block().stmts(), scope.child(), Placement.Where.BLOCK, s);
    return null;
  }

  // ------------------------------------------------------------ declarations

  @Override
  public Void visitDescription(Decl.Description d) {
    placement.description(d);
    return null;
  }

  @Override
  public Void visitImport(Decl.Import d) {
    if (!placement.importAllowed(d)) return null;
    Playbook lib = playbook.imports().get(d);
    if (lib == null || !importing.add(lib.file())) return null;  // not loaded, or a cycle the loader reported
    placement.enter(Placement.Where.LIBRARY, lib);
    try {
      // The library's statements run here, in the importing scope: its names join this one.
      for (Stmt s : lib.body()) if (placement.allowedInLibrary(s, d)) s.accept(this);
    } finally {
      placement.leave();
      importing.remove(lib.file());
    }
    return null;
  }

  @Override
  public Void visitHook(Decl.Hook d) {
    placement.hookAllowed(d);
    return null;  // loaded with the playbook; its functions are host functions the checker knows
  }

  @Override
  public Void visitParam(Decl.Param d) {
    if (placement.innermost() != Placement.Where.PLAYBOOK) placement.topLevelOnly(d, "param");
    return null;  // top-level params were checked and bound first
  }

  @Override
  public Void visitProfile(Decl.Profile d) {
    if (placement.innermost() != Placement.Where.PLAYBOOK) placement.topLevelOnly(d, "profile");
    return null;  // top-level profiles were checked and bound first
  }

  @Override
  public Void visitFn(Decl.Fn d) {
    define(d.name(), "fn", problems.nameAt(d.at().withLength(2), d.name()), StaticType.fn(d));
    later(() -> {
      Scope body = scope.child();
      Map<String, Position> seen = new HashMap<>();
      for (Decl.Fn.Parameter p : d.params()) {
        Position first = seen.putIfAbsent(p.name(), p.at());
        if (first != null) {
          problems.add(Diagnostic.error(p.at(), "fn '" + d.name() + "' has two parameters named '" + p.name() + "'")
              .withNote("the first is at " + first));
        }
        body.define(new Scope.Symbol(p.name(), "a parameter of '" + d.name() + "'", p.at(), StaticType.UNKNOWN, false));
      }
      // Defaults are evaluated at each call, in the call's scope, once the arguments are bound.
      Scope outer = scope;
      scope = body;
      placement.enter(Placement.Where.FN, d);
      try {
        for (Decl.Fn.Parameter p : d.params()) p.byDefault().ifPresent(exprs::check);
      } finally {
        placement.leave();
        scope = outer;
      }
      block(d.body().stmts(), body, Placement.Where.FN, d);
    });
    return null;
  }

  @Override
  public Void visitGuard(Decl.Guard d) {
    placement.guard(d);
    exprs.duration(d.every(), "guard … every", true);
    if (ExprChecker.constant(d.every()) instanceof java.time.Duration every && every.compareTo(dev.faultline.guard.Guard.MIN_INTERVAL) < 0) {
      // Rationale: see Guard.MIN_INTERVAL; checks faster than that mostly measure themselves.
      problems.error(d.every().at(), "a guard is checked at most every 100ms, got " + dev.faultline.value.Values.show(every),
          "write 'every 100ms' or more");
    }
    later(() -> {
      placement.enter(Placement.Where.GUARD, d);
      try {
        exprs.condition(d.condition(), "guard");
        d.onBreach().accept(this);
      } finally {
        placement.leave();
      }
    });
    return null;
  }

  @Override
  public Void visitScenario(Decl.Scenario d) {
    placement.scenario(d);
    later(() -> {
      placement.startScenario();
      try {
        block(d.body().stmts(), scope.child(), Placement.Where.SCENARIO, d);
      } finally {
        placement.endScenario();
      }
    });
    return null;
  }

  @Override
  public Void visitStep(Decl.Step d) {
    placement.step(d);
    d.timeout().ifPresent(t -> exprs.duration(t, "timeout", true));
    block(d.body().stmts(), scope.child(), Placement.Where.STEP, d);
    return null;
  }

  @Override
  public Void visitSetting(Decl.Setting d) {
    placement.setting(d);
    switch (d.name()) {
      case "max_duration" -> exprs.duration(d.value(), "max_duration", true);
      case "max_blast_radius" -> {
        StaticType t = exprs.check(d.value());
        if (t.isKnown() && !t.is(StaticType.Kind.PERCENT)) {
          problems.error(ExprChecker.extent(d.value()), "'max_blast_radius' needs a percentage, got " + t.word(),
              t.isNumber() ? "write it with '%', e.g. 30%" : null);
        } else if (ExprChecker.constant(d.value()) instanceof Percent p && (p.points() < 0 || p.points() > 100)) {
          problems.error(d.value().at(), "'max_blast_radius' must be between 0% and 100%, got " + p);
        }
      }
      case "rollback_strategy" -> strategy(d.value());
      default -> throw new IllegalStateException("setting not checked: " + d.name());
    }
    return null;
  }

  /** {@code rollback_strategy always}: a word, not a name to look up. */
  private void strategy(dev.faultline.ast.Expr value) {
    String word = value instanceof dev.faultline.ast.Expr.Name n ? n.name()
        : value instanceof dev.faultline.ast.Expr.Str s ? s.value() : null;
    if (word == null) {
      problems.error(value.at(), "'rollback_strategy' needs one of always, on_failure or never",
          "write e.g. 'rollback_strategy on_failure'");
    } else if (!STRATEGIES.contains(word)) {
      problems.add(Diagnostic.error(value.at(), "unknown rollback strategy '" + word + "'").withLabel("not a strategy")
          .withHelp(Problems.didYouMean(word, STRATEGIES, "choose always, on_failure or never")));
    }
  }
}
