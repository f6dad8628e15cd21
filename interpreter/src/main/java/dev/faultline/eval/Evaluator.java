package dev.faultline.eval;

import dev.faultline.ast.BinaryOp;
import dev.faultline.ast.Block;
import dev.faultline.ast.Decl;
import dev.faultline.ast.Expr;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.Fault;
import dev.faultline.host.HostCall;
import dev.faultline.host.HostError;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.HostTypeInfo;
import dev.faultline.host.Interrupted;
import dev.faultline.host.Signature;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.source.Suggest;
import dev.faultline.value.Function;
import dev.faultline.value.HostValue;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The tree-walking evaluator: runs statements one at a time against an {@link Environment}, so a
 * run and a REPL session use it alike. It knows expressions, control flow and the playbook's
 * statements; the scenario and step lifecycle and the event journal belong to the {@link RunContext}.
 *
 * <p>Threading: one evaluating thread per run. Other threads stop it through {@link Cancellation},
 * which is checked before every statement and inside every wait.
 *
 * <p>Failure modes, each its own exception: {@link EvalError} (a mistake found while running),
 * {@link ExpectFailed} (an expectation did not hold), {@link Aborted} ({@code abort}),
 * {@link Interrupted} (cancelled from outside). All unwind to the enclosing step.
 *
 * <p>Dry run: when the run has a {@link PlanMode}, {@link Planning} does what waits, injects,
 * judges or touches the world instead, and values a dry run does not have are {@link Planned}
 * placeholders; each visitor that meets one says what it gives. A real run never has either.
 */
public final class Evaluator implements Stmt.Visitor<Void>, Expr.Visitor<Object> {
  /** Rationale: deeper recursion in a runbook is a runaway, and would overflow the Java stack. */
  static final int MAX_CALL_DEPTH = 256;
  /** Rationale: a condition polled faster than this mostly measures the polling. */
  static final Duration DEFAULT_AWAIT_EVERY = Duration.ofMillis(100);

  private final HostRegistry registry;
  private final RunContext run;
  /** A dry run's rules (see {@link PlanMode} and {@link Planned}), or null in a real run. */
  private final Planning planning;
  private Environment env;
  private int callDepth;

  public Evaluator(HostRegistry registry, RunContext run, Environment globals) {
    this.registry = registry;
    this.run = run;
    this.env = globals;
    PlanMode plan = run.planMode();
    this.planning = plan == null ? null : new Planning(this, run, plan);
  }

  public Environment environment() {
    return env;
  }

  // ------------------------------------------------------------ entry points

  /** Runs statements in {@code scope}; the caller owns the scope. */
  public void execute(List<Stmt> stmts, Environment scope) {
    Environment saved = env;
    env = scope;
    try {
      for (Stmt s : stmts) execute(s);
    } finally {
      env = saved;
    }
  }

  public void execute(Stmt stmt) {
    run.cancellation().check();
    stmt.accept(this);
  }

  /** Evaluates an expression in {@code scope}; guards use it for their conditions. */
  public Object eval(Expr e, Environment scope) {
    Environment saved = env;
    env = scope;
    try {
      return eval(e);
    } finally {
      env = saved;
    }
  }

  Object eval(Expr e) {
    return e.accept(this);
  }

  /** Runs a block in a new lexical scope (no fault scope of its own). */
  public void executeBlock(Block block, Environment scope) {
    execute(block.stmts(), scope);
  }

  Object callBody(FnValue fn, Environment scope) {
    if (++callDepth > MAX_CALL_DEPTH) {
      callDepth = 0;
      throw EvalError.at(fn.decl().at(), "calls nested deeper than " + MAX_CALL_DEPTH + " levels in '" + fn.name() + "'",
          "a function that calls itself needs a condition that stops it");
    }
    try {
      execute(fn.decl().body().stmts(), scope);
      return null;
    } catch (ReturnSignal r) {
      return r.value;
    } finally {
      callDepth = Math.max(0, callDepth - 1);
    }
  }

  /** Unwinds a function body on {@code return}. */
  private static final class ReturnSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Object value;

