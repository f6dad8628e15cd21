package dev.faultline.parse;

import dev.faultline.ast.BinaryOp;
import dev.faultline.ast.Block;
import dev.faultline.ast.Decl;
import dev.faultline.ast.Expr;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.ast.TypeName;
import dev.faultline.ast.Unit;
import dev.faultline.parse.FaultlineParser.*;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.source.Suggest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Builds the immutable AST from ANTLR's parse tree; the only class that sees both. Problems found
 * while building (a bad escape, an unknown type word) are collected and thrown together.
 */
final class AstBuilder {
  private final SourceFile source;
  private final PlaybookParser parser;
  private final List<Diagnostic> problems = new ArrayList<>();
  /** How many expression and postfix nodes enclose the one being built, and where the outermost starts. */
  private int depth;
  private ParserRuleContext outermost;

  /**
   * Rationale: a chain such as {@code a + b + …} or {@code a.b.c…} is flat to the parser but a deep
   * tree for every pass after it; past this depth a pass would run out of stack, so it is an error here.
   */
  static final int MAX_EXPRESSION_DEPTH = 1000;

  AstBuilder(SourceFile source, PlaybookParser parser) {
    this.source = source;
    this.parser = parser;
  }

  static Playbook build(SourceFile source, ParserRuleContext tree, PlaybookParser parser) {
    AstBuilder b = new AstBuilder(source, parser);
    Playbook result;
    if (tree instanceof FileContext file) {
      if (file.playbook() != null) {
        PlaybookContext pb = file.playbook();
        result = new Playbook(b.pos(pb), source.name(), Optional.of(b.string(pb.STRING().getSymbol())),
            b.stmts(pb.block().stmt()));
      } else {
        result = new Playbook(new Position(source.name(), 1, 1, 1), source.name(), Optional.empty(), b.stmts(file.stmt()));
      }
    } else {
      ReplInputContext repl = (ReplInputContext) tree;
      result = new Playbook(new Position(source.name(), 1, 1, 1), source.name(), Optional.empty(), b.stmts(repl.stmt()));
    }
    b.throwProblems();
    return result;
  }

  /** Throws the problems found while building, if any. */
  void throwProblems() {
    if (!problems.isEmpty()) throw new PlaybookError(problems);
  }

  // ------------------------------------------------------------ positions

  Position pos(ParserRuleContext ctx) {
    return pos(ctx.getStart(), ctx.getStop() != null ? ctx.getStop() : ctx.getStart());
  }

  /** From the start of {@code start} to the end of {@code stop}, or to the end of the line when they differ. */
  Position pos(Token start, Token stop) {
    int length;
    if (stop.getLine() == start.getLine() && stop.getStopIndex() >= start.getStartIndex()) {
      length = stop.getStopIndex() - start.getStartIndex() + 1;
    } else {
      String line = source.line(start.getLine());
      length = Math.max(1, line.codePointCount(0, line.length()) - start.getCharPositionInLine());
    }
    return new Position(source.name(), start.getLine(), start.getCharPositionInLine() + 1, length);
  }

  Position pos(Token t) {
    return new Position(source.name(), t.getLine(), t.getCharPositionInLine() + 1,
        Math.max(1, t.getStopIndex() - t.getStartIndex() + 1));
  }

  // ------------------------------------------------------------ statements

  List<Stmt> stmts(List<StmtContext> list) {
    List<Stmt> out = new ArrayList<>(list.size());
    for (StmtContext s : list) {
      Stmt st = stmt(s);
      if (st != null) out.add(st);
    }
    return out;
  }

  Block block(BlockContext ctx) {
    return new Block(pos(ctx), stmts(ctx.stmt()));
  }

