package dev.faultline.eval;

import dev.faultline.ast.BinaryOp;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Operators over values with units. The table (docs/language.md, "Units") in one place:
 * <ul>
 *   <li>same unit ± same unit → that unit; numbers stay whole while both sides are whole;
 *   <li>quantity × number and number × quantity → quantity; quantity ÷ number → quantity;
 *   <li>quantity ÷ same quantity → number; number ÷ duration → rate; rate × duration → number;
 *   <li>percentage × duration, size or rate → that share of it ({@code 50% * 2s} is 1s);
 *   <li>string + anything → text; list + list → list;
 *   <li>comparisons only between the same kind; {@code ==} and {@code !=} between anything.
 * </ul>
 * Rationale: refusing {@code 500ms > 30%} catches the mistake that a unit-less language silently
 * turns into a wrong verdict. Stateless.
 */
public final class Arithmetic {
  private Arithmetic() {}

  public static Object binary(BinaryOp op, Object l, Object r) {
    return switch (op) {
      case ADD -> add(l, r);
      case SUB -> subtract(l, r);
      case MUL -> multiply(l, r);
      case DIV -> divide(l, r);
      case EQ -> Values.equal(l, r);
      case NE -> !Values.equal(l, r);
      case LT -> compare(op, l, r) < 0;
      case LE -> compare(op, l, r) <= 0;
      case GT -> compare(op, l, r) > 0;
      case GE -> compare(op, l, r) >= 0;
      case AND, OR -> throw new IllegalStateException("logical operators short-circuit in the evaluator");
    };
  }

  static Object add(Object l, Object r) {
    if (l instanceof String || r instanceof String) return Values.show(l) + Values.show(r);
    if (l instanceof Long a && r instanceof Long b) return exact(() -> Math.addExact(a, b));
    if (Values.isNumber(l) && Values.isNumber(r)) return num(l) + num(r);
    if (l instanceof Duration a && r instanceof Duration b) return exactD(() -> a.plus(b));
    if (l instanceof Percent a && r instanceof Percent b) return new Percent(a.points() + b.points());
    if (l instanceof ByteSize a && r instanceof ByteSize b) return new ByteSize(exact(() -> Math.addExact(a.bytes(), b.bytes())));
    if (l instanceof Rate a && r instanceof Rate b) return new Rate(a.perSecond() + b.perSecond());
    if (l instanceof List<?> a && r instanceof List<?> b) {
      List<Object> out = new ArrayList<>(a);
      out.addAll(b);
      return out;
    }
    throw cannot("add", l, r);
  }

  static Object subtract(Object l, Object r) {
    if (l instanceof Long a && r instanceof Long b) return exact(() -> Math.subtractExact(a, b));
    if (Values.isNumber(l) && Values.isNumber(r)) return num(l) - num(r);
    if (l instanceof Duration a && r instanceof Duration b) return exactD(() -> a.minus(b));
    if (l instanceof Percent a && r instanceof Percent b) return new Percent(a.points() - b.points());
    if (l instanceof ByteSize a && r instanceof ByteSize b) return new ByteSize(exact(() -> Math.subtractExact(a.bytes(), b.bytes())));
    if (l instanceof Rate a && r instanceof Rate b) return new Rate(a.perSecond() - b.perSecond());
    throw cannot("subtract", r, l, "from");
  }

  static Object multiply(Object l, Object r) {
    if (l instanceof Long a && r instanceof Long b) return exact(() -> Math.multiplyExact(a, b));
    if (Values.isNumber(l) && Values.isNumber(r)) return num(l) * num(r);
    if (Values.isNumber(l) && !Values.isNumber(r)) return multiply(r, l);
    if (l instanceof Duration a && Values.isNumber(r)) return scale(a, num(r));
    if (l instanceof Percent a && Values.isNumber(r)) return new Percent(a.points() * num(r));
    if (l instanceof ByteSize a && Values.isNumber(r)) return new ByteSize(Math.round(a.bytes() * num(r)));
    if (l instanceof Rate a && Values.isNumber(r)) return new Rate(a.perSecond() * num(r));
    if (l instanceof Percent p && !(r instanceof Percent)) return multiply(r, p.fraction());
    if (r instanceof Percent p && !(l instanceof Percent)) return multiply(l, p.fraction());
    if (l instanceof Rate a && r instanceof Duration d) return a.perSecond() * seconds(d);
    if (l instanceof Duration d && r instanceof Rate a) return a.perSecond() * seconds(d);
    throw cannot("multiply", l, r, "by");
  }

  static Object divide(Object l, Object r) {
    if (Values.isNumber(r) && num(r) == 0) throw new ArithmeticError("division by zero", null);
    if (l instanceof Long a && r instanceof Long b) {
      return a % b == 0 ? (Object) (a / b) : (Object) ((double) a / b);
    }
    if (Values.isNumber(l) && Values.isNumber(r)) return num(l) / num(r);
    if (l instanceof Duration a && Values.isNumber(r)) return scale(a, 1.0 / num(r));
    if (l instanceof Percent a && Values.isNumber(r)) return new Percent(a.points() / num(r));
    if (l instanceof ByteSize a && Values.isNumber(r)) return new ByteSize(Math.round(a.bytes() / num(r)));
    if (l instanceof Rate a && Values.isNumber(r)) return new Rate(a.perSecond() / num(r));
    if (l instanceof Duration a && r instanceof Duration b) return ratio(a.toNanos(), b.toNanos());
    if (l instanceof Percent a && r instanceof Percent b) return ratio(a.points(), b.points());
    if (l instanceof ByteSize a && r instanceof ByteSize b) return ratio(a.bytes(), b.bytes());
    if (l instanceof Rate a && r instanceof Rate b) return ratio(a.perSecond(), b.perSecond());
    if (Values.isNumber(l) && r instanceof Duration d) {
      if (d.isZero()) throw new ArithmeticError("division by a zero duration", null);
      return new Rate(num(l) / seconds(d));
    }
    throw cannot("divide", l, r, "by");
  }

