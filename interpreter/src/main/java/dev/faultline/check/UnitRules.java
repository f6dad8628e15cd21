package dev.faultline.check;

import dev.faultline.ast.BinaryOp;
import dev.faultline.eval.Arithmetic;
import dev.faultline.eval.ArithmeticError;
import dev.faultline.host.Conversions;
import dev.faultline.host.HostError;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The evaluator's unit table seen statically: each question is put to {@link Arithmetic} or
 * {@link Conversions} with {@link StaticType#samples()} standing in for the operands, so the checker
 * refuses exactly what the evaluator would refuse, with the evaluator's words. Stateless.
 */
final class UnitRules {
  private UnitRules() {}

  /** A type, or the problem the runtime would report (message and optional help). */
  record Outcome(StaticType type, String error, String help) {
    static Outcome ok(StaticType t) {
      return new Outcome(t, null, null);
    }

    boolean failed() {
      return error != null;
    }
  }

  /** {@code l op r} for the arithmetic and comparison operators; {@code and}/{@code or} are conditions. */
  static Outcome binary(BinaryOp op, StaticType l, StaticType r) {
    if (op == BinaryOp.EQ || op == BinaryOp.NE) return Outcome.ok(StaticType.BOOL);
    List<Object> ls = l.samples();
    List<Object> rs = r.samples();
    if (ls.isEmpty() || rs.isEmpty()) {
      // One side is unknown: only what holds whatever it is.
      if (op.isComparison()) return Outcome.ok(StaticType.BOOL);
      if (op == BinaryOp.ADD && (l.is(StaticType.Kind.STRING) || r.is(StaticType.Kind.STRING))) {
        return Outcome.ok(StaticType.STRING);
      }
      return Outcome.ok(StaticType.UNKNOWN);
    }
    StaticType result = null;
    ArithmeticError refused = null;
    for (Object a : ls) {
      for (Object b : rs) {
        try {
          result = StaticType.join(result, StaticType.ofValue(Arithmetic.binary(op, a, b)));
        } catch (ArithmeticError e) {
          refused = e;
        }
      }
    }
    if (result == null) return new Outcome(StaticType.UNKNOWN, refused.getMessage(), refused.help());
    // 7 / 2 is 3.5 but 6 / 2 is 3: whole division stays whole only when it comes out even.
    if (op == BinaryOp.DIV && l.is(StaticType.Kind.INT) && r.is(StaticType.Kind.INT)) return Outcome.ok(StaticType.NUMBER);
    return Outcome.ok(result);
  }

  /** {@code -x}. */
  static Outcome negate(StaticType t) {
    StaticType result = null;
    ArithmeticError refused = null;
    for (Object v : t.samples()) {
      try {
        result = StaticType.join(result, StaticType.ofValue(Arithmetic.negate(v)));
      } catch (ArithmeticError e) {
        refused = e;
      }
    }
    if (result == null && refused != null) return new Outcome(StaticType.UNKNOWN, refused.getMessage(), refused.help());
    return Outcome.ok(result == null ? StaticType.UNKNOWN : result);
  }

  /** {@code value within target ± tolerance} and {@code value within share of reference}. */
  static Outcome within(boolean relative, StaticType value, StaticType target, StaticType tolerance) {
    if (relative && tolerance.isKnown() && !tolerance.is(StaticType.Kind.PERCENT)) {
      // Checked first at run time too, whatever the other operands are.
      return new Outcome(StaticType.BOOL, "'within … of' needs a percentage, got " + tolerance.word(),
          "write e.g. 'latency within 10% of baseline'");
    }
    List<Object> vs = value.samples();
    List<Object> ts = target.samples();
    List<Object> tols = tolerance.samples();
    if (vs.isEmpty() || ts.isEmpty() || tols.isEmpty()) return Outcome.ok(StaticType.BOOL);
    ArithmeticError refused = null;
    for (Object v : vs) {
      for (Object t : ts) {
        for (Object tol : tols) {
          try {
            if (relative) Arithmetic.withinRelative(v, t, tol);
            else Arithmetic.withinAbsolute(v, t, tol);
            return Outcome.ok(StaticType.BOOL);
          } catch (ArithmeticError e) {
            refused = e;
          }
        }
      }
    }
    return new Outcome(StaticType.BOOL, refused.getMessage(), refused.help());
  }

  /**
   * Whether a host function may accept a value of {@code t} (the value itself when {@code constant}
   * is not null) for a parameter declared as {@code param}: false only when
   * {@code Conversions.toJava} would refuse every value of it.
   */
  static boolean accepts(StaticType t, Object constant, Class<?> param) {
    if (param == Object.class || !t.isKnown()) return true;
    // A constant is its own best sample: 5.5 is refused where an int is declared, 5.0 is not.
    List<Object> samples = constant != null ? List.of(constant) : t.samples();
    if (!samples.isEmpty()) {
      for (Object sample : samples) {
        try {
          Conversions.toJava(sample, param, "f", "p");
          return true;
        } catch (HostError refused) {
          // try the next stand-in
        }
      }
      return false;
    }
    Class<?> actual = switch (t.kind) {
      case HOST -> t.hostClass;
      case FAULT -> dev.faultline.fault.Fault.class;
      case NAMESPACE -> dev.faultline.eval.Namespace.class;
      default -> null;
    };
    if (actual == null) return true;
    if (param.isAssignableFrom(actual) || actual.isAssignableFrom(param)) return true;
    if (isPlainValue(param)) return false;  // a host value is never a duration, a string, a number…
    // Unrelated classes: a subclass of a non-final class may still implement an interface parameter.
    return param.isInterface() && !Modifier.isFinal(actual.getModifiers());
  }

  private static boolean isPlainValue(Class<?> c) {
    return c.isPrimitive() || c == String.class || c == Long.class || c == Integer.class || c == Double.class
        || c == Boolean.class || c == Duration.class || c == Percent.class || c == ByteSize.class || c == Rate.class
        || c == Severity.class || List.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)
        || (HostValue.class.isAssignableFrom(c) && Modifier.isFinal(c.getModifiers()));
  }

  /** Help for a number given where a quantity is needed, as the runtime gives it. */
  static String unitHelp(StaticType got, Class<?> param) {
    boolean quantity = param == Duration.class || param == Percent.class || param == ByteSize.class || param == Rate.class;
    return got.isNumber() && quantity ? "give the number a unit, e.g. 500ms, 30%, 256MB or 50/s" : null;
  }
}