  Stmt stmt(StmtContext ctx) {
    Position at = pos(ctx);
    if (ctx instanceof EmptyStmtContext) return null;
    if (ctx instanceof DescriptionStmtContext c) return new Decl.Description(at, plainString(c.string()));
    if (ctx instanceof ImportStmtContext c) return new Decl.Import(at, string(c.STRING().getSymbol()));
    if (ctx instanceof HookStmtContext c) return hook(at, c);
    if (ctx instanceof ParamStmtContext c) {
      Optional<TypeName> type = Optional.empty();
      if (c.typeWord != null) {
        String word = c.typeWord.getText();
        type = TypeName.byWord(word);
        if (type.isEmpty()) {
          problems.add(Diagnostic.error(pos(c.typeWord), "unknown type '" + word + "'")
              .withLabel("not a type")
              .withHelp(Optional.ofNullable(Suggest.didYouMean(word, TypeName.words()))
                  .orElse("types are " + String.join(", ", TypeName.words()))));
        }
      }
      return new Decl.Param(at, c.name(0).getText(), type, optional(c.expr()), c.SECRET() != null);
    }
    if (ctx instanceof ProfileStmtContext c) {
      List<String> flags = new ArrayList<>();
      for (ProfileFlagContext f : c.profileFlag()) flags.add(f.getText());
      List<Decl.Profile.Entry> entries = new ArrayList<>();
      for (ProfileEntryContext e : c.profileEntry()) {
        List<String> path = new ArrayList<>();
        path.add(e.name() != null ? e.name().getText() : e.MAX_BLAST_RADIUS().getText());
        for (AnyNameContext n : e.anyName()) path.add(n.getText());
        entries.add(new Decl.Profile.Entry(pos(e), path, expr(e.expr())));
      }
      return new Decl.Profile(at, c.name().getText(), flags, entries);
    }
    if (ctx instanceof FnStmtContext c) {
      List<Decl.Fn.Parameter> params = new ArrayList<>();
      for (FnParamContext p : c.fnParam()) {
        params.add(new Decl.Fn.Parameter(pos(p), p.name().getText(), optional(p.expr())));
      }
      return new Decl.Fn(at, c.name().getText(), params, block(c.block()));
    }
    if (ctx instanceof GuardStmtContext c) {
      Block body = block(c.block());
      Expr condition = blockAsExpression(body, "guard");
      return new Decl.Guard(at, string(c.STRING().getSymbol()), expr(c.expr()), condition, abort(c.abort()));
    }
    if (ctx instanceof ScenarioStmtContext c) {
      List<String> tags = new ArrayList<>();
      for (TagContext t : c.tag()) tags.add(t.STRING() != null ? string(t.STRING().getSymbol()) : t.getText());
      return new Decl.Scenario(at, string(c.STRING().getSymbol()), tags, block(c.block()));
    }
    if (ctx instanceof StepStmtContext c) {
      return new Decl.Step(at, string(c.STRING().getSymbol()), optional(c.expr()), block(c.block()));
    }
    if (ctx instanceof SettingStmtContext c) return new Decl.Setting(at, c.setting.getText(), expr(c.expr()));
    if (ctx instanceof LetStmtContext c) return new Stmt.Let(at, c.name().getText(), expr(c.expr()));
    if (ctx instanceof AssignStmtContext c) return new Stmt.Assign(at, c.name().getText(), expr(c.expr()));
    if (ctx instanceof IfStatementContext c) return ifStmt(c.ifStmt());
    if (ctx instanceof ForStmtContext c) return new Stmt.For(at, c.name().getText(), expr(c.expr()), block(c.block()));
    if (ctx instanceof RepeatStmtContext c) return new Stmt.Repeat(at, expr(c.expr()), block(c.block()));
    if (ctx instanceof DecideStmtContext c) {
      List<Stmt.Decide.When> arms = new ArrayList<>();
      for (WhenArmContext w : c.whenArm()) arms.add(new Stmt.Decide.When(pos(w), expr(w.expr()), action(w.action())));
      Optional<Stmt> orElse = c.elseArm() == null ? Optional.empty() : Optional.of(action(c.elseArm().action()));
      return new Stmt.Decide(at, arms, orElse);
    }
    if (ctx instanceof WaitStmtContext c) return new Stmt.Wait(at, expr(c.expr()));
    if (ctx instanceof ExpectStmtContext c) {
      return new Stmt.Expect(at, expr(c.expr(0)), c.expr().size() > 1 ? Optional.of(expr(c.expr(1))) : Optional.empty());
    }
    if (ctx instanceof RecordStmtContext c) return new Stmt.Record(at, c.name().getText(), expr(c.expr()));
    if (ctx instanceof LogStmtContext c) return new Stmt.Log(at, expr(c.expr()));
    if (ctx instanceof AbortStmtContext c) return abort(c.abort());
    if (ctx instanceof RevertStmtContext c) return new Stmt.Revert(at, c.ALL() != null ? Optional.empty() : Optional.of(expr(c.expr())));
    if (ctx instanceof RollbackStmtContext c) return new Stmt.Rollback(at, block(c.block()));
    if (ctx instanceof ReturnStmtContext c) return new Stmt.Return(at, optional(c.expr()));
    if (ctx instanceof ExprStmtContext c) return new Stmt.ExprStmt(at, expr(c.expr()));
    throw new IllegalStateException("statement kind not built: " + ctx.getClass().getSimpleName());
  }

