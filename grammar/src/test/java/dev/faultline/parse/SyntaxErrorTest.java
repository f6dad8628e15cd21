package dev.faultline.parse;

import static dev.faultline.parse.Parsing.error;
import static dev.faultline.parse.Parsing.headline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Input → exact headline for parse errors (STYLE §4): `file:line:col: error: message`, in the
 * playbook's words. In the inputs, {@code \n} stands for a line break.
 */
class SyntaxErrorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      playbook "x" { let a = "abc       | t.fl:1:24: error: unterminated string
      let a = "abc\\nlog a              | t.fl:1:9: error: unterminated string
      log "a\\                          | t.fl:1:5: error: unterminated string
      let t = ""\"abc\\n  def           | t.fl:1:9: error: unterminated text block
      let a = 5sec                      | t.fl:1:9: error: unknown unit 'sec' in '5sec'
      let a = 5mss                      | t.fl:1:9: error: unknown unit 'mss' in '5mss'
      let a = 1__0                      | t.fl:1:9: error: unknown unit '__0' in '1__0'
      let a = 5_ms                      | t.fl:1:9: error: unknown unit '_ms' in '5_ms'
      let a = @                         | t.fl:1:9: error: unexpected character '@'
      let a = x # ok\\nlet b = ~        | t.fl:2:9: error: unexpected character '~'
      let a = 'x'                       | t.fl:1:9: error: strings use double quotes, not single quotes
      log don't                         | t.fl:1:8: error: unexpected single quote
      playbook "x" { scenario "s" {     | t.fl:1:30: error: expected a statement or '}' after '{', found end of file
      playbook "x" {\\n  step "t" {\\n    wait 1s\\n  }\\n\\n | t.fl:4:4: error: expected a statement or '}' after '}', found end of file
      let a =                           | t.fl:1:8: error: expected an expression after '=', found end of file
      let a =\\nlet b = 2               | t.fl:2:1: error: expected an expression after '=', found 'let'
      expect x within                   | t.fl:1:10: error: incomplete tolerance after 'within'
      expect x within 5s                | t.fl:1:10: error: incomplete tolerance after 'within'
      expect x within 5s }              | t.fl:1:10: error: incomplete tolerance after 'within'
      expect x within 5s ±              | t.fl:1:21: error: expected an expression after '±', found end of file
      expect x within 10% of            | t.fl:1:23: error: expected an expression after 'of', found end of file
      await x                           | t.fl:1:8: error: expected 'within' after name 'x', found end of file
      await x within                    | t.fl:1:15: error: expected an expression after 'within', found end of file
      log "a\\q"                        | t.fl:1:7: error: unknown escape '\\q' in a string
      log ""\"a \\\\n  b""\"          | t.fl:1:10: error: '\\' at the end of a line is not an escape
      log "a ${x"                       | t.fl:1:8: error: '${' is never closed in this string
      log "${"a"}"                      | t.fl:1:6: error: '${' is never closed in this string
      log "${}"                         | t.fl:1:6: error: empty interpolation '${}'
      log "${x +}"                      | t.fl:1:11: error: expected an expression after '+', found '}'
      log "${x y}"                      | t.fl:1:10: error: expected '}' to end the interpolation, found name 'y'
      log "${@}"                        | t.fl:1:8: error: unexpected character '@'
      description "a ${x}"              | t.fl:1:13: error: interpolation is not allowed here
      scenario "a ${x}" {}              | t.fl:1:10: error: interpolation is not allowed here
      param x: integer = 5              | t.fl:1:10: error: unknown type 'integer'
      param x: strng                    | t.fl:1:10: error: unknown type 'strng'
      let = 5                           | t.fl:1:5: error: expected a name after 'let', found '='
      scenario s {}                     | t.fl:1:10: error: expected a string after 'scenario', found name 's'
      if x                              | t.fl:1:5: error: expected '{' after name 'x', found end of file
      if x = 1 {}                       | t.fl:1:6: error: expected '{' after name 'x', found '='
      if a {} else                      | t.fl:1:13: error: expected '{' or 'if' after 'else', found end of file
      if a {} else log "x"              | t.fl:1:14: error: expected '{' or 'if' after 'else', found 'log'
      else {}                           | t.fl:1:1: error: expected a statement or end of file, found 'else'
      let a = x.                        | t.fl:1:11: error: expected a name after '.', found end of file
      let a = 1.5.3                     | t.fl:1:13: error: expected a name after '.', found number 3
      let a = {1: 2}                    | t.fl:1:10: error: expected a name, a string or '}' after '{', found number 1
      let a = (1                        | t.fl:1:11: error: expected ')' after number 1, found end of file
      let a = [1, 2                     | t.fl:1:14: error: expected ']' or ',' after number 2, found end of file
      let a = f(1,                      | t.fl:1:13: error: expected ')' or ',' after ',', found end of file
      inject x for                      | t.fl:1:13: error: expected an expression after 'for', found end of file
      repeat 3                          | t.fl:1:9: error: expected '{' after number 3, found end of file
      guard "g" every 1s { x } else log "x" | t.fl:1:31: error: expected 'abort' after 'else', found 'log'
      guard "g" every 1s { x; y } else abort P1 | t.fl:1:20: error: a guard's block must hold one condition
      decide { when a log "x" }         | t.fl:1:17: error: expected '->' after name 'a', found 'log'
      profile p { a.b 1 }               | t.fl:1:17: error: expected '=' or '.' after name 'b', found number 1
      playbook x {}                     | t.fl:1:10: error: expected a string after 'playbook', found name 'x'
      playbook "x" {} let a = 1         | t.fl:1:17: error: expected end of file after '}', found 'let'
      playbook "x" {}}                  | t.fl:1:16: error: expected end of file after '}', found '}'
      fn f(a b) {}                      | t.fl:1:8: error: expected ')' or ',' after name 'a', found name 'b'
      scenario "a" tags [x y] {}        | t.fl:1:22: error: expected ']' or ',' after name 'x', found name 'y'
      let a = 99999999999999999999      | t.fl:1:9: error: number 99999999999999999999 is too large
      """)
  void headlineOf(String input, String expected) {
    assertEquals(expected, headline(input.replace("\\n", "\n")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      let a = 5sec          | did you mean '5s'?
      let a = 5mss          | did you mean '5ms'?
      let a = 10kb          | did you mean '10KB'?
      let a = 3mins         | did you mean '3min'?
      let a = 2hours        | did you mean '2h'?
      let a = 5_ms          | did you mean '5ms'?
      let a = 0x1F          | units are us ms s m min h d (durations), % (percentages), B KB MB GB TB KiB MiB GiB TiB (sizes), /s /m /min /h (rates)
      let a = 'x y'         | write "x y"
      param x: strng        | did you mean 'string'?
      param x: integer      | types are string, int, number, bool, duration, percent, size, rate, severity, list, map
      if x = 1 {}           | to compare, write '=='
      else {}               | 'else' goes right after the '}' of an 'if' and takes a block or another 'if'
      playbook "x" {} let a = 1 | a playbook file holds one 'playbook' block and nothing after it
      }                     | this '}' closes nothing; remove it or add the missing '{'
      playbook "x" {        | a '{' is never closed; add the missing '}'
      """)
  void helpOf(String input, String expected) {
    assertEquals(Optional.of(expected), error(input).first().help());
  }

  @Test
  void emptyFileParsesAsAnEmptyLibrary() {
    assertTrue(Parsing.parse("").body().isEmpty());
    assertTrue(new PlaybookParser().parse(SourceFile.fromBytes("t.fl", new byte[0])).isLibrary());
  }

  @Test
  void everyLexicalProblemIsReportedInOnePass() {
    PlaybookError e = error("let a = 5sec\nlet b = @\nlog \"x");
    assertEquals(List.of("t.fl:1:9: error: unknown unit 'sec' in '5sec'",
            "t.fl:2:9: error: unexpected character '@'",
            "t.fl:3:5: error: unterminated string"),
        e.diagnostics().stream().map(Diagnostic::headline).toList());
  }

  @Test
  void problemsFoundWhileBuildingAreReportedTogether() {
    PlaybookError e = error("param a: nope\nlog \"\\q ${}\"");
    assertEquals(List.of("t.fl:1:10: error: unknown type 'nope'",
            "t.fl:2:6: error: unknown escape '\\q' in a string",
            "t.fl:2:9: error: empty interpolation '${}'"),
        e.diagnostics().stream().map(Diagnostic::headline).toList());
  }

  @Test
  void positionsAfterABackslashAtTheEndOfALineStayRight() {
    PlaybookError e = error("log \"\"\"\n  a \\\n  ${x +}\n  \"\"\"");
    assertEquals(List.of("t.fl:2:5: error: '\\' at the end of a line is not an escape",
            "t.fl:3:8: error: expected an expression after '+', found '}'"),
        e.diagnostics().stream().map(Diagnostic::headline).toList());
  }

  @Test
  void unterminatedStringRendersWithLabelAndHelp() {
    String text = "playbook \"x\" {\n  log \"abc\n}\n";
    PlaybookError e = error(text);
    assertEquals("""
        t.fl:2:7: error: unterminated string
          |
        2 |   log "abc
          |       ^^^^ this string has no closing '"' on its line
          = help: close it with '"' on the same line, or use \""" … \""" for text over several lines
        """, DiagnosticRenderer.plain(Map.of("t.fl", new SourceFile("t.fl", text))).render(e.first()));
  }

  @Test
  void missingBraceAtEndPointsJustPastTheLastText() {
    String text = "playbook \"x\" {\n  step \"s\" {\n    wait 1s\n\n\n";
    PlaybookError e = error(text);
    assertEquals("""
        t.fl:3:12: error: expected a statement or '}' after '1s', found end of file
          |
        3 |     wait 1s
          |            ^
          = help: a '{' is never closed; add the missing '}'
        """, DiagnosticRenderer.plain(Map.of("t.fl", new SourceFile("t.fl", text))).render(e.first()));
  }

  // ------------------------------------------------------------ hostile input

  @Test
  void threeHundredNestedParentheses() {
    String text = "let a = " + "(".repeat(300) + "1" + ")".repeat(300);
    assertEquals("t.fl:1:209: error: nesting deeper than 200 levels", headline(text));
  }

  @Test
  void threeHundredNestedBlocks() {
    String text = "if x {\n".repeat(300) + "}\n".repeat(300);
    assertEquals("t.fl:201:6: error: nesting deeper than 200 levels", headline(text));
  }

  @Test
  void twoHundredNestedBlocksAreFine() {
    String text = "if x {\n".repeat(199) + "}\n".repeat(199);
    assertEquals(1, Parsing.parse(text).body().size());
    String parens = "let a = " + "(".repeat(199) + "1" + ")".repeat(199);
    assertEquals(1, Parsing.parse(parens).body().size());
  }

  @Test
  void hundredThousandMinusPrefixes() {
    assertEquals("t.fl:1:209: error: nesting deeper than 200 levels", headline("let a = " + "-".repeat(100_000) + "1"));
    assertEquals("t.fl:1:409: error: nesting deeper than 200 levels", headline("let a = " + "- ".repeat(100_000) + "1"));
    assertEquals("t.fl:1:809: error: nesting deeper than 200 levels", headline("let a = " + "not ".repeat(100_000) + "1"));
  }

  @Test
  void longChainsAreAnErrorNotAStackOverflow() {
    assertEquals("t.fl:1:9: error: expression nested more than 1000 levels deep",
        headline("let a = " + "1 + ".repeat(100_000) + "1"));
    assertEquals("t.fl:1:9: error: expression nested more than 1000 levels deep",
        headline("let a = x" + ".b".repeat(100_000)));
    assertEquals("t.fl:1:9: error: expression nested more than 1000 levels deep",
        headline("let a = x" + "(1)".repeat(100_000)));
    assertEquals("t.fl:1:9: error: expression nested more than 1000 levels deep",
        headline("let a = x" + " within 1s ± 1s".repeat(100_000)));
    assertEquals(1, Parsing.parse("let a = " + "1 + ".repeat(400) + "1").body().size());
  }

  @Test
  void thousandsOfPrefixKeywords() {
    assertEquals("t.fl:1:1409: error: nesting deeper than 200 levels", headline("let a = " + "inject ".repeat(5000) + "x"));
    assertEquals("t.fl:1:1209: error: nesting deeper than 200 levels", headline("let a = " + "await ".repeat(5000) + "x"));
  }

  @Test
  void aVeryLongElseIfChainEndsInAnError() {
    String text = "if a {}" + " else if a {}".repeat(100_000);
    PlaybookError e = error(text);
    assertEquals("the playbook nests too deeply to read", e.first().message());
  }

  @Test
  void binaryContentIsRefused() {
    byte[] bytes = "let a\n = 1\u0000\u0001\u0002".getBytes(StandardCharsets.UTF_8);
    PlaybookError e = assertThrows(PlaybookError.class, () -> SourceFile.fromBytes("t.fl", bytes));
    assertEquals("t.fl:2:5: error: this looks like a binary file, not a playbook (NUL byte at offset 10)",
        e.first().headline());
  }

  @Test
  void invalidUtf8IsRefusedWithItsPlace() {
    byte[] bytes = {'l', 'o', 'g', ' ', '"', (byte) 0xC3, (byte) 0xA9, '"', '\n', 'x', ' ', (byte) 0xFF, '\n'};
    PlaybookError e = assertThrows(PlaybookError.class, () -> SourceFile.fromBytes("t.fl", bytes));
    assertEquals("t.fl:2:3: error: the file is not valid UTF-8 text (byte 0xff at offset 11)", e.first().headline());
    byte[] truncated = {'x', ' ', (byte) 0xE2, (byte) 0x82};
    assertEquals("t.fl:1:3: error: the file is not valid UTF-8 text (byte 0xe2 at offset 2)",
        assertThrows(PlaybookError.class, () -> SourceFile.fromBytes("t.fl", truncated)).first().headline());
  }

  @Test
  void tenMegabytesOfRandomTextEndInAPlaybookError() {
    Random random = new Random(42);
    StringBuilder b = new StringBuilder(10 << 20);
    while (b.length() < 10 << 20) {
      int c = random.nextInt(100);
      b.append(c < 95 ? (char) (' ' + c) : c < 99 ? '\n' : '\t');
    }
    PlaybookError e = error(b.toString());
    assertFalse(e.diagnostics().isEmpty());
    for (Diagnostic d : e.diagnostics()) {
      assertTrue(d.at().isKnown(), d::headline);
      assertFalse(d.message().isBlank());
    }
  }

  @Test
  void tenMegabytesOfRandomTokensEndInAPlaybookError() {
    String[] words = {"let", "x", "=", "1", "{", "}", "(", ")", "if", "else", "step", "\"s\"", "5s", "+", "within",
        "±", "of", ",", ".", "inject", "for", "await", "decide", "when", "->", "[", "]", ":", "\n"};
    Random random = new Random(7);
    StringBuilder b = new StringBuilder(10 << 20);
    while (b.length() < 10 << 20) b.append(words[random.nextInt(words.length)]).append(' ');
    PlaybookError e = error(b.toString());
    assertTrue(e.first().at().isKnown());
  }
}
