package dev.faultline.check;

import dev.faultline.ast.BinaryOp;
import dev.faultline.ast.Decl;
import dev.faultline.ast.Expr;
import dev.faultline.eval.Literals;
import dev.faultline.fault.ActiveFault;
import dev.faultline.host.Conversions;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.HostTypeInfo;
import dev.faultline.host.OptionalModules;
import dev.faultline.host.Signature;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import dev.faultline.value.Function;
import dev.faultline.value.Values;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Types every expression and reports what is certainly wrong in it: unknown names and members,
 * calls that do not fit the function (arity, named arguments, argument types), injectors called
 * outside {@code inject}, units that do not mix, conditions that are not true or false. Each
 * message is the one the evaluator would give, found before anything runs.
 *
 * <p>Names resolve as the evaluator resolves them: the scopes first, then host functions, then
 * namespaces. Works on the {@link StmtChecker}'s current scope; confined to the checking thread.
 */
final class ExprChecker implements Expr.Visitor<StaticType> {
  private final StmtChecker stmts;
  private final Problems problems;
  private final HostRegistry registry;
  /** Told every host function call resolved here, for the permission check. */
  private final java.util.function.Consumer<CallSite> calls;

  ExprChecker(StmtChecker stmts, Problems problems, HostRegistry registry, java.util.function.Consumer<CallSite> calls) {
    this.stmts = stmts;
    this.problems = problems;
    this.registry = registry;
    this.calls = calls;
  }

  StaticType check(Expr e) {
    return e.accept(this);
  }

  private Scope scope() {
    return stmts.scope();
  }

  // ------------------------------------------------------------ what statements ask for

  /** An expression that must be true or false ({@code if}, {@code when}, {@code expect}, …). */
  StaticType condition(Expr e, String where) {
    StaticType t = check(e);
    // Rationale: only booleans are conditions at run time, so that a typo cannot read as false.
    if (t.isKnown() && !t.is(StaticType.Kind.BOOL)) {
      problems.error(extent(e), "'" + where + "' needs a condition that is true or false, got " + t.word());
    }
    return StaticType.BOOL;
  }

  /** An expression that must be a duration, at least zero (above zero when {@code positive}). */
  void duration(Expr e, String where, boolean positive) {
    StaticType t = check(e);
    if (t.isKnown() && !t.is(StaticType.Kind.DURATION)) {
      String help = null;
      if (t.isNumber()) help = "give it a unit, e.g. " + (e instanceof Expr.Number n ? Values.show(n.value()) : "5") + "s";
      problems.error(extent(e), "'" + where + "' needs a duration, got " + t.word(), help);
      return;
    }
    if (constant(e) instanceof Duration d && (d.isNegative() || positive && d.isZero())) {
      problems.error(e.at(), "'" + where + "' needs a positive duration, got " + Values.show(d));
    }
  }

  /** The value of a constant expression, or null; never throws (an out-of-range literal is no constant). */
  static Object constant(Expr e) {
    try {
      return Literals.constant(e).map(Literals::unwrap).orElse(null);
    } catch (ArithmeticException outOfRange) {
      return null;
    }
  }

  /**
   * The whole of an expression. A member's own position marks only its name (so that "no member"
   * points at it); this reaches back to the start of its target, without recursion.
   */
  static Position extent(Expr e) {
    if (!(e instanceof Expr.Member last)) return e.at();
    Expr first = last;
    while (first instanceof Expr.Member m) first = m.target();
    Position start = first.at();
    Position end = last.at();
    if (!start.file().equals(end.file()) || start.line() != end.line() || end.column() < start.column()) return end;
    return new Position(start.file(), start.line(), start.column(), end.column() + end.length() - start.column());
  }

  // ------------------------------------------------------------ literals

  @Override
  public StaticType visitNumber(Expr.Number e) {
    return e.value() instanceof Long ? StaticType.INT : StaticType.FLOAT;
  }

  @Override
  public StaticType visitQuantity(Expr.Quantity e) {
    try {
      Literals.quantity(e.amount(), e.unit());
    } catch (ArithmeticException outOfRange) {
      problems.error(e.at(), "quantity out of range");
    }
    return StaticType.ofUnit(e.unit());
  }

  @Override
  public StaticType visitStr(Expr.Str e) {
    return StaticType.STRING;
  }

  @Override
  public StaticType visitInterpolated(Expr.Interpolated e) {
    for (Expr part : e.parts()) check(part);
    return StaticType.STRING;
  }