  /** A guard's condition block holds exactly one expression. */
  private Expr blockAsExpression(Block body, String what) {
    if (body.stmts().size() == 1 && body.stmts().get(0) instanceof Stmt.ExprStmt e) return e.expr();
    problems.add(Diagnostic.error(body.at(), "a " + what + "'s block must hold one condition")
        .withHelp("write the condition alone, e.g. { traffic.error_rate < 5% }; compute parts with 'fn'"));
    return new Expr.Bool(body.at(), true);
  }

  private Stmt.If ifStmt(IfStmtContext c) {
    Optional<Stmt> orElse = Optional.empty();
    if (c.ifStmt() != null) orElse = Optional.of(ifStmt(c.ifStmt()));
    else if (c.block().size() > 1) orElse = Optional.of(new Stmt.Nested(pos(c.block(1)), block(c.block(1))));
    return new Stmt.If(pos(c), expr(c.expr()), block(c.block(0)), orElse);
  }

  private Stmt action(ActionContext c) {
    if (c.block() != null) return new Stmt.Nested(pos(c.block()), block(c.block()));
    Stmt s = stmt(c.stmt());
    return s != null ? s : new Stmt.Nested(pos(c), new Block(pos(c), List.of()));
  }

  private Stmt.Abort abort(AbortContext c) {
    return new Stmt.Abort(pos(c), postfix(c.postfix()), c.string() == null ? Optional.empty() : Optional.of(stringExpr(c.string())));
  }

  // ------------------------------------------------------------ expressions

  /*
   * Plain loops and null checks rather than streams and lambdas in this class: each lambda costs a
   * generated class on first use, and parsing a small playbook in a fresh JVM is mostly first uses.
   */

  private Optional<Expr> optional(ExprContext c) {
    return c == null ? Optional.empty() : Optional.of(expr(c));
  }

  Expr expr(ExprContext ctx) {
    enter(ctx);
    try {
      return exprNode(ctx);
    } finally {
      depth--;
    }
  }

  private void enter(ParserRuleContext ctx) {
    if (++depth == 1) outermost = ctx;
    if (depth > MAX_EXPRESSION_DEPTH) {
      throw new PlaybookError(Diagnostic.error(pos(outermost).withLength(1),
          "expression nested more than " + MAX_EXPRESSION_DEPTH + " levels deep")
          .withHelp("split it into parts with 'let'"));
    }
  }

