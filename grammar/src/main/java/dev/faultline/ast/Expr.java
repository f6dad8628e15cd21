package dev.faultline.ast;

import dev.faultline.source.Position;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** Expressions: each record is named after what the playbook writes, its position first. */
public sealed interface Expr extends Node {

  <R> R accept(Visitor<R> v);

  /** One method per expression kind: a new kind breaks every pass that forgot it, at compile time. */
  interface Visitor<R> {
    R visitNumber(Number e);
    R visitQuantity(Quantity e);
    R visitStr(Str e);
    R visitInterpolated(Interpolated e);
    R visitBool(Bool e);
    R visitNull(Null e);
    R visitSeverity(Severity e);
    R visitListLit(ListLit e);
    R visitMapLit(MapLit e);
    R visitName(Name e);
    R visitMember(Member e);
    R visitIndex(Index e);
    R visitCall(Call e);
    R visitUnary(Unary e);
    R visitBinary(Binary e);
    R visitWithin(Within e);
    R visitAwait(Await e);
    R visitMeasure(Measure e);
    R visitInject(Inject e);
  }

  /** {@code 42}, {@code 2.5}: a {@code Long} when written without a point, else a {@code Double}. */
  record Number(Position at, java.lang.Number value) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitNumber(this); }
  }

  /** {@code 500ms}, {@code 30%}, {@code 256MB}, {@code 50/s}: an amount with a unit. */
  record Quantity(Position at, BigDecimal amount, Unit unit) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitQuantity(this); }
  }

  /** A string without interpolation, escapes already resolved. */
  record Str(Position at, String value) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitStr(this); }
  }

  /** {@code "took ${t}"}: literal parts ({@link Str}) and expressions, in order. */
  record Interpolated(Position at, List<Expr> parts) implements Expr {
    public Interpolated { parts = List.copyOf(parts); }
    public <R> R accept(Visitor<R> v) { return v.visitInterpolated(this); }
  }

  record Bool(Position at, boolean value) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitBool(this); }
  }

  record Null(Position at) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitNull(this); }
  }

  /** {@code P1}..{@code P4}: incident severities, P1 the worst. */
  record Severity(Position at, int level) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitSeverity(this); }
  }

  record ListLit(Position at, List<Expr> items) implements Expr {
    public ListLit { items = List.copyOf(items); }
    public <R> R accept(Visitor<R> v) { return v.visitListLit(this); }
  }

  /** {@code {a: 1, "b c": 2}}: keys are names or strings, kept in order. */
  record MapLit(Position at, List<Entry> entries) implements Expr {
    public MapLit { entries = List.copyOf(entries); }
    public <R> R accept(Visitor<R> v) { return v.visitMapLit(this); }

    public record Entry(Position at, String key, Expr value) implements Node {}
  }

  record Name(Position at, String name) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitName(this); }
  }

  /** {@code target.name}: a map key, or a property or method of a host value. */
  record Member(Position at, Expr target, String name) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitMember(this); }
  }

  record Index(Position at, Expr target, Expr index) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitIndex(this); }
  }

  /** {@code f(1, jitter: 2ms)}: positional arguments first, then named ones. */
  record Call(Position at, Expr callee, List<Arg> args) implements Expr {
    public Call { args = List.copyOf(args); }
    public <R> R accept(Visitor<R> v) { return v.visitCall(this); }

    /** One argument; {@code name} is present for {@code name: value}. */
    public record Arg(Position at, Optional<String> name, Expr value) implements Node {}
  }

  /** {@code -x} or {@code not x}. */
  record Unary(Position at, String op, Expr operand) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitUnary(this); }
  }

  record Binary(Position at, Expr left, BinaryOp op, Expr right) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitBinary(this); }
  }

  /**
   * A tolerance test. Absolute: {@code x within 500ms ± 300ms} is |x − 500ms| ≤ 300ms.
   * Relative: {@code x within 10% of y} is |x − y| ≤ 10% of |y|; then {@code tolerance} is the
   * percentage and {@code target} is {@code y}.
   */
  record Within(Position at, Expr value, Expr target, Expr tolerance, boolean relative) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitWithin(this); }
  }

  /** {@code await cond within 30s [every 500ms]}: polls until true, yields the elapsed time. */
  record Await(Position at, Expr condition, Expr within, Optional<Expr> every) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitAwait(this); }
  }

  /** {@code measure { … }}: runs the block, yields how long it took. */
  record Measure(Position at, Block body) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitMeasure(this); }
  }

  /** {@code inject <fault> [for <duration>]}: injects a fault owned by the enclosing scope; yields its handle. */
  record Inject(Position at, Expr fault, Optional<Expr> duration) implements Expr {
    public <R> R accept(Visitor<R> v) { return v.visitInject(this); }
  }
}