  @Override
  public StaticType visitBool(Expr.Bool e) {
    return StaticType.BOOL;
  }

  @Override
  public StaticType visitNull(Expr.Null e) {
    return StaticType.NULL;
  }

  @Override
  public StaticType visitSeverity(Expr.Severity e) {
    return StaticType.SEVERITY;
  }

  @Override
  public StaticType visitListLit(Expr.ListLit e) {
    for (Expr item : e.items()) check(item);
    return StaticType.LIST;
  }

  @Override
  public StaticType visitMapLit(Expr.MapLit e) {
    Map<String, StaticType> keys = new LinkedHashMap<>();
    Map<String, Position> first = new HashMap<>();
    for (Expr.MapLit.Entry entry : e.entries()) {
      StaticType t = check(entry.value());
      if (first.containsKey(entry.key())) {
        // Rationale: the later value silently wins at run time; a repeated key is a slip.
        problems.add(Diagnostic.error(entry.at(), "key '" + entry.key() + "' is given twice in this map")
            .withNote("'" + entry.key() + "' is first given at " + first.get(entry.key())));
      } else {
        first.put(entry.key(), entry.at());
      }
      keys.put(entry.key(), t);
    }
    return StaticType.map(keys, null);
  }

  // ------------------------------------------------------------ names and members

  @Override
  public StaticType visitName(Expr.Name e) {
    Optional<Scope.Symbol> sym = scope().lookup(e.name());
    if (sym.isPresent()) return sym.get().type();
    Optional<HostRegistry.Bound> fn = registry.function(e.name());
    if (fn.isPresent()) return StaticType.host(fn.get().signature());
    if (registry.isNamespace(e.name())) return StaticType.namespace(e.name());
    unknownName(e.at(), e.name(), "name");
    return StaticType.UNKNOWN;
  }

  private void unknownName(Position at, String name, String what) {
    Optional<String> module = OptionalModules.moduleOf(name);
    if (module.isPresent()) {
      problems.add(Diagnostic.error(at, "'" + name + "' is not available: the " + module.get() + " module is not on the class path")
          .withLabel("not loaded").withHelp(OptionalModules.help(module.get())));
      return;
    }
    Set<String> visible = new TreeSet<>(scope().visibleNames());
    visible.addAll(registry.globalNames());
    problems.add(Diagnostic.error(at, "unknown " + what + " '" + name + "'").withLabel("not defined here")
        .withHelp(Problems.didYouMean(name, visible, null)));
  }

  @Override
  public StaticType visitMember(Expr.Member e) {
    return member(e, false, false);
  }

  /**
   * {@code target.name}. A host function read without parentheses is called at run time (a
   * property), so it then needs no required arguments; {@code forCall} leaves it uncalled.
   */
  private StaticType member(Expr.Member e, boolean forCall, boolean injecting) {
    StaticType t = check(e.target());
    String name = e.name();
    // A global function may also name a namespace ('postgres(url)' and 'postgres.local()').
    if (t.kind == StaticType.Kind.FUNCTION && t.signature != null && registry.isNamespace(t.signature.name())) {
      t = StaticType.namespace(t.signature.name());
    }
    switch (t.kind) {
      case MAP -> {
        if (t.keys == null) return StaticType.UNKNOWN;
        if (t.keys.containsKey(name)) return t.keys.get(name);
        String where = t.mapName == null ? "this map" : "profile value '" + t.mapName + "'";
        problems.add(Diagnostic.error(e.at(), "no key '" + name + "' in " + where).withLabel("unknown key")
            .withHelp(Problems.didYouMean(name, t.keys.keySet(),
                t.keys.isEmpty() ? "the map is empty" : "keys are " + String.join(", ", t.keys.keySet()))));
        return StaticType.UNKNOWN;
      }
      case NAMESPACE -> {
        String qualified = t.namespace + "." + name;
        Optional<HostRegistry.Bound> fn = registry.function(qualified);
        if (fn.isPresent()) {
          Signature sig = fn.get().signature();
          return forCall ? StaticType.host(sig) : property(e, sig, injecting);
        }
        if (registry.isNamespace(qualified)) return StaticType.namespace(qualified);
        problems.add(Diagnostic.error(e.at(), "'" + t.namespace + "' has no member '" + name + "'")
            .withLabel("unknown member")
            .withHelp(Problems.didYouMean(name, registry.membersOf(t.namespace),
                "members are " + String.join(", ", registry.membersOf(t.namespace)))));
        return StaticType.UNKNOWN;
      }
      case HOST -> {
        HostTypeInfo info = HostRegistry.typeInfo(t.hostClass);
        if (info == null) return StaticType.UNKNOWN;
        Signature sig = info.members().get(name);
        if (sig != null) return forCall ? StaticType.host(sig) : property(e, sig, injecting);
        int mods = t.hostClass.getModifiers();
        // A subclass of an abstract type may bring members of its own: say nothing then.
        if (Modifier.isAbstract(mods) || Modifier.isInterface(mods)) return StaticType.UNKNOWN;
        Set<String> members = new TreeSet<>(info.members().keySet());
        problems.add(Diagnostic.error(e.at(), t.word() + " has no member '" + name + "'").withLabel("unknown member")
            .withHelp(Problems.didYouMean(name, members,
                members.isEmpty() ? null : "members are " + String.join(", ", members))));
        return StaticType.UNKNOWN;
      }
      case UNKNOWN, FAULT -> {
        return StaticType.UNKNOWN;
      }
      case NULL -> {
        problems.error(e.at(), "null has no member '" + name + "'", "the value before '.' is null");
        return StaticType.UNKNOWN;
      }
      default -> {
        problems.error(e.at(), t.word() + " has no member '" + name + "'");
        return StaticType.UNKNOWN;
      }
    }
  }