  private static double ratio(double a, double b) {
    if (b == 0) throw new ArithmeticError("division by zero", null);
    return a / b;
  }

  public static Object negate(Object v) {
    if (v instanceof Long a) return exact(() -> Math.negateExact(a));
    if (v instanceof Double d) return -d;
    if (v instanceof Duration d) return d.negated();
    if (v instanceof Percent p) return new Percent(-p.points());
    if (v instanceof ByteSize s) return new ByteSize(-s.bytes());
    if (v instanceof Rate r) return new Rate(-r.perSecond());
    throw new ArithmeticError("cannot negate " + Values.typeOf(v), null);
  }

  /** Orders two values of the same kind; severities order P1 < P4 by level. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(BinaryOp op, Object l, Object r) {
    if (Values.isNumber(l) && Values.isNumber(r)) {
      if (l instanceof Long a && r instanceof Long b) return Long.compare(a, b);
      return Double.compare(num(l), num(r));
    }
    if (l != null && r != null && l.getClass() == r.getClass() && l instanceof Comparable c
        && (l instanceof Duration || l instanceof Percent || l instanceof ByteSize || l instanceof Rate
            || l instanceof String || l instanceof Severity)) {
      return c.compareTo(r);
    }
    throw new ArithmeticError("cannot compare " + Values.typeOf(l) + " with " + Values.typeOf(r) + " using '" + op.symbol() + "'",
        hintFor(l, r));
  }

  /** |value − target| ≤ tolerance, all of one kind. */
  public static boolean withinAbsolute(Object value, Object target, Object tolerance) {
    Object distance;
    try {
      distance = abs(subtract(value, target));
    } catch (ArithmeticError e) {
      throw new ArithmeticError("cannot compare " + Values.typeOf(value) + " with a target that is " + Values.typeOf(target)
          + " in 'within'", "the value, the target and the tolerance must be of one kind, e.g. 't within 500ms ± 300ms'");
    }
    if (!sameKind(distance, tolerance)) {
      throw new ArithmeticError("the tolerance after '±' is " + Values.typeOf(tolerance) + ", but the value is " + Values.typeOf(value),
          tolerance instanceof Percent ? "for a relative tolerance write 'x within 10% of y'" : "give the tolerance the value's unit, e.g. '500ms ± 300ms'");
    }
    return compare(BinaryOp.LE, distance, tolerance) <= 0;
  }

  private static boolean sameKind(Object a, Object b) {
    return Values.isNumber(a) && Values.isNumber(b) || a != null && b != null && a.getClass() == b.getClass();
  }

  /** |value − reference| ≤ share × |reference|. */
  public static boolean withinRelative(Object value, Object reference, Object share) {
    if (!(share instanceof Percent p)) {
      throw new ArithmeticError("'within … of' needs a percentage, got " + Values.typeOf(share),
          "write e.g. 'latency within 10% of baseline'");
    }
    Object distance = abs(subtract(value, reference));
    Object allowed = multiply(abs(reference), p.fraction());
    return compare(BinaryOp.LE, distance, allowed) <= 0;
  }

  static Object abs(Object v) {
    if (v instanceof Long a) return Math.abs(a);
    if (v instanceof Double d) return Math.abs(d);
    if (v instanceof Duration d) return d.abs();
    if (v instanceof Percent p) return new Percent(Math.abs(p.points()));
    if (v instanceof ByteSize s) return new ByteSize(Math.abs(s.bytes()));
    if (v instanceof Rate r) return new Rate(Math.abs(r.perSecond()));
    throw new ArithmeticError("cannot take the size of " + Values.typeOf(v), null);
  }

  public static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  private static Duration scale(Duration d, double factor) {
    double nanos = d.toNanos() * factor;
    if (Double.isNaN(nanos) || Math.abs(nanos) > Long.MAX_VALUE) throw new ArithmeticError("duration out of range", null);
    return Duration.ofNanos(Math.round(nanos));
  }

  private static double num(Object v) {
    return ((Number) v).doubleValue();
  }

  private static long exact(java.util.function.LongSupplier f) {
    try {
      return f.getAsLong();
    } catch (ArithmeticException e) {
      throw new ArithmeticError("number out of range", "whole numbers go up to 9223372036854775807");
    }
  }

  private static Duration exactD(java.util.function.Supplier<Duration> f) {
    try {
      return f.get();
    } catch (ArithmeticException e) {
      throw new ArithmeticError("duration out of range", null);
    }
  }

  private static ArithmeticError cannot(String verb, Object l, Object r) {
    return cannot(verb, l, r, "and");
  }

  private static ArithmeticError cannot(String verb, Object a, Object b, String joiner) {
    return new ArithmeticError("cannot " + verb + " " + Values.typeOf(a) + " " + joiner + " " + Values.typeOf(b), hintFor(a, b));
  }

  private static String hintFor(Object l, Object r) {
    if (Values.isNumber(l) && isQuantity(r) || Values.isNumber(r) && isQuantity(l)) {
      return "give the number a unit, e.g. 500ms, 30%, 256MB or 50/s";
    }
    return null;
  }

  private static boolean isQuantity(Object v) {
    return v instanceof Duration || v instanceof Percent || v instanceof ByteSize || v instanceof Rate;
  }
}