  private Expr exprNode(ExprContext ctx) {
    Position at = pos(ctx);
    if (ctx instanceof PostfixExprContext c) return postfix(c.postfix());
    if (ctx instanceof NegateExprContext c) return new Expr.Unary(at, "-", expr(c.expr()));
    if (ctx instanceof NotExprContext c) return new Expr.Unary(at, "not", expr(c.expr()));
    if (ctx instanceof MulExprContext c) return binary(at, c.expr(0), c.op, c.expr(1));
    if (ctx instanceof AddExprContext c) return binary(at, c.expr(0), c.op, c.expr(1));
    if (ctx instanceof CompareExprContext c) return binary(at, c.expr(0), c.op, c.expr(1));
    if (ctx instanceof AndExprContext c) return new Expr.Binary(at, expr(c.expr(0)), BinaryOp.AND, expr(c.expr(1)));
    if (ctx instanceof OrExprContext c) return new Expr.Binary(at, expr(c.expr(0)), BinaryOp.OR, expr(c.expr(1)));
    if (ctx instanceof WithinAbsExprContext c) return new Expr.Within(at, expr(c.expr(0)), expr(c.expr(1)), expr(c.expr(2)), false);
    if (ctx instanceof WithinRelExprContext c) return new Expr.Within(at, expr(c.expr(0)), expr(c.expr(2)), expr(c.expr(1)), true);
    if (ctx instanceof AwaitExprContext c) {
      return new Expr.Await(at, expr(c.expr(0)), expr(c.expr(1)), c.expr().size() > 2 ? Optional.of(expr(c.expr(2))) : Optional.empty());
    }
    if (ctx instanceof InjectExprContext c) {
      return new Expr.Inject(at, expr(c.expr(0)), c.expr().size() > 1 ? Optional.of(expr(c.expr(1))) : Optional.empty());
    }
    if (ctx instanceof MeasureExprContext c) return new Expr.Measure(at, block(c.block()));
    throw new IllegalStateException("expression kind not built: " + ctx.getClass().getSimpleName());
  }

  private Expr binary(Position at, ExprContext left, Token op, ExprContext right) {
    return new Expr.Binary(at, expr(left), BinaryOp.bySymbol(op.getText()), expr(right));
  }

  Expr postfix(PostfixContext ctx) {
    enter(ctx);
    try {
      return postfixNode(ctx);
    } finally {
      depth--;
    }
  }

  private Expr postfixNode(PostfixContext ctx) {
    Position at = pos(ctx);
    if (ctx instanceof PrimaryPostfixContext c) return primary(c.primary());
    if (ctx instanceof MemberPostfixContext c) {
      // The member's own position, so "no member 'x'" points at x rather than at the whole chain.
      return new Expr.Member(pos(c.anyName()), postfix(c.postfix()), c.anyName().getText());
    }
    if (ctx instanceof CallPostfixContext c) {
      List<Expr.Call.Arg> args = new ArrayList<>();
      for (ArgContext a : c.arg()) {
        Optional<String> name = a.anyName() == null ? Optional.empty() : Optional.of(a.anyName().getText());
        Position argAt = a.anyName() != null ? pos(a.anyName()) : pos(a);
        args.add(new Expr.Call.Arg(argAt, name, expr(a.expr())));
      }
      return new Expr.Call(at, postfix(c.postfix()), args);
    }
    if (ctx instanceof IndexPostfixContext c) return new Expr.Index(at, postfix(c.postfix()), expr(c.expr()));
    throw new IllegalStateException("postfix kind not built: " + ctx.getClass().getSimpleName());
  }

  Expr primary(PrimaryContext ctx) {
    Position at = pos(ctx);
    if (ctx instanceof NumberLitContext c) return number(at, c.NUMBER().getText());
    if (ctx instanceof QuantityLitContext c) return quantity(at, c.QUANTITY().getText());
    if (ctx instanceof StringLitContext c) return stringExpr(c.string());
    if (ctx instanceof TrueLitContext) return new Expr.Bool(at, true);
    if (ctx instanceof FalseLitContext) return new Expr.Bool(at, false);
    if (ctx instanceof NullLitContext) return new Expr.Null(at);
    if (ctx instanceof SeverityLitContext c) return new Expr.Severity(at, c.getText().charAt(1) - '0');
    if (ctx instanceof NameRefContext c) return new Expr.Name(at, c.getText());
    if (ctx instanceof ListLitContext c) {
      List<Expr> items = new ArrayList<>();
      for (ExprContext e : c.expr()) items.add(expr(e));
      return new Expr.ListLit(at, items);
    }
    if (ctx instanceof MapLitContext c) {
      List<Expr.MapLit.Entry> entries = new ArrayList<>();
      for (MapEntryContext e : c.mapEntry()) {
        String key = e.STRING() != null ? string(e.STRING().getSymbol()) : e.anyName().getText();
        entries.add(new Expr.MapLit.Entry(pos(e), key, expr(e.expr())));
      }
      return new Expr.MapLit(at, entries);
    }
    if (ctx instanceof ParenExprContext c) return expr(c.expr());
    throw new IllegalStateException("primary kind not built: " + ctx.getClass().getSimpleName());
  }