  /** A host function read as a property: called with no arguments. */
  private StaticType property(Expr.Member e, Signature sig, boolean injecting) {
    calls.accept(new CallSite(e.at(), dev.faultline.eval.CallText.of(e), sig));
    if (sig.requiredCount() > 0) {
      problems.error(e.at(), "'" + e.name() + "' needs arguments", "usage: " + sig.synopsis());
    } else if (sig.isInjector() && !injecting) {
      injectorOutsideInject(e.at(), sig, e);
    }
    return StaticType.ofJava(sig.returnType());
  }

  private void injectorOutsideInject(Position at, Signature sig, Expr e) {
    // Rationale: a fault made outside 'inject' is never journalled nor reverted, so it may not exist.
    problems.add(Diagnostic.error(at, "'" + sig.simpleName() + "' is an injector").withLabel("called outside 'inject'")
        .withHelp("use it with inject: 'inject " + problems.text(extent(e)) + "'"));
  }

  @Override
  public StaticType visitIndex(Expr.Index e) {
    StaticType t = check(e.target());
    StaticType i = check(e.index());
    switch (t.kind) {
      case LIST -> {
        if (i.isKnown() && !i.is(StaticType.Kind.INT) && !i.is(StaticType.Kind.NUMBER)) {
          problems.error(e.index().at(), "a list index must be a whole number, got " + i.word());
        }
        return StaticType.UNKNOWN;
      }
      case MAP -> {
        if (i.isKnown() && !i.is(StaticType.Kind.STRING)) {
          problems.error(e.index().at(), "a map key must be a string, got " + i.word());
          return StaticType.UNKNOWN;
        }
        if (t.keys != null && e.index() instanceof Expr.Str key) {
          if (t.keys.containsKey(key.value())) return t.keys.get(key.value());
          problems.add(Diagnostic.error(e.index().at(), "no key \"" + key.value() + "\" in this map")
              .withLabel("unknown key")
              .withHelp(Problems.didYouMean(key.value(), t.keys.keySet(), null)));
        }
        return StaticType.UNKNOWN;
      }
      case STRING -> {
        if (i.isKnown() && !i.is(StaticType.Kind.INT) && !i.is(StaticType.Kind.NUMBER)) {
          problems.error(e.index().at(), "a string index must be a whole number, got " + i.word());
        }
        return StaticType.STRING;
      }
      case UNKNOWN, HOST, FAULT -> {
        return StaticType.UNKNOWN;
      }
      default -> {
        problems.error(e.at(), "cannot index " + t.word());
        return StaticType.UNKNOWN;
      }
    }
  }

  // ------------------------------------------------------------ calls

  @Override
  public StaticType visitCall(Expr.Call e) {
    return call(e, false);
  }