    ReturnSignal(Object value) {
      super(null, null, false, false);
      this.value = value;
    }
  }

  // ------------------------------------------------------------ statements

  @Override
  public Void visitLet(Stmt.Let s) {
    env.define(s.name(), eval(s.value()));
    return null;
  }

  @Override
  public Void visitAssign(Stmt.Assign s) {
    Object value = eval(s.value());
    if (!env.assign(s.name(), value)) {
      throw EvalError.at(s.at(), "'" + s.name() + "' is not defined", "use 'let " + s.name() + " = …' to define it");
    }
    return null;
  }

  @Override
  public Void visitExprStmt(Stmt.ExprStmt s) {
    eval(s.expr());
    return null;
  }

  @Override
  public Void visitIf(Stmt.If s) {
    Object c = test(s.condition(), "if");
    if (c instanceof Planned p) {
      planning.bothBranches(s, p);
      return null;
    }
    if ((Boolean) c) {
      executeBlock(s.then(), env.child());
    } else if (s.orElse().isPresent()) {
      execute(s.orElse().get());
    }
    return null;
  }

  @Override
  public Void visitFor(Stmt.For s) {
    Object iterable = eval(s.iterable());
    if (iterable instanceof Planned p) {
      planning.loopOnce(s, p);
      return null;
    }
    Iterable<?> items;
    if (iterable instanceof List<?> list) items = List.copyOf(list.stream().map(v -> v == null ? Literals.NULL : v).toList());
    else if (iterable instanceof Map<?, ?> map) items = List.copyOf(map.keySet());
    else throw EvalError.at(s.iterable().at(), "'for' needs a list or a map, got " + Values.typeOf(iterable), null);
    for (Object item : items) {
      run.cancellation().check();
      Environment scope = env.child();
      scope.define(s.variable(), Literals.unwrap(item));
      executeBlock(s.body(), scope);
    }
    return null;
  }

  @Override
  public Void visitRepeat(Stmt.Repeat s) {
    Object count = eval(s.count());
    if (count instanceof Planned p) {
      planning.repeatOnce(s, p);
      return null;
    }
    if (!(count instanceof Long n) || n < 0) {
      throw EvalError.at(s.count().at(), "'repeat' needs a whole number of times, got " + describe(count), null);
    }
    for (long i = 0; i < n; i++) {
      run.cancellation().check();
      executeBlock(s.body(), env.child());
    }
    return null;
  }

  @Override
  public Void visitDecide(Stmt.Decide s) {
    if (planning != null) {
      planning.decide(s);
      return null;
    }
    for (int i = 0; i < s.arms().size(); i++) {
      Stmt.Decide.When arm = s.arms().get(i);
      if (condition(arm.condition(), "when")) {
        run.decision(arm.at(), i, run.sourceText(arm.condition().at()));
        executeAction(arm.action());
        return null;
      }
    }
    if (s.orElse().isPresent()) {
      run.decision(s.orElse().get().at(), -1, "else");
      executeAction(s.orElse().get());
    } else {
      run.decision(s.at(), -2, "no arm matched");
    }
    return null;
  }

  void executeAction(Stmt action) {
    if (action instanceof Stmt.Nested n) executeBlock(n.block(), env.child());
    else execute(action);
  }

  @Override
  public Void visitWait(Stmt.Wait s) {
    if (planning != null) {
      planning.waitFor(s);
      return null;
    }
    run.cancellation().sleep(duration(s.duration(), "wait"));
    return null;
  }

  @Override
  public Void visitExpect(Stmt.Expect s) {
    if (planning != null) {
      planning.expect(s);
      return null;
    }
    Expr cond = s.condition();
    String detail = "";
    boolean held;
    if (cond instanceof Expr.Binary b && b.op().isComparison()) {
      Object l = eval(b.left());
      Object r = eval(b.right());
      held = Values.isTrue(apply(b, l, r));
      detail = Values.showNested(l) + " " + b.op().symbol() + " " + Values.showNested(r);
    } else if (cond instanceof Expr.Within w) {
      Object v = eval(w.value());
      Object target = eval(w.target());
      Object tolerance = eval(w.tolerance());
      held = within(w, v, target, tolerance);
      detail = run.sourceText(w.value().at()) + " was " + Values.showNested(v) + "; allowed "
          + (w.relative() ? Values.show(tolerance) + " of " + Values.showNested(target)
              : Values.showNested(target) + " ± " + Values.show(tolerance));
    } else {
      held = condition(cond, "expect");
    }
    String text = run.sourceText(cond.at());
    run.expectation(s.at(), text, held, detail);
    if (!held) {
      String message;
      if (s.message().isPresent()) {
        message = Values.show(eval(s.message().get()));
      } else {
        message = "expected " + text + (detail.isEmpty() ? "" : " (" + detail + ")");
      }
      throw new ExpectFailed(s.at(), message);
    }
    return null;
  }

  @Override
  public Void visitRecord(Stmt.Record s) {
    run.record(s.name(), eval(s.value()), s.at());
    return null;
  }

  @Override
  public Void visitLog(Stmt.Log s) {
    run.log(Values.show(eval(s.message())), s.at());
    return null;
  }

  @Override
  public Void visitAbort(Stmt.Abort s) {
    if (planning != null) {
      planning.abort(s);
      return null;
    }
    throw aborted(s);
  }

  /** Builds the {@link Aborted} an abort statement raises; guards reuse it for their breach. */
  public Aborted aborted(Stmt.Abort s) {
    Object sev = eval(s.severity());
    if (!(sev instanceof Severity severity)) {
      throw EvalError.at(s.severity().at(), "'abort' needs a severity P1..P4, got " + describe(sev), null);
    }
    String reason = s.reason().map(r -> Values.show(eval(r))).orElse(severity.meaning());
    return new Aborted(severity, reason, s.at());
  }

  @Override
  public Void visitRevert(Stmt.Revert s) {
    if (planning != null) {
      planning.revert(s);
      return null;
    }
    if (s.target().isEmpty()) {
      run.faults().revertAll(run.callContext(s.at()));
      return null;
    }
    Object target = eval(s.target().get());
    List<?> handles = target instanceof List<?> list ? list : List.of(target == null ? Literals.NULL : target);
    for (Object h : handles) {
      if (!(h instanceof ActiveFault fault)) {
        throw EvalError.at(s.target().get().at(), "'revert' needs a fault from 'inject', got " + describe(Literals.unwrap(h)),
            "write 'let f = inject …' and then 'revert f', or 'revert all'");
      }
      run.faults().revert(fault, run.callContext(s.at()));
    }
    return null;
  }

  @Override
  public Void visitRollback(Stmt.Rollback s) {
    Environment scope = env;
    run.currentScope().addRollback(() -> executeBlock(s.body(), scope.child()));
    return null;
  }

  @Override
  public Void visitReturn(Stmt.Return s) {
    throw new ReturnSignal(s.value().map(this::eval).orElse(null));
  }

  @Override
  public Void visitNested(Stmt.Nested s) {
    executeBlock(s.block(), env.child());
    return null;
  }

  // declarations

  @Override
  public Void visitDescription(Decl.Description d) {
    return null;
  }

  @Override
  public Void visitImport(Decl.Import d) {
    Playbook lib = run.library(d);
    for (Stmt s : lib.body()) execute(s);
    return null;
  }

  @Override
  public Void visitHook(Decl.Hook d) {
    return null; // loaded with the playbook, before the run; its functions are host functions
  }

  @Override
  public Void visitParam(Decl.Param d) {
    return null; // bound before the run starts, from defaults and -p
  }

  @Override
  public Void visitProfile(Decl.Profile d) {
    return null; // the selected profile is bound before the run starts
  }

  @Override
  public Void visitFn(Decl.Fn d) {
    env.define(d.name(), new FnValue(d, env, this));
    return null;
  }

  @Override
  public Void visitGuard(Decl.Guard d) {
    // Rationale: a guard's condition probes the world; a dry run lists guards from the playbook instead.
    if (planning != null) return null;
    run.declareGuard(d, env);
    return null;
  }

  @Override
  public Void visitScenario(Decl.Scenario d) {
    run.declareScenario(d);
    return null;
  }

  @Override
  public Void visitStep(Decl.Step d) {
    run.runStep(d, env, this);
    return null;
  }

  @Override
  public Void visitSetting(Decl.Setting d) {
    return null; // read by the run before it starts
  }

  // ------------------------------------------------------------ expressions

  @Override
  public Object visitNumber(Expr.Number e) {
    return e.value() instanceof Long l ? (Object) l : (Object) e.value().doubleValue();
  }

  @Override
  public Object visitQuantity(Expr.Quantity e) {
    try {
      return Literals.quantity(e.amount(), e.unit());
    } catch (ArithmeticException ex) {
      throw EvalError.at(e.at(), "quantity out of range", null);
    }
  }

  @Override
  public Object visitStr(Expr.Str e) {
    return e.value();
  }

  @Override
  public Object visitInterpolated(Expr.Interpolated e) {
    StringBuilder b = new StringBuilder();
    Planned inside = null;
    for (Expr part : e.parts()) {
      Object v = eval(part);
      if (inside == null) inside = Planned.in(v);
      b.append(Values.show(v));
    }
    // A dry run: the text can be shown, but it is no real string (no URL a probe could fetch).
    return inside == null ? b.toString() : Planned.string(b.toString(), inside);
  }

  @Override
  public Object visitBool(Expr.Bool e) {
    return e.value();
  }

  @Override
  public Object visitNull(Expr.Null e) {
    return null;
  }

  @Override
  public Object visitSeverity(Expr.Severity e) {
    return Severity.of(e.level());
  }

  @Override
  public Object visitListLit(Expr.ListLit e) {
    List<Object> items = new ArrayList<>(e.items().size());
    for (Expr item : e.items()) items.add(eval(item));
    return Collections.unmodifiableList(items);
  }

  @Override
  public Object visitMapLit(Expr.MapLit e) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (var entry : e.entries()) map.put(entry.key(), eval(entry.value()));
    return Collections.unmodifiableMap(map);
  }

  @Override
  public Object visitName(Expr.Name e) {
    Optional<Object> v = env.lookup(e.name());
    if (v.isPresent()) return Literals.unwrap(v.get());
    Optional<HostRegistry.Bound> fn = registry.function(e.name());
    if (fn.isPresent()) return new HostCall(fn.get().signature(), fn.get().receiver());
    if (registry.isNamespace(e.name())) return new Namespace(e.name());
    java.util.Set<String> names = new java.util.TreeSet<>(env.names());
    names.addAll(registry.globalNames());
    throw EvalError.at(e.at(), "unknown name '" + e.name() + "'", Suggest.didYouMean(e.name(), names));
  }

  @Override
  public Object visitMember(Expr.Member e) {
    boolean mayInject = injecting;
    injecting = false;
    Object target = eval(e.target());
    injecting = mayInject;
    try {
      return member(e, target, false);
    } finally {
      injecting = false;
    }
  }

  /** Reads {@code target.name}; with {@code forCall} a method is returned unbound to its arguments. */
  private Object member(Expr.Member e, Object target, boolean forCall) {
    if (target instanceof Planned p) return p.derived(run.sourceText(CallText.extent(e)));
    String name = e.name();
    // A global function may also name a namespace ('postgres(url)' and 'postgres.local()').
    if (target instanceof HostCall hc && hc.receiver() instanceof dev.faultline.host.Library
        && registry.isNamespace(hc.signature().name())) {
      target = new Namespace(hc.signature().name());
    }
    if (target instanceof Map<?, ?> map) {
      if (map.containsKey(name)) return map.get(name);
      List<String> keys = map.keySet().stream().map(Object::toString).toList();
      throw EvalError.at(e.at(), "no key '" + name + "' in this map",
          Optional.ofNullable(Suggest.didYouMean(name, keys)).orElse(keys.isEmpty() ? "the map is empty" : "keys are " + String.join(", ", keys)));
    }
    if (target instanceof Namespace ns) {
      String qualified = ns.prefix() + "." + name;
      Optional<HostRegistry.Bound> fn = registry.function(qualified);
      if (fn.isPresent()) {
        HostCall call = new HostCall(fn.get().signature(), fn.get().receiver());
        return forCall ? call : property(e, call);
      }
      if (registry.isNamespace(qualified)) return new Namespace(qualified);
      throw EvalError.at(e.at(), "'" + ns.prefix() + "' has no member '" + name + "'",
          Suggest.didYouMean(name, registry.membersOf(ns.prefix())));
    }
    if (target instanceof HostValue || target instanceof ActiveFault) {
      HostTypeInfo info = HostRegistry.typeInfo(target.getClass());
      Signature sig = info == null ? null : info.members().get(name);
      if (sig == null) {
        throw EvalError.at(e.at(), Values.typeOf(target) + " has no member '" + name + "'",
            info == null ? null : Optional.ofNullable(Suggest.didYouMean(name, info.members().keySet()))
                .orElse("members are " + String.join(", ", new java.util.TreeSet<>(info.members().keySet()))));
      }
      HostCall call = new HostCall(sig, target);
      return forCall ? call : property(e, call);
    }
    throw EvalError.at(e.at(), (target == null ? "null" : Values.typeOf(target)) + " has no member '" + name + "'",
        target == null ? "the value before '.' is null" : null);
  }

  /** A member read without parentheses: called when all its parameters have defaults. */
  private Object property(Expr.Member e, HostCall call) {
    if (call.signature().isInjector() && !injecting) {
      throw EvalError.at(e.at(), "'" + e.name() + "' is an injector", "use it with inject: 'inject " + run.sourceText(e.at()) + "'");
    }
    injecting = false;
    if (call.signature().requiredCount() > 0) {
      throw EvalError.at(e.at(), "'" + e.name() + "' needs arguments", "usage: " + call.signature().synopsis());
    }
    return invoke(e.at(), e, call, List.of(), Map.of());
  }

  @Override
  public Object visitIndex(Expr.Index e) {
    Object target = eval(e.target());
    Object index = eval(e.index());
    if (target instanceof Planned || index instanceof Planned) return planned(e);
    if (target instanceof List<?> list) {
      if (!(index instanceof Long i)) throw EvalError.at(e.index().at(), "a list index must be a whole number, got " + describe(index), null);
      long at = i < 0 ? list.size() + i : i;
      if (at < 0 || at >= list.size()) {
        throw EvalError.at(e.index().at(), "index " + i + " is out of range for a list of " + list.size(), null);
      }
      return list.get((int) at);
    }
    if (target instanceof Map<?, ?> map) {
      if (!(index instanceof String key)) throw EvalError.at(e.index().at(), "a map key must be a string, got " + describe(index), null);
      if (!map.containsKey(key)) {
        throw EvalError.at(e.index().at(), "no key \"" + key + "\" in this map",
            Suggest.didYouMean(key, map.keySet().stream().map(Object::toString).toList()));
      }
      return map.get(key);
    }
    if (target instanceof String s && index instanceof Long i) {
      if (i < 0 || i >= s.length()) throw EvalError.at(e.index().at(), "index " + i + " is out of range for a string of " + s.length(), null);
      return String.valueOf(s.charAt(i.intValue()));
    }
    throw EvalError.at(e.at(), "cannot index " + Values.typeOf(target), null);
  }

  @Override
  public Object visitCall(Expr.Call e) {
    // Only the call that 'inject' names may be an injector; nested calls (its target, its
    // arguments) are evaluated with the flag cleared.
    boolean mayInject = injecting;
    injecting = false;
    Object callee = e.callee() instanceof Expr.Member m ? member(m, eval(m.target()), true) : eval(e.callee());
    if (callee instanceof Planned p) {
      for (Expr.Call.Arg a : e.args()) eval(a.value());  // they may hold calls a dry run lists
      return p.derived(run.sourceText(e.at()));
    }
    if (!(callee instanceof Function fn)) {
      throw EvalError.at(e.callee().at(), describe(callee) + " is not a function", null);
    }
    if (fn instanceof HostCall hc && hc.signature().isInjector() && !mayInject) {
      throw EvalError.at(e.at(), "'" + hc.name() + "' is an injector", "use it with inject: 'inject " + run.sourceText(e.at()) + "'");
    }
    List<Object> positional = new ArrayList<>();
    Map<String, Object> named = new LinkedHashMap<>();
    for (Expr.Call.Arg a : e.args()) {
      Object v = eval(a.value());
      if (a.name().isPresent()) {
        if (named.containsKey(a.name().get())) throw EvalError.at(a.at(), "argument '" + a.name().get() + "' is given twice", null);
        named.put(a.name().get(), v);
      } else {
        if (!named.isEmpty()) throw EvalError.at(a.at(), "a positional argument after a named one", "put positional arguments first");
        positional.add(v);
      }
    }
    return invoke(e.at(), e, fn, positional, named);
  }

  /** Set by {@code inject} for the call it evaluates, so that injectors are refused anywhere else. */
  private boolean injecting;

  /** Calls {@code fn} for the expression {@code site} (a call, or a member read as a property). */
  private Object invoke(Position at, Expr site, Function fn, List<Object> positional, Map<String, Object> named) {
    if (planning != null) {
      Object instead = planning.instead(at, site, fn, positional, named);
      if (instead != null) return instead;
    }
    try {
      if (fn instanceof FnValue f) return f.call(this, positional, named); // on this thread's evaluator
      return fn.call(positional, named, run.callContext(at));
    } catch (HostError err) {
      Diagnostic d = Diagnostic.error(at, err.getMessage());
      if (err.help() != null) d = d.withHelp(err.help());
      throw new EvalError(d, err.debugDetail());
    } catch (PlaybookError | Interrupted | ExpectFailed | Aborted | ReturnSignal passThrough) {
      throw passThrough;
    } catch (StackOverflowError deep) {
      throw EvalError.at(at, "calls nested too deeply in '" + fn.name() + "'", null);
    } catch (RuntimeException bug) {
      // A host function that throws anything but HostError has a bug; the step fails, the run goes on.
      throw new EvalError(Diagnostic.error(at, "internal error in " + fn.name() + "(): " + messageOf(bug))
          .withHelp("this is a bug in that function; rerun with --debug for the Java stack trace"), bug);
    }
  }

  @Override
  public Object visitUnary(Expr.Unary e) {
    if (e.op().equals("not")) {
      Object c = test(e.operand(), "not");
      return c instanceof Planned ? planned(e) : (Object) !(Boolean) c;
    }
    Object operand = eval(e.operand());
    if (operand instanceof Planned) return planned(e);
    try {
      return Arithmetic.negate(operand);
    } catch (ArithmeticError err) {
      throw EvalError.at(e.at(), err.getMessage(), err.help());
    }
  }

  @Override
  public Object visitBinary(Expr.Binary e) {
    if (e.op() == BinaryOp.AND || e.op() == BinaryOp.OR) return logic(e);
    Object l = eval(e.left());
    Object r = eval(e.right());
    if (l instanceof Planned || r instanceof Planned) return planned(e);
    return apply(e, l, r);
  }

  /**
   * {@code and} / {@code or}, evaluated left to right and only as far as needed. In a dry run a side
   * may be unknown (a {@link Planned}): {@code false and ?} is still false, {@code true or ?} true.
   */
  private Object logic(Expr.Binary e) {
    boolean and = e.op() == BinaryOp.AND;
    String where = e.op().symbol();
    Object l = test(e.left(), where);
    if (l instanceof Boolean b && b != and) return b;
    Object r = test(e.right(), where);
    if (r instanceof Boolean b && b != and) return b;
    return l instanceof Planned || r instanceof Planned ? planned(e) : (Object) and;
  }

  Object apply(Expr.Binary e, Object l, Object r) {
    try {
      return Arithmetic.binary(e.op(), l, r);
    } catch (ArithmeticError err) {
      throw EvalError.at(e.at(), err.getMessage(), err.help());
    }
  }

  @Override
  public Object visitWithin(Expr.Within e) {
    Object value = eval(e.value());
    Object target = eval(e.target());
    Object tolerance = eval(e.tolerance());
    if (value instanceof Planned || target instanceof Planned || tolerance instanceof Planned) return planned(e);
    return within(e, value, target, tolerance);
  }

  boolean within(Expr.Within e, Object value, Object target, Object tolerance) {
    try {
      return e.relative() ? Arithmetic.withinRelative(value, target, tolerance)
          : Arithmetic.withinAbsolute(value, target, tolerance);
    } catch (ArithmeticError err) {
      throw EvalError.at(e.at(), err.getMessage(), err.help());
    }
  }

  @Override
  public Object visitAwait(Expr.Await e) {
    if (planning != null) return planning.await(e);
    Duration limit = duration(e.within(), "await … within");
    Duration every = e.every().isPresent() ? duration(e.every().get(), "await … every") : DEFAULT_AWAIT_EVERY;
    if (every.isZero() || every.isNegative()) throw EvalError.at(e.every().get().at(), "'every' needs a positive duration", null);
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    Object last;
    while (true) {
      last = eval(e.condition());
      long now = System.nanoTime();
      if (!(last instanceof Boolean)) {
        throw EvalError.at(e.condition().at(), "'await' needs a condition that is true or false, got " + describe(last), null);
      }
      if ((Boolean) last) {
        run.awaited(e.at(), run.sourceText(e.condition().at()), start, now);
        return Duration.ofNanos(now - start);
      }
      if (now >= deadline) {
        throw new ExpectFailed(e.at(), run.sourceText(e.condition().at()) + " did not become true within " + Values.show(limit));
      }
      long pause = Math.min(every.toNanos(), deadline - now);
      run.cancellation().sleep(Duration.ofNanos(pause));
    }
  }

  @Override
  public Object visitMeasure(Expr.Measure e) {
    if (planning != null) return planning.measure(e);
    long start = System.nanoTime();
    executeBlock(e.body(), env.child());
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public Object visitInject(Expr.Inject e) {
    Object value;
    injecting = e.fault() instanceof Expr.Call || e.fault() instanceof Expr.Member;
    try {
      value = eval(e.fault());
    } finally {
      injecting = false;
    }
    if (planning != null) return planning.inject(e, value);
    if (!(value instanceof Fault fault)) {
      throw EvalError.at(e.fault().at(), "'inject' needs a fault, got " + describe(value),
          "call an injector, e.g. 'inject link.latency(500ms)'");
    }
    Optional<Duration> forDuration = e.duration().map(d -> duration(d, "inject … for"));
    ActiveFault handle;
    try {
      handle = run.faults().inject(fault, run.currentScope(), run.callContext(e.at()));
    } catch (PlaybookError | Interrupted | ExpectFailed | Aborted passThrough) {
      throw passThrough;
    } catch (HostError err) {
      throw new EvalError(err.help() == null ? Diagnostic.error(e.at(), "could not inject " + fault.describe() + ": " + err.getMessage())
          : Diagnostic.error(e.at(), "could not inject " + fault.describe() + ": " + err.getMessage()).withHelp(err.help()));
    } catch (Exception ex) {
      throw new EvalError(Diagnostic.error(e.at(), "could not inject " + fault.describe() + ": " + messageOf(ex)), ex);
    }
    forDuration.ifPresent(d -> run.timers().schedule(
        () -> run.faults().revert(handle, run.callContext(e.at())), d.toNanos(), TimeUnit.NANOSECONDS));
    return handle;
  }

  // ------------------------------------------------------------ helpers

  private boolean condition(Expr e, String where) {
    Object v = eval(e);
    if (v instanceof Boolean b) return b;
    throw EvalError.at(e.at(), "'" + where + "' needs a condition that is true or false, got " + describe(v), null);
  }

  /** A condition's value: true, false, or in a dry run a {@link Planned} when it cannot be known. */
  Object test(Expr e, String where) {
    Object v = eval(e);
    if (v instanceof Boolean || v instanceof Planned) return v;
    throw EvalError.at(e.at(), "'" + where + "' needs a condition that is true or false, got " + describe(v), null);
  }

  /** A placeholder for an expression that uses one: its text is the expression as written. */
  Planned planned(Expr e) {
    return Planned.of(run.sourceText(CallText.extent(e)));
  }

  private Duration duration(Expr e, String where) {
    return durationOf(eval(e), e, where);
  }

  /** {@code v}, the value of {@code e}, as a duration at least zero, or the error {@code where} gives. */
  Duration durationOf(Object v, Expr e, String where) {
    if (v instanceof Duration d) {
      if (d.isNegative()) throw EvalError.at(e.at(), "'" + where + "' needs a positive duration, got " + Values.show(d), null);
      return d;
    }
    throw EvalError.at(e.at(), "'" + where + "' needs a duration, got " + describe(v),
        Values.isNumber(v) ? "give it a unit, e.g. " + Values.show(v) + "s" : null);
  }

  static String describe(Object v) {
    return v == null ? "null" : Values.typeOf(v) + " (" + Values.showNested(v) + ")";
  }

  private static String messageOf(Throwable t) {
    return t.getMessage() != null ? t.getClass().getSimpleName() + ": " + t.getMessage() : t.getClass().getSimpleName();
  }
}