  private Expr number(Position at, String text) {
    String digits = text.replace("_", "");
    if (digits.contains(".")) return new Expr.Number(at, Double.parseDouble(digits));
    try {
      return new Expr.Number(at, Long.parseLong(digits));
    } catch (NumberFormatException e) {
      problems.add(Diagnostic.error(at, "number " + text + " is too large").withHelp("whole numbers go up to 9223372036854775807"));
      return new Expr.Number(at, 0L);
    }
  }

  private Expr quantity(Position at, String text) {
    int i = 0;
    while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.' || text.charAt(i) == '_')) i++;
    BigDecimal amount = new BigDecimal(text.substring(0, i).replace("_", ""));
    Optional<Unit> unit = Unit.bySuffix(text.substring(i));
    if (unit.isEmpty()) throw new IllegalStateException("lexer accepted unit " + text);
    return new Expr.Quantity(at, amount, unit.get());
  }

  /**
   * {@code hook [mode] "file.js"} or {@code hook [mode] """…"""}. Rationale: an inline hook's text is
   * kept verbatim (no escapes, no {@code ${…}}), since JavaScript has template literals of its own.
   */
  private Decl.Hook hook(Position at, HookStmtContext c) {
    String mode = "";
    if (c.hookMode != null) {
      mode = c.hookMode.getText();
      if (!Decl.Hook.MODES.contains(mode)) {
        problems.add(Diagnostic.error(pos(c.hookMode), "unknown hook mode '" + mode + "'").withLabel("not a mode")
            .withHelp(Optional.ofNullable(Suggest.didYouMean(mode, Decl.Hook.MODES))
                .orElse("modes are " + String.join(" and ", Decl.Hook.MODES) + "; write e.g. hook untrusted \"hooks/x.js\"")));
      }
    }
    if (c.TRIPLE_STRING() != null) {
      Token t = c.TRIPLE_STRING().getSymbol();
      String raw = t.getText();
      return new Decl.Hook(at, mode, raw.substring(3, raw.length() - 3), true, pos(t));
    }
    Token t = c.STRING().getSymbol();
    return new Decl.Hook(at, mode, string(t), false, pos(t));
  }

  // ------------------------------------------------------------ strings

  /** A string that may not hold {@code ${…}} (descriptions, names). */
  private String plainString(StringContext c) {
    Expr e = stringExpr(c);
    if (e instanceof Expr.Str s) return s.value();
    problems.add(Diagnostic.error(pos(c), "interpolation is not allowed here").withHelp("write plain text"));
    return "";
  }

  String string(Token t) {
    Expr e = stringExpr(t);
    if (e instanceof Expr.Str s) return s.value();
    problems.add(Diagnostic.error(pos(t), "interpolation is not allowed here")
        .withHelp("names of playbooks, scenarios, steps and guards are fixed text"));
    return "";
  }

  Expr stringExpr(StringContext c) {
    return stringExpr(c.getStart());
  }