  /** A call; {@code injecting} when it is the call an {@code inject} names, the only place for an injector. */
  private StaticType call(Expr.Call e, boolean injecting) {
    StaticType callee;
    if (e.callee() instanceof Expr.Name n) {
      callee = calleeByName(n);
    } else if (e.callee() instanceof Expr.Member m) {
      callee = member(m, true, injecting);
    } else {
      callee = check(e.callee());
    }
    List<StaticType> argTypes = new ArrayList<>(e.args().size());
    for (Expr.Call.Arg a : e.args()) argTypes.add(check(a.value()));
    switch (callee.kind) {
      case FUNCTION -> {
        if (callee.signature != null) {
          Signature sig = callee.signature;
          calls.accept(new CallSite(e.at(), dev.faultline.eval.CallText.of(e), sig));
          if (sig.isInjector() && !injecting) injectorOutsideInject(e.at(), sig, e);
          List<Formal> formals = new ArrayList<>();
          for (Signature.Parameter p : sig.params()) formals.add(new Formal(p.name(), p.isRequired(), p.type()));
          arguments(e, sig.simpleName(), formals, "usage: " + sig.synopsis(), argTypes);
          return StaticType.ofJava(sig.returnType());
        }
        if (callee.fn != null) {
          List<Formal> formals = new ArrayList<>();
          for (Decl.Fn.Parameter p : callee.fn.params()) formals.add(new Formal(p.name(), p.byDefault().isEmpty(), null));
          arguments(e, callee.fn.name(), formals, "usage: " + synopsis(callee.fn), argTypes);
        }
        return StaticType.UNKNOWN;
      }
      case UNKNOWN, FAULT -> {
        return StaticType.UNKNOWN;
      }
      case HOST -> {
        if (!Function.class.isAssignableFrom(callee.hostClass)) {
          problems.error(e.callee().at(), callee.word() + " is not a function");
        }
        return StaticType.UNKNOWN;
      }
      case NAMESPACE -> {
        Set<String> members = registry.membersOf(callee.namespace);
        problems.error(e.callee().at(), "'" + callee.namespace + "' is a namespace, not a function",
            "its members are " + String.join(", ", members));
        return StaticType.UNKNOWN;
      }
      default -> {
        problems.error(e.callee().at(), callee.word() + " is not a function");
        return StaticType.UNKNOWN;
      }
    }
  }

  private StaticType calleeByName(Expr.Name n) {
    Optional<Scope.Symbol> sym = scope().lookup(n.name());
    if (sym.isPresent()) return sym.get().type();
    Optional<HostRegistry.Bound> fn = registry.function(n.name());
    if (fn.isPresent()) return StaticType.host(fn.get().signature());
    if (registry.isNamespace(n.name())) return StaticType.namespace(n.name());
    unknownName(n.at(), n.name(), "function");
    return StaticType.UNKNOWN;
  }

  /** One declared parameter; {@code type} is null for a playbook fn's (untyped) parameter. */
  private record Formal(String name, boolean required, Class<?> type) {}

