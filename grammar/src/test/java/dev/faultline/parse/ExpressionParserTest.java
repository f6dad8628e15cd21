package dev.faultline.parse;

import static dev.faultline.parse.Parsing.at;
import static dev.faultline.parse.Parsing.expr;
import static dev.faultline.parse.Parsing.headline;
import static dev.faultline.parse.Parsing.sexpr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.faultline.ast.BinaryOp;
import dev.faultline.ast.Expr;
import dev.faultline.ast.Unit;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionParserTest {

  @ParameterizedTest(name = "{0}  =>  {1}")
  @CsvSource(delimiter = '|', textBlock = """
      1 + 2 * 3                      | (+ 1 (* 2 3))
      1 * 2 + 3                      | (+ (* 1 2) 3)
      1 - 2 - 3                      | (- (- 1 2) 3)
      8 / 4 / 2                      | (/ (/ 8 4) 2)
      8 / 4 * 2                      | (* (/ 8 4) 2)
      (1 + 2) * 3                    | (* (+ 1 2) 3)
      -a * b                         | (* (- a) b)
      -a.b                           | (- (. a b))
      - -x                           | (- (- x))
      a + -b                         | (+ a (- b))
      a < b                          | (< a b)
      a <= b                         | (<= a b)
      a > b                          | (> a b)
      a >= b                         | (>= a b)
      a == b                         | (== a b)
      a != b                         | (!= a b)
      a == b != c                    | (!= (== a b) c)
      a + 1 < b * 2                  | (< (+ a 1) (* b 2))
      a < b and c > d or e           | (or (and (< a b) (> c d)) e)
      a or b and c                   | (or a (and b c))
      a and b and c                  | (and (and a b) c)
      not a == b                     | (not (== a b))
      not a and b                    | (and (not a) b)
      not not a                      | (not (not a))
      x within 500ms ± 300ms         | (within x 500ms ± 300ms)
      x within 500ms +- 300ms        | (within x 500ms ± 300ms)
      x within 10% of y              | (within x 10% of y)
      a + b within c ± d             | (within (+ a b) c ± d)
      x within 1s ± 1ms == true      | (== (within x 1s ± 1ms) true)
      x within 1s ± 1ms and ok       | (and (within x 1s ± 1ms) ok)
      p99 < 800ms                    | (< p99 800ms)
      a.b.c                          | (. (. a b) c)
      a.b(c)[d].e                    | (. (index (call (. a b) c) d) e)
      f(x)(y)                        | (call (call f x) y)
      f()                            | (call f)
      f(1, 2,)                       | (call f 1 2)
      m["k"][0]                      | (index (index m "k") 0)
      link.latency(500ms, jitter: 300ms) | (call (. link latency) 500ms jitter: 300ms)
      traffic(for: 30s)              | (call traffic for: 30s)
      f(in: 1, all: 2, within: 3, of: 4, every: 5, true: 6) | (call f in: 1 all: 2 within: 3 of: 4 every: 5 true: 6)
      x.for.all.if                   | (. (. (. x for) all) if)
      [1, "two", 3s]                 | [1 "two" 3s]
      [1, 2,]                        | [1 2]
      []                             | []
      [[1], []]                      | [[1] []]
      {a: 1, "b c": 2, for: 3}       | {a: 1, b c: 2, for: 3}
      {}                             | {}
      {a: {b: [1]},}                 | {a: {b: [1]}}
      true                           | true
      false                          | false
      null                           | null
      P1                             | P1
      P4                             | P4
      P5                             | P5
      await ready within 30s         | (await ready within 30s)
      await a < b within 30s every 1s | (await (< a b) within 30s every 1s)
      await x within 10% of y within 1m | (await (within x 10% of y) within 1m)
      inject net.partition(a, b)     | (inject (call (. net partition) a b))
      inject f(1) for 30s            | (inject (call f 1) for 30s)
      inject f(1) for 30s + 1s       | (inject (call f 1) for (+ 30s 1s))
      measure { wait 1s; log x }     | (measure 2)
      measure {}                     | (measure 0)
      """)
  void shapeAndPrecedence(String source, String shape) {
    assertEquals(shape, sexpr(expr(source)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      5us    | 5   | MICROSECONDS
      5µs    | 5   | MICROSECONDS
      500ms  | 500 | MILLISECONDS
      30s    | 30  | SECONDS
      2m     | 2   | MINUTES
      2min   | 2   | MINUTES
      1.5h   | 1.5 | HOURS
      7d     | 7   | DAYS
      30%    | 30  | PERCENT
      12.5%  | 12.5 | PERCENT
      512B   | 512 | BYTES
      64KB   | 64  | KB
      256MB  | 256 | MB
      2GB    | 2   | GB
      1TB    | 1   | TB
      64KiB  | 64  | KIB
      256MiB | 256 | MIB
      2GiB   | 2   | GIB
      1TiB   | 1   | TIB
      50/s   | 50  | PER_SECOND
      600/m  | 600 | PER_MINUTE
      600/min | 600 | PER_MINUTE
      10/h   | 10  | PER_HOUR
      1_000ms | 1000 | MILLISECONDS
      """)
  void quantitiesWithEveryUnit(String source, String amount, Unit unit) {
    Expr.Quantity q = assertInstanceOf(Expr.Quantity.class, expr(source));
    assertEquals(new BigDecimal(amount), q.amount());
    assertEquals(unit, q.unit());
    assertEquals(at(1, 1, source.codePointCount(0, source.length())), q.at());
  }

  @Test
  void everyUnitSuffixIsAccepted() {
    for (String suffix : Unit.suffixes()) {
      Expr.Quantity q = assertInstanceOf(Expr.Quantity.class, expr("3" + suffix), suffix);
      assertEquals(Unit.bySuffix(suffix).orElseThrow(), q.unit(), suffix);
    }
  }

  @Test
  void numbersAreLongsOrDoubles() {
    assertEquals(42L, assertInstanceOf(Expr.Number.class, expr("42")).value());
    assertEquals(1_000_000L, assertInstanceOf(Expr.Number.class, expr("1_000_000")).value());
    assertEquals(2.5, assertInstanceOf(Expr.Number.class, expr("2.5")).value());
    assertEquals(Long.MAX_VALUE, assertInstanceOf(Expr.Number.class, expr("9223372036854775807")).value());
    assertEquals("t.fl:1:1: error: number 9223372036854775808 is too large", headline("9223372036854775808"));
  }

  @Test
  void aSpaceBetweenNumberAndUnitMakesTwoStatements() {
    // `wait 5 s` is the number 5 and then the name s: the checker, not the parser, reports it.
    assertEquals(2, Parsing.parse("wait 5 s").body().size());
  }

  @Test
  void binaryPositionsSpanTheOperands() {
    Expr.Binary sum = assertInstanceOf(Expr.Binary.class, expr("aa + bbb * c"));
    assertEquals(at(1, 1, 12), sum.at());
    assertEquals(BinaryOp.ADD, sum.op());
    assertEquals(at(1, 1, 2), sum.left().at());
    Expr.Binary product = assertInstanceOf(Expr.Binary.class, sum.right());
    assertEquals(at(1, 6, 7), product.at());
    assertEquals(at(1, 12, 1), product.right().at());
  }

  @Test
  void memberCallAndArgumentPositions() {
    Expr.Call call = assertInstanceOf(Expr.Call.class, expr("link.latency(500ms, jitter: 300ms)"));
    assertEquals(at(1, 1, 34), call.at());
    Expr.Member member = assertInstanceOf(Expr.Member.class, call.callee());
    assertEquals(at(1, 6, 7), member.at(), "a member points at its own name");
    assertEquals(at(1, 1, 4), member.target().at());
    assertEquals(Optional.empty(), call.args().get(0).name());
    assertEquals(at(1, 14, 5), call.args().get(0).at());
    assertEquals(Optional.of("jitter"), call.args().get(1).name());
    assertEquals(at(1, 21, 6), call.args().get(1).at(), "a named argument points at its name");
    assertEquals(at(1, 29, 5), call.args().get(1).value().at());
  }

  @Test
  void withinKeepsValueTargetAndTolerance() {
    Expr.Within abs = assertInstanceOf(Expr.Within.class, expr("t within 1s ± 250ms"));
    assertEquals("t", sexpr(abs.value()));
    assertEquals("1s", sexpr(abs.target()));
    assertEquals("250ms", sexpr(abs.tolerance()));
    assertEquals(false, abs.relative());
    assertEquals(at(1, 1, 19), abs.at());

    Expr.Within rel = assertInstanceOf(Expr.Within.class, expr("rps within 10% of base"));
    assertEquals("base", sexpr(rel.target()));
    assertEquals("10%", sexpr(rel.tolerance()));
    assertEquals(true, rel.relative());
  }

  @Test
  void awaitAndInjectPositions() {
    Expr.Await await = assertInstanceOf(Expr.Await.class, expr("await up within 30s every 1s"));
    assertEquals(at(1, 1, 28), await.at());
    assertEquals(at(1, 17, 3), await.within().at());
    assertEquals(at(1, 27, 2), await.every().orElseThrow().at());
    Expr.Inject inject = assertInstanceOf(Expr.Inject.class, expr("inject f() for 30s"));
    assertEquals(at(1, 1, 18), inject.at());
    assertEquals(at(1, 16, 3), inject.duration().orElseThrow().at());
  }

  @Test
  void parenthesesLeaveNoNode() {
    Expr inner = expr("((x))");
    assertEquals(at(1, 3, 1), assertInstanceOf(Expr.Name.class, inner).at());
  }

  @Test
  void multiLineExpressionsRunToTheEndOfTheirFirstLine() {
    Expr.Binary b = assertInstanceOf(Expr.Binary.class, expr("a +\n  b"));
    assertEquals(at(1, 1, 3), b.at());
    assertEquals(at(2, 3, 1), b.right().at());
  }
}