  /**
   * Splits a string token into literal parts and {@code ${expr}} parts. Escapes: \n \t \r \" \\ \$.
   * Triple-quoted text blocks drop the first newline and the common indentation of their lines.
   */
  Expr stringExpr(Token t) {
    String raw = t.getText();
    boolean triple = raw.startsWith("\"\"\"");
    String body = triple ? raw.substring(3, raw.length() - 3) : raw.substring(1, raw.length() - 1);
    int bodyLine = t.getLine();
    int bodyCol = t.getCharPositionInLine() + 1 + (triple ? 3 : 1);
    int indent = triple ? commonIndent(body) : 0;
    if (triple && (body.startsWith("\n") || body.startsWith("\r\n"))) {
      int skip = body.startsWith("\r\n") ? 2 : 1;
      body = body.substring(skip);
      bodyLine++;
      bodyCol = 1;
    }
    List<Expr> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int line = bodyLine;
    int col = bodyCol;
    boolean atLineStart = triple && bodyCol == 1;
    int dropped = 0;
    for (int i = 0; i < body.length(); ) {
      char ch = body.charAt(i);
      if (atLineStart && dropped < indent && (ch == ' ' || ch == '\t')) {
        dropped++; i++; col++;
        continue;
      }
      atLineStart = false;
      if (ch == '\\' && i + 1 < body.length()) {
        int n = body.codePointAt(i + 1);
        boolean lineBreak = n == '\n' || n == '\r';
        switch (n) {
          case 'n' -> lit.append('\n');
          case 't' -> lit.append('\t');
          case 'r' -> lit.append('\r');
          case '"' -> lit.append('"');
          case '\\' -> lit.append('\\');
          case '$' -> lit.append('$');
          default -> problems.add(Diagnostic.error(new Position(source.name(), line, col, lineBreak ? 1 : 2),
              lineBreak ? "'\\' at the end of a line is not an escape"
                  : "unknown escape '\\" + SyntaxErrors.printable(Character.toString(n)) + "' in a string")
              .withHelp("escapes are \\n \\t \\r \\\" \\\\ \\$"));
        }
        if (lineBreak) {
          // Leave the line break to the code below, which keeps the line count right.
          i++; col++;
          continue;
        }
        i += 1 + Character.charCount(n); col += 2;
        continue;
      }
      if (ch == '$' && i + 1 < body.length() && body.charAt(i + 1) == '{') {
        int close = body.indexOf('}', i + 2);
        Position exprAt = new Position(source.name(), line, col + 2, 1);
        if (close < 0) {
          problems.add(Diagnostic.error(new Position(source.name(), line, col, 2), "'${' is never closed in this string")
              .withHelp("end the interpolation with '}', or write \\${ for a literal ${"));
          break;
        }
        String inner = body.substring(i + 2, close);
        int closeLine = line;
        int closeCol = col;
        for (int k = i; k < close; k++) {
          char c = body.charAt(k);
          if (c == '\n') { closeLine++; closeCol = 1; } else if (!Character.isLowSurrogate(c)) closeCol++;
        }
        if (inner.isBlank()) {
          problems.add(Diagnostic.error(new Position(source.name(), line, col, close - i + 1), "empty interpolation '${}'")
              .withHelp("put an expression inside, e.g. ${name}"));
        } else {
          if (lit.length() > 0) {
            parts.add(new Expr.Str(pos(t), lit.toString()));
            lit.setLength(0);
          }
          try {
            parts.add(parser.parseEmbeddedExpression(source, inner, exprAt,
                new Position(source.name(), closeLine, closeCol, 1)));
          } catch (PlaybookError e) {
            problems.addAll(e.diagnostics());
          }
        }
        line = closeLine;
        col = closeCol + 1;
        i = close + 1;
        continue;
      }
      lit.append(ch);
      i++;
      if (ch == '\n') {
        line++; col = 1; atLineStart = triple; dropped = 0;
      } else if (!Character.isLowSurrogate(ch)) {
        col++; // columns count code points, as the lexer's do
      }
    }
    String tail = lit.toString();
    if (triple) {
      // The closing """ on its own line leaves a trailing newline and indentation: drop them.
      int lastNl = tail.lastIndexOf('\n');
      if (lastNl >= 0 && tail.substring(lastNl + 1).isBlank()) tail = tail.substring(0, lastNl + 1);
    }
    if (parts.isEmpty()) return new Expr.Str(pos(t), tail);
    if (!tail.isEmpty()) parts.add(new Expr.Str(pos(t), tail));
    return new Expr.Interpolated(pos(t), parts);
  }

  private static int commonIndent(String body) {
    int min = Integer.MAX_VALUE;
    String[] lines = body.split("\n", -1);
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (l.isBlank()) continue;
      int n = 0;
      while (n < l.length() && (l.charAt(n) == ' ' || l.charAt(n) == '\t')) n++;
      min = Math.min(min, n);
    }
    return min == Integer.MAX_VALUE ? 0 : min;
  }
}
