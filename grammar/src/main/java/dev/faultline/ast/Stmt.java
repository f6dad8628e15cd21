package dev.faultline.ast;

import dev.faultline.source.Position;
import java.util.List;
import java.util.Optional;

/**
 * Statements. Declarations ({@link Decl}) are statements too, so that the REPL can take a
 * {@code fn} or a {@code guard} one line at a time; the checker says where each may appear.
 */
public sealed interface Stmt extends Node permits Stmt.Let, Stmt.Assign, Stmt.ExprStmt, Stmt.If,
    Stmt.For, Stmt.Repeat, Stmt.Decide, Stmt.Wait, Stmt.Expect, Stmt.Record, Stmt.Log, Stmt.Abort,
    Stmt.Revert, Stmt.Rollback, Stmt.Return, Stmt.Nested, Decl {

  <R> R accept(Visitor<R> v);

  /** Statements and declarations in one visitor, since both appear in the same lists. */
  interface Visitor<R> {
    R visitLet(Let s);
    R visitAssign(Assign s);
    R visitExprStmt(ExprStmt s);
    R visitIf(If s);
    R visitFor(For s);
    R visitRepeat(Repeat s);
    R visitDecide(Decide s);
    R visitWait(Wait s);
    R visitExpect(Expect s);
    R visitRecord(Record s);
    R visitLog(Log s);
    R visitAbort(Abort s);
    R visitRevert(Revert s);
    R visitRollback(Rollback s);
    R visitReturn(Return s);
    R visitNested(Nested s);
    R visitDescription(Decl.Description d);
    R visitImport(Decl.Import d);
    R visitHook(Decl.Hook d);
    R visitParam(Decl.Param d);
    R visitProfile(Decl.Profile d);
    R visitFn(Decl.Fn d);
    R visitGuard(Decl.Guard d);
    R visitScenario(Decl.Scenario d);
    R visitStep(Decl.Step d);
    R visitSetting(Decl.Setting d);
  }

  /** {@code let name = value}: a new name in the current scope. */
  record Let(Position at, String name, Expr value) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitLet(this); }
  }

  /** {@code name = value}: changes an existing name. */
  record Assign(Position at, String name, Expr value) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitAssign(this); }
  }

  /** An expression run for its effect, such as a call or an {@code inject}. */
  record ExprStmt(Position at, Expr expr) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitExprStmt(this); }
  }

  /** {@code if c { } else if d { } else { }}; {@code orElse} is a {@link Nested} block or another {@link If}. */
  record If(Position at, Expr condition, Block then, Optional<Stmt> orElse) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitIf(this); }
  }

  record For(Position at, String variable, Expr iterable, Block body) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitFor(this); }
  }

  /** {@code repeat 3 { }}. */
  record Repeat(Position at, Expr count, Block body) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitRepeat(this); }
  }

  /** {@code decide { when c -> action … else -> action }}: the first true arm runs. */
  record Decide(Position at, List<When> arms, Optional<Stmt> orElse) implements Stmt {
    public Decide { arms = List.copyOf(arms); }
    public <R> R accept(Visitor<R> v) { return v.visitDecide(this); }

    public record When(Position at, Expr condition, Stmt action) implements Node {}
  }

  /** {@code wait 2s}. */
  record Wait(Position at, Expr duration) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitWait(this); }
  }

  /** {@code expect cond [, "message"]}: fails the step, not the interpreter. */
  record Expect(Position at, Expr condition, Optional<Expr> message) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitExpect(this); }
  }

  /** {@code record name = value}: a named figure kept in the run's result and report. */
  record Record(Position at, String name, Expr value) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitRecord(this); }
  }

  record Log(Position at, Expr message) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitLog(this); }
  }

  /** {@code abort P2 "reason"}: ends the run as aborted with a severity. */
  record Abort(Position at, Expr severity, Optional<Expr> reason) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitAbort(this); }
  }

  /** {@code revert f} or {@code revert all} (then {@code target} is empty). */
  record Revert(Position at, Optional<Expr> target) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitRevert(this); }
  }

  /** {@code rollback { }}: undo work run when the enclosing scope ends, after its faults are reverted. */
  record Rollback(Position at, Block body) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitRollback(this); }
  }

  record Return(Position at, Optional<Expr> value) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitReturn(this); }
  }

  /** A bare block as a statement (the action of a {@code when} or an {@code else}). */
  record Nested(Position at, Block block) implements Stmt {
    public <R> R accept(Visitor<R> v) { return v.visitNested(this); }
  }
}