  /**
   * Binds arguments to parameters as {@code HostCall} and {@code FnValue} do, reporting every
   * mismatch instead of the first: too many, unknown or repeated names, a positional after a
   * named one, missing required ones, and (for host functions) arguments of the wrong type.
   */
  private void arguments(Expr.Call e, String fn, List<Formal> formals, String usage, List<StaticType> argTypes) {
    List<String> names = formals.stream().map(Formal::name).toList();
    boolean[] given = new boolean[formals.size()];
    Map<String, Position> named = new HashMap<>();
    int positional = 0;
    boolean disordered = false;
    for (int i = 0; i < e.args().size(); i++) {
      Expr.Call.Arg a = e.args().get(i);
      int index;
      if (a.name().isPresent()) {
        String name = a.name().get();
        Position at = a.at().withLength(name.length());
        if (named.containsKey(name)) {
          problems.add(Diagnostic.error(at, "argument '" + name + "' is given twice").withLabel("given again")
              .withNote("'" + name + "' is first given at " + named.get(name)));
          continue;
        }
        named.put(name, at);
        index = names.indexOf(name);
        if (index < 0) {
          problems.add(Diagnostic.error(at, fn + "() has no parameter '" + name + "'").withLabel("unknown parameter")
              .withHelp(Problems.didYouMean(name, names, usage)));
          continue;
        }
        if (given[index]) {
          problems.add(Diagnostic.error(at, fn + "() got '" + name + "' twice").withLabel("already given by position")
              .withHelp(usage));
          continue;
        }
      } else {
        if (!named.isEmpty()) {
          problems.error(a.at(), "a positional argument after a named one", "put positional arguments first");
          disordered = true;
          continue;
        }
        index = positional++;
        if (index >= formals.size()) {
          if (index == formals.size()) {
            int count = (int) e.args().stream().filter(x -> x.name().isEmpty()).count();
            problems.add(Diagnostic.error(a.at(), fn + "() takes at most " + formals.size() + " argument"
                + (formals.size() == 1 ? "" : "s") + ", got " + count).withLabel("one too many").withHelp(usage));
          }
          continue;
        }
      }
      given[index] = true;
      Formal f = formals.get(index);
      StaticType got = argTypes.get(i);
      if (f.type() != null && !UnitRules.accepts(got, constant(a.value()), f.type())) {
        problems.add(Diagnostic.error(extent(a.value()), fn + "() expects " + Conversions.describe(f.type())
            + " for '" + f.name() + "', got " + got.word()).withHelp(UnitRules.unitHelp(got, f.type())));
      }
    }
    if (disordered) return;  // the positions are not what the writer meant; missing ones would mislead
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < formals.size(); i++) if (!given[i] && formals.get(i).required()) missing.add(formals.get(i).name());
    if (!missing.isEmpty()) {
      problems.add(Diagnostic.error(e.at(), fn + "() is missing argument" + (missing.size() == 1 ? " '" : "s '")
          + String.join("', '", missing) + "'").withHelp(usage));
    }
  }

  /** {@code probe(url, every = 1s)}, for help lines. */
  private String synopsis(Decl.Fn fn) {
    StringBuilder b = new StringBuilder(fn.name()).append('(');
    for (int i = 0; i < fn.params().size(); i++) {
      Decl.Fn.Parameter p = fn.params().get(i);
      if (i > 0) b.append(", ");
      b.append(p.name());
      p.byDefault().ifPresent(d -> b.append(" = ").append(problems.text(d.at())));
    }
    return b.append(')').toString();
  }

  // ------------------------------------------------------------ operators

  @Override
  public StaticType visitUnary(Expr.Unary e) {
    if (e.op().equals("not")) return condition(e.operand(), "not");
    UnitRules.Outcome o = UnitRules.negate(check(e.operand()));
    if (o.failed()) problems.error(e.at(), o.error(), o.help());
    return o.type();
  }

  @Override
  public StaticType visitBinary(Expr.Binary e) {
    if (e.op() == BinaryOp.AND || e.op() == BinaryOp.OR) {
      condition(e.left(), e.op().symbol());
      condition(e.right(), e.op().symbol());
      return StaticType.BOOL;
    }
    StaticType l = check(e.left());
    StaticType r = check(e.right());
    UnitRules.Outcome o = UnitRules.binary(e.op(), l, r);
    if (o.failed()) problems.error(e.at(), o.error(), o.help());
    return o.type();
  }

  @Override
  public StaticType visitWithin(Expr.Within e) {
    StaticType v = check(e.value());
    StaticType t = check(e.target());
    StaticType tol = check(e.tolerance());
    UnitRules.Outcome o = UnitRules.within(e.relative(), v, t, tol);
    boolean badShare = e.relative() && tol.isKnown() && !tol.is(StaticType.Kind.PERCENT);
    String help = o.help();
    if (help == null && !e.relative()) {
      help = "the value, the target and the tolerance must be of one kind, e.g. t within 500ms ± 100ms";
    }
    if (o.failed()) problems.error(badShare ? extent(e.tolerance()) : e.at(), o.error(), help);
    return StaticType.BOOL;
  }

  // ------------------------------------------------------------ the playbook's own expressions

  @Override
  public StaticType visitAwait(Expr.Await e) {
    condition(e.condition(), "await");
    duration(e.within(), "await … within", false);
    e.every().ifPresent(every -> duration(every, "await … every", true));
    return StaticType.DURATION;
  }

  @Override
  public StaticType visitMeasure(Expr.Measure e) {
    stmts.measure(e.body());
    return StaticType.DURATION;
  }

  @Override
  public StaticType visitInject(Expr.Inject e) {
    StaticType t;
    if (e.fault() instanceof Expr.Call c) t = call(c, true);
    else if (e.fault() instanceof Expr.Member m) t = member(m, false, true);
    else t = check(e.fault());
    if (t.isKnown() && !t.is(StaticType.Kind.FAULT)) {
      problems.error(extent(e.fault()), "'inject' needs a fault, got " + t.word(),
          "call an injector, e.g. 'inject link.latency(500ms)'");
    }
    e.duration().ifPresent(d -> duration(d, "inject … for", false));
    return StaticType.hostValue(ActiveFault.class);
  }
}
