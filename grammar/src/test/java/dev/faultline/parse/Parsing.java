package dev.faultline.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import java.util.stream.Collectors;

/** Shared helpers for the parser tests: parse text, expect an error, print expressions compactly. */
final class Parsing {
  static final String FILE = "t.fl";

  private Parsing() {}

  static Playbook parse(String text) {
    return new PlaybookParser().parse(new SourceFile(FILE, text));
  }

  static Playbook parseStatements(String text) {
    return new PlaybookParser().parseStatements(new SourceFile(FILE, text));
  }

  /** The one statement of a library file. */
  static Stmt stmt(String text) {
    Playbook p = parse(text);
    assertEquals(1, p.body().size(), () -> "statements in " + text);
    return p.body().get(0);
  }

  /** The expression of a one-expression statement. */
  static Expr expr(String text) {
    return assertInstanceOf(Stmt.ExprStmt.class, stmt(text)).expr();
  }

  static PlaybookError error(String text) {
    return assertThrows(PlaybookError.class, () -> parse(text), () -> "no error for: " + text);
  }

  static String headline(String text) {
    return error(text).first().headline();
  }

  static Position at(int line, int column, int length) {
    return new Position(FILE, line, column, length);
  }

  /** An expression as an S-expression, so that tests can state the tree's shape in one line. */
  static String sexpr(Expr e) {
    return e.accept(new Expr.Visitor<String>() {
      public String visitNumber(Expr.Number n) { return n.value().toString(); }
      public String visitQuantity(Expr.Quantity q) { return q.amount().toPlainString() + q.unit().suffix(); }
      public String visitStr(Expr.Str s) { return '"' + s.value() + '"'; }
      public String visitInterpolated(Expr.Interpolated i) { return "(str " + all(i.parts()) + ")"; }
      public String visitBool(Expr.Bool b) { return Boolean.toString(b.value()); }
      public String visitNull(Expr.Null n) { return "null"; }
      public String visitSeverity(Expr.Severity s) { return "P" + s.level(); }
      public String visitListLit(Expr.ListLit l) { return "[" + all(l.items()) + "]"; }
      public String visitMapLit(Expr.MapLit m) {
        return "{" + m.entries().stream().map(en -> en.key() + ": " + sexpr(en.value()))
            .collect(Collectors.joining(", ")) + "}";
      }
      public String visitName(Expr.Name n) { return n.name(); }
      public String visitMember(Expr.Member m) { return "(. " + sexpr(m.target()) + " " + m.name() + ")"; }
      public String visitIndex(Expr.Index i) { return "(index " + sexpr(i.target()) + " " + sexpr(i.index()) + ")"; }
      public String visitCall(Expr.Call c) {
        StringBuilder b = new StringBuilder("(call ").append(sexpr(c.callee()));
        for (Expr.Call.Arg a : c.args()) {
          b.append(' ');
          a.name().ifPresent(n -> b.append(n).append(": "));
          b.append(sexpr(a.value()));
        }
        return b.append(')').toString();
      }
      public String visitUnary(Expr.Unary u) { return "(" + u.op() + " " + sexpr(u.operand()) + ")"; }
      public String visitBinary(Expr.Binary b) {
        return "(" + b.op().symbol() + " " + sexpr(b.left()) + " " + sexpr(b.right()) + ")";
      }
      public String visitWithin(Expr.Within w) {
        return w.relative()
            ? "(within " + sexpr(w.value()) + " " + sexpr(w.tolerance()) + " of " + sexpr(w.target()) + ")"
            : "(within " + sexpr(w.value()) + " " + sexpr(w.target()) + " ± " + sexpr(w.tolerance()) + ")";
      }
      public String visitAwait(Expr.Await a) {
        return "(await " + sexpr(a.condition()) + " within " + sexpr(a.within())
            + a.every().map(e -> " every " + sexpr(e)).orElse("") + ")";
      }
      public String visitMeasure(Expr.Measure m) { return "(measure " + m.body().stmts().size() + ")"; }
      public String visitInject(Expr.Inject i) {
        return "(inject " + sexpr(i.fault()) + i.duration().map(d -> " for " + sexpr(d)).orElse("") + ")";
      }

      private String all(java.util.List<Expr> list) {
        return list.stream().map(Parsing::sexpr).collect(Collectors.joining(" "));
      }
    });
  }
}
