package dev.faultline.guard;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Expr;
import dev.faultline.eval.Aborted;
import dev.faultline.eval.Arithmetic;
import dev.faultline.eval.ArithmeticError;
import dev.faultline.eval.Environment;
import dev.faultline.eval.Evaluator;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.Optional;

/**
 * One declared guard, ready to be checked: its declaration, its interval and an {@link Evaluator}
 * of its own over the environment it was declared in. Confined to the monitor thread (its
 * evaluator is not thread-safe), except {@link #checks()}.
 */
public final class Guard {
  /**
   * Rationale: a condition checked more often mostly measures itself, and its probes load the
   * system under test; 100 ms already reacts far faster than a person can.
   */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  /** The outcome of one check: whether it held, what was seen, or why it failed. */
  record Check(boolean held, String value, Optional<String> threshold, Optional<String> error) {}

  private final Decl.Guard decl;
  private final Duration every;
  private final Environment env;
  private final Evaluator evaluator;
  private final GuardContext context;
  private volatile long checks;
  /** The outcome of the latest check, or null before the first. */
  private volatile Check last;

  Guard(Decl.Guard decl, Duration every, Environment env, Evaluator evaluator, GuardContext context) {
    this.decl = decl;
    this.every = every;
    this.env = env;
    this.evaluator = evaluator;
    this.context = context;
  }

  public String name() {
    return decl.name();
  }

  public Duration every() {
    return every;
  }

  public Decl.Guard decl() {
    return decl;
  }

  /** How many times the condition was checked. */
  public long checks() {
    return checks;
  }

  /** Whether the latest check held; empty before the first check. */
  public Optional<Boolean> lastHeld() {
    Check c = last;
    return c == null ? Optional.empty() : Optional.of(c.held());
  }

  /** What the latest check saw (for a comparison, its left operand), or its error; empty before the first. */
  public Optional<String> lastValue() {
    Check c = last;
    return c == null ? Optional.empty() : Optional.of(c.error().map(e -> "error: " + e).orElse(c.value()));
  }

  /** The threshold the latest check compared against (a comparison's right operand), if any. */
  public Optional<String> lastThreshold() {
    Check c = last;
    return c == null ? Optional.empty() : c.threshold();
  }

  /** The condition as the playbook writes it, from its first character to its last. */
  public String conditionText() {
    Expr cond = decl.condition();
    Position end = cond.at();
    Position start = leftmost(cond);
    if (start.file().equals(end.file()) && start.line() == end.line() && start.column() <= end.column()) {
      return context.sourceText(new Position(end.file(), end.line(), start.column(), end.column() + end.length() - start.column()));
    }
    return context.sourceText(end);
  }

  /**
   * Where an expression starts: a member access or a call is placed at its name, so that
   * {@code http.get(url).ok} would otherwise read as {@code ok}.
   */
  private static Position leftmost(Expr e) {
    while (true) {
      if (e instanceof Expr.Member m) e = m.target();
      else if (e instanceof Expr.Call c) e = c.callee();
      else if (e instanceof Expr.Index i) e = i.target();
      else if (e instanceof Expr.Binary b) e = b.left();
      else return e.at();
    }
  }

  /**
   * Evaluates the condition once. A comparison is evaluated operand by operand, so that a breach
   * can show the value seen and the threshold; each operand is evaluated once. Never throws: a
   * condition that fails (an unknown key, a probe that cannot connect, a value that is not true or
   * false) is a check that did not hold, with its error.
   * Rationale: a guard that cannot tell whether the system is healthy must not let the experiment go on.
   */
  Check check() {
    Check c = evaluate();
    last = c;
    return c;
  }

  private Check evaluate() {
    checks++;
    Expr cond = decl.condition();
    try {
      if (cond instanceof Expr.Binary b && b.op().isComparison()) {
        Object l = evaluator.eval(b.left(), env);
        Object r = evaluator.eval(b.right(), env);
        Object v;
        try {
          v = Arithmetic.binary(b.op(), l, r);
        } catch (ArithmeticError e) {
          return failed(e.getMessage());
        }
        return new Check(Boolean.TRUE.equals(v), Values.showNested(l), Optional.of(Values.showNested(r)), Optional.empty());
      }
      Object v = evaluator.eval(cond, env);
      if (!(v instanceof Boolean held)) {
        return failed("the condition gave " + (v == null ? "null" : Values.typeOf(v) + " (" + Values.showNested(v) + ")")
            + ", not true or false");
      }
      return new Check(held, Values.show(v), Optional.empty(), Optional.empty());
    } catch (PlaybookError e) {
      return failed(e.first().message());
    } catch (Aborted e) {
      return failed("'abort' inside the condition: " + e.getMessage());
    } catch (RuntimeException e) {
      return failed(e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getClass().getSimpleName());
    } catch (StackOverflowError e) {
      return failed("calls nested too deeply");
    }
  }

  private static Check failed(String why) {
    return new Check(false, "error", Optional.empty(), Optional.of(why));
  }

  /**
   * The abort a breach of this guard makes, as far as it is known without evaluating its reason:
   * the severity of its {@code else abort} (P1 if that cannot be evaluated) and a message from the
   * condition. Used until the reverts are done. Rationale: a reason may call a probe, and nothing
   * may delay the reverts of a breach.
   */
  Aborted provisionalAbort(Check seen) {
    Severity severity = Severity.P1;
    try {
      if (evaluator.eval(decl.onBreach().severity(), env) instanceof Severity s) severity = s;
    } catch (RuntimeException e) {
      // A severity that cannot be computed must not hide the breach: P1.
    }
    return message(severity, null, seen);
  }

  /**
   * The abort a breach of this guard makes: the severity and reason its {@code else abort} gives,
   * placed at that {@code abort}. The message names the guard and what was seen. Evaluated after
   * the reverts.
   */
  Aborted abort(Check seen) {
    Severity severity = Severity.P1;
    String reason = null;
    try {
      Aborted a = evaluator.aborted(decl.onBreach());
      severity = a.severity();
      if (decl.onBreach().reason().isPresent()) reason = a.getMessage();
    } catch (RuntimeException e) {
      // A reason that cannot be computed must not hide the breach: P1 and the condition instead.
    }
    return message(severity, reason, seen);
  }

  private Aborted message(Severity severity, String reason, Check seen) {
    Position at = decl.onBreach().at();
    StringBuilder m = new StringBuilder("guard \"").append(name()).append("\" breached: ");
    if (reason == null && seen.error().isPresent()) return new Aborted(severity, m + "its condition failed: " + seen.error().get(), at);
    m.append(reason != null ? reason : conditionText() + " does not hold");
    if (seen.error().isPresent()) m.append(" (its condition failed: ").append(seen.error().get()).append(')');
    else if (seen.threshold().isPresent()) m.append(" (value ").append(seen.value()).append(", threshold ").append(seen.threshold().get()).append(')');
    return new Aborted(severity, m.toString(), at);
  }
}
