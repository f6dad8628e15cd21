package dev.faultline.eval;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Unit;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Quantity literals to unit values, and constant folding for defaults and parameters. Stateless. */
public final class Literals {
  private Literals() {}

  /** {@code 500ms} → {@code Duration}, {@code 30%} → {@link Percent}, {@code 1GiB} → {@link ByteSize}, {@code 50/s} → {@link Rate}. */
  public static Object quantity(BigDecimal amount, Unit unit) {
    BigDecimal base = amount.multiply(unit.factor());
    return switch (unit.dimension()) {
      case DURATION -> Duration.ofNanos(base.setScale(0, RoundingMode.HALF_UP).longValueExact());
      case PERCENTAGE -> new Percent(base.doubleValue());
      case SIZE -> new ByteSize(base.setScale(0, RoundingMode.HALF_UP).longValueExact());
      // Per-minute and per-hour rates divide exactly, so 60/m == 1/s holds.
      case RATE -> new Rate(switch (unit) {
        case PER_MINUTE -> amount.doubleValue() / 60.0;
        case PER_HOUR -> amount.doubleValue() / 3600.0;
        default -> base.doubleValue();
      });
    };
  }

  /**
   * The value of a constant expression (literals, negation, lists and maps of constants), or empty
   * when it needs evaluation. Used for host defaults and {@code -p} values.
   */
  public static Optional<Object> constant(Expr e) {
    if (e instanceof Expr.Number n) return Optional.of(n.value() instanceof Long l ? (Object) l : (Object) n.value().doubleValue());
    if (e instanceof Expr.Quantity q) {
      try {
        return Optional.of(quantity(q.amount(), q.unit()));
      } catch (ArithmeticException outOfRange) {
        return Optional.empty();
      }
    }
    if (e instanceof Expr.Str s) return Optional.of(s.value());
    if (e instanceof Expr.Bool b) return Optional.of(b.value());
    if (e instanceof Expr.Null) return Optional.of(NULL);
    if (e instanceof Expr.Severity s) return Optional.of(Severity.of(s.level()));
    if (e instanceof Expr.Unary u && u.op().equals("-")) {
      return constant(u.operand()).map(unwrapNull()).flatMap(v -> {
        try {
          return Optional.of(Arithmetic.negate(v));
        } catch (ArithmeticError err) {
          return Optional.empty();
        }
      });
    }
    if (e instanceof Expr.ListLit l) {
      List<Object> items = new ArrayList<>();
      for (Expr item : l.items()) {
        Optional<Object> v = constant(item);
        if (v.isEmpty()) return Optional.empty();
        items.add(v.get() == NULL ? null : v.get());
      }
      return Optional.of(java.util.Collections.unmodifiableList(items));
    }
    if (e instanceof Expr.MapLit m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (var entry : m.entries()) {
        Optional<Object> v = constant(entry.value());
        if (v.isEmpty()) return Optional.empty();
        map.put(entry.key(), v.get() == NULL ? null : v.get());
      }
      return Optional.of(java.util.Collections.unmodifiableMap(map));
    }
    return Optional.empty();
  }

  /** Stands for {@code null} inside an Optional; {@link #unwrap} turns it back. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  public static Object unwrap(Object v) {
    return v == NULL ? null : v;
  }

  private static java.util.function.Function<Object, Object> unwrapNull() {
    return Literals::unwrap;
  }
}
