package dev.faultline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ast.BinaryOp;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Values;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
  private static Object op(Object l, BinaryOp op, Object r) {
    return Arithmetic.binary(op, l, r);
  }

  @Test
  void wholeNumbersStayWhole() {
    assertEquals(5L, op(2L, BinaryOp.ADD, 3L));
    assertEquals(2L, op(6L, BinaryOp.DIV, 3L));
    assertEquals(2.5, op(5L, BinaryOp.DIV, 2L));
    assertEquals(2.5, op(1L, BinaryOp.ADD, 1.5));
  }

  @Test
  void quantities() {
    assertEquals(Duration.ofMillis(1500), op(Duration.ofSeconds(1), BinaryOp.ADD, Duration.ofMillis(500)));
    assertEquals(Duration.ofSeconds(3), op(3L, BinaryOp.MUL, Duration.ofSeconds(1)));
    assertEquals(4.0, op(Duration.ofSeconds(2), BinaryOp.DIV, Duration.ofMillis(500)));
    assertEquals(new Rate(50), op(100L, BinaryOp.DIV, Duration.ofSeconds(2)));
    assertEquals(100.0, op(new Rate(50), BinaryOp.MUL, Duration.ofSeconds(2)));
    assertEquals(Duration.ofMillis(500), op(new Percent(25), BinaryOp.MUL, Duration.ofSeconds(2)));
    assertEquals(new Percent(60), op(new Percent(30), BinaryOp.MUL, 2L));
    assertEquals(new ByteSize(2048), op(new ByteSize(1024), BinaryOp.MUL, 2L));
    assertEquals("a5", op("a", BinaryOp.ADD, 5L));
  }

  @Test
  void mixingUnitsIsRefusedInWords() {
    ArithmeticError e = assertThrows(ArithmeticError.class, () -> op(Duration.ofMillis(500), BinaryOp.GT, new Percent(30)));
    assertEquals("cannot compare a duration with a percentage using '>'", e.getMessage());
    ArithmeticError n = assertThrows(ArithmeticError.class, () -> op(Duration.ofMillis(500), BinaryOp.ADD, 1L));
    assertEquals("cannot add a duration and a number", n.getMessage());
    assertTrue(n.help().contains("unit"));
    assertThrows(ArithmeticError.class, () -> op(1L, BinaryOp.DIV, 0L));
    assertThrows(ArithmeticError.class, () -> op(Long.MAX_VALUE, BinaryOp.ADD, 1L));
  }

  @Test
  void tolerances() {
    assertTrue(Arithmetic.withinAbsolute(Duration.ofMillis(700), Duration.ofMillis(500), Duration.ofMillis(300)));
    assertTrue(!Arithmetic.withinAbsolute(Duration.ofMillis(801), Duration.ofMillis(500), Duration.ofMillis(300)));
    assertTrue(Arithmetic.withinRelative(110L, 100L, new Percent(10)));
    assertTrue(!Arithmetic.withinRelative(111L, 100L, new Percent(10)));
    assertThrows(ArithmeticError.class, () -> Arithmetic.withinRelative(1L, 1L, 5L));
  }

  @Test
  void valuesPrintInTheirUnits() {
    assertEquals("2.5s", Values.show(Duration.ofMillis(2500)));
    assertEquals("250us", Values.show(Duration.ofNanos(250_000)));
    assertEquals("5m", Values.show(Duration.ofMinutes(5)));
    assertEquals("30%", Values.show(new Percent(30)));
    assertEquals("1GiB", Values.show(new ByteSize(1L << 30)));
    assertEquals("256MB", Values.show(new ByteSize(256_000_000)));
    assertEquals("50/s", Values.show(new Rate(50)));
    assertEquals("[1, \"a\", 2s]", Values.show(java.util.List.of(1L, "a", Duration.ofSeconds(2))));
  }
}
