package dev.faultline.parse;

import static dev.faultline.parse.Parsing.at;
import static dev.faultline.parse.Parsing.expr;
import static dev.faultline.parse.Parsing.sexpr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.faultline.ast.Expr;
import org.junit.jupiter.api.Test;

class StringLiteralTest {

  private static String value(String literal) {
    return assertInstanceOf(Expr.Str.class, expr(literal)).value();
  }

  @Test
  void plainStrings() {
    assertEquals("", value("\"\""));
    assertEquals("hello world", value("\"hello world\""));
    assertEquals("µs ± 5 — ok 😀", value("\"µs ± 5 — ok 😀\""));
    assertEquals("# not a comment", value("\"# not a comment\""));
    assertEquals(at(1, 1, 7), expr("\"hello\"").at());
  }

  @Test
  void escapes() {
    assertEquals("a\nb\tc\rd\"e\\f$g", value("\"a\\nb\\tc\\rd\\\"e\\\\f\\$g\""));
    assertEquals("${not interpolated}", value("\"\\${not interpolated}\""));
    assertEquals("costs $5 and {braces}", value("\"costs $5 and {braces}\""));
  }

  @Test
  void interpolationSplitsIntoParts() {
    Expr.Interpolated s = assertInstanceOf(Expr.Interpolated.class, expr("\"took ${t} of ${limit * 2}!\""));
    assertEquals("(str \"took \" t \" of \" (* limit 2) \"!\")", sexpr(s));
    assertEquals(at(1, 1, 28), s.at());
    assertEquals(at(1, 9, 1), s.parts().get(1).at());
    assertEquals(at(1, 17, 9), s.parts().get(3).at());
  }

  @Test
  void interpolationAloneAndAdjacent() {
    assertEquals("(str x)", sexpr(expr("\"${x}\"")));
    assertEquals("(str a b)", sexpr(expr("\"${a}${b}\"")));
    assertEquals("(str (call (. link name)) \" \" (index m 0))", sexpr(expr("\"${ link.name() } ${m[0]}\"")));
  }

  @Test
  void interpolationPositionsCountCodePoints() {
    Expr.Interpolated s = assertInstanceOf(Expr.Interpolated.class, expr("\"😀 é ${x}\""));
    assertEquals(at(1, 8, 1), s.parts().get(1).at(), "columns count code points, as the lexer's do");
  }

  @Test
  void textBlockDropsFirstNewlineAndCommonIndent() {
    String source = """
        \"""
            first
              indented
            last
            \"""
        """.strip();
    assertEquals("first\n  indented\nlast\n", value(source));
  }

  @Test
  void textBlockOnOneLineAndWithQuotes() {
    assertEquals("say \"hi\" now", value("\"\"\"say \"hi\" now\"\"\""));
    assertEquals("", value("\"\"\"\"\"\""));
  }

  @Test
  void textBlockClosingOnLastTextLine() {
    assertEquals("a\nb", value("\"\"\"\n  a\n  b\"\"\""));
  }

  @Test
  void textBlockKeepsBlankLinesAndEscapes() {
    assertEquals("a\n\n\tb\n", value("\"\"\"\n    a\n\n    \\tb\n    \"\"\""));
  }

  @Test
  void textBlockFirstLineTextIsKept() {
    assertEquals("hello\nworld\n", value("\"\"\"hello\n    world\n    \"\"\""));
  }

  @Test
  void textBlockInterpolationPointsIntoTheFile() {
    Expr.Interpolated s = assertInstanceOf(Expr.Interpolated.class, expr("""
        \"""
          latency on ${link.name}
            now ${t}
          \"""
        """.strip()));
    assertEquals("(str \"latency on \" (. link name) \"\n  now \" t \"\n\")", sexpr(s));
    assertEquals(at(2, 21, 4), s.parts().get(1).at());
    assertEquals(at(3, 11, 1), s.parts().get(3).at());
  }

  @Test
  void textBlockWithWindowsLineEndings() {
    assertEquals("a\r\nb\r\n", value("\"\"\"\r\n  a\r\n  b\r\n  \"\"\""));
  }
}
