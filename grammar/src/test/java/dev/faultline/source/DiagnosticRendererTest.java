package dev.faultline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the exact text of STYLE §4: headline, gutter, caret run with label, notes and help. */
class DiagnosticRendererTest {
  private static final String FILE = "playbooks/magds.fl";

  private static SourceFile fileWithLine(int lineNo, String line) {
    return new SourceFile(FILE, "\n".repeat(lineNo - 1) + line + "\n");
  }

  private static DiagnosticRenderer plain(SourceFile f) {
    return DiagnosticRenderer.plain(Map.of(f.name(), f));
  }

  @Test
  void theStyleGuideExample() {
    SourceFile f = fileWithLine(14, "      inject link.latency(500ms, jiter: 300ms) for 30s");
    Diagnostic d = Diagnostic.error(new Position(FILE, 14, 34, 5), "latency() has no parameter 'jiter'")
        .withLabel("unknown parameter")
        .withHelp("did you mean 'jitter'?");
    assertEquals("""
        playbooks/magds.fl:14:34: error: latency() has no parameter 'jiter'
           |
        14 |       inject link.latency(500ms, jiter: 300ms) for 30s
           |                                  ^^^^^ unknown parameter
           = help: did you mean 'jitter'?
        """, plain(f).render(d));
  }

  @Test
  void gutterFitsTheLineNumber() {
    for (int line : new int[] {1, 9, 10, 99, 100, 1234}) {
      SourceFile f = fileWithLine(line, "wait 5sec");
      String pad = " ".repeat(Integer.toString(line).length());
      String out = plain(f).render(Diagnostic.error(new Position(FILE, line, 6, 4), "unknown unit 'sec' in '5sec'"));
      assertEquals(FILE + ":" + line + ":6: error: unknown unit 'sec' in '5sec'\n"
          + pad + " |\n"
          + line + " | wait 5sec\n"
          + pad + " |      ^^^^\n", out, "line " + line);
    }
  }

  @Test
  void notesAndHelpAfterTheCaret() {
    SourceFile f = fileWithLine(3, "let a = b");
    Diagnostic d = Diagnostic.error(new Position(FILE, 3, 9, 1), "unknown name 'b'")
        .withNote("'b' is defined in scenario \"x\", which is not in scope here")
        .withNote("names are visible from their 'let' to the end of the block")
        .withHelp("did you mean 'a'?");
    assertEquals("""
        playbooks/magds.fl:3:9: error: unknown name 'b'
          |
        3 | let a = b
          |         ^
          = note: 'b' is defined in scenario "x", which is not in scope here
          = note: names are visible from their 'let' to the end of the block
          = help: did you mean 'a'?
        """, plain(f).render(d));
  }

  @Test
  void tabsEchoAsOneSpaceSoCaretsLineUp() {
    SourceFile f = new SourceFile(FILE, "step \"s\" {\n\t\twait\t5sec\n}\n");
    Diagnostic d = Diagnostic.error(new Position(FILE, 2, 8, 4), "unknown unit 'sec' in '5sec'").withLabel("not a unit");
    assertEquals("""
        playbooks/magds.fl:2:8: error: unknown unit 'sec' in '5sec'
          |
        2 |   wait 5sec
          |        ^^^^ not a unit
        """, plain(f).render(d));
  }

  @Test
  void caretsStopAtTheEndOfTheLine() {
    SourceFile f = fileWithLine(1, "log \"abc");
    Diagnostic d = Diagnostic.error(new Position(FILE, 1, 5, 40), "unterminated string");
    assertEquals("""
        playbooks/magds.fl:1:5: error: unterminated string
          |
        1 | log "abc
          |     ^^^^
        """, plain(f).render(d));
  }

  @Test
  void aPlaceJustPastTheLineGetsOneCaret() {
    SourceFile f = fileWithLine(1, "let a =");
    Diagnostic d = Diagnostic.error(new Position(FILE, 1, 8, 1), "expected an expression after '=', found end of file");
    assertEquals("""
        playbooks/magds.fl:1:8: error: expected an expression after '=', found end of file
          |
        1 | let a =
          |        ^
        """, plain(f).render(d));
  }

  @Test
  void zeroLengthStillShowsOneCaret() {
    SourceFile f = fileWithLine(1, "abc");
    assertEquals("""
        playbooks/magds.fl:1:2: error: here
          |
        1 | abc
          |  ^
        """, plain(f).render(Diagnostic.error(new Position(FILE, 1, 2, 0), "here")));
  }

  @Test
  void columnsCountCodePoints() {
    SourceFile f = fileWithLine(1, "log \"😀\" + @");
    assertEquals("""
        playbooks/magds.fl:1:12: error: unexpected character '@'
          |
        1 | log "😀" + @
          |            ^
        """, plain(f).render(Diagnostic.error(new Position(FILE, 1, 12, 5), "unexpected character '@'")));
  }

  @Test
  void withoutSourceOnlyTheHeadlineAndHints() {
    Diagnostic d = Diagnostic.error(new Position("gone.fl", 3, 1, 1), "something")
        .withNote("a note").withHelp("a help");
    assertEquals("gone.fl:3:1: error: something\n  = note: a note\n  = help: a help\n",
        DiagnosticRenderer.plain(Map.of()).render(d));
  }

  @Test
  void unknownPositionShowsTheFileAlone() {
    Diagnostic d = Diagnostic.error(new Position("bin.fl", 0, 0, 0), "this looks like a binary file, not a playbook")
        .withHelp("playbooks are UTF-8 text files ending in .fl");
    assertEquals("bin.fl: error: this looks like a binary file, not a playbook\n"
        + "  = help: playbooks are UTF-8 text files ending in .fl\n",
        DiagnosticRenderer.plain(Map.of("bin.fl", new SourceFile("bin.fl", "x"))).render(d));
    assertEquals("<none>: error: bad value", Diagnostic.error(Position.NONE, "bad value").headline());
  }

  @Test
  void lineBeyondTheFileFallsBackToHeadline() {
    SourceFile f = new SourceFile(FILE, "one line");
    assertEquals(FILE + ":5:1: error: far\n", plain(f).render(Diagnostic.error(new Position(FILE, 5, 1, 1), "far")));
  }

  @Test
  void warningsUseTheirWord() {
    assertEquals("a.fl:1:1: warning: unused name 'x'",
        Diagnostic.warning(new Position("a.fl", 1, 1, 1), "unused name 'x'").headline());
  }

  @Test
  void shortFormPrintsHeadlinesOnly() {
    SourceFile f = new SourceFile(FILE, "a\nb\n");
    DiagnosticRenderer r = new DiagnosticRenderer(Map.of(FILE, f), true, false);
    List<Diagnostic> ds = List.of(
        Diagnostic.error(new Position(FILE, 2, 1, 1), "second").withHelp("ignored"),
        Diagnostic.error(new Position(FILE, 1, 1, 1), "first").withLabel("ignored"));
    assertEquals(FILE + ":1:1: error: first\n" + FILE + ":2:1: error: second\n", r.renderAll(ds));
  }

  @Test
  void renderAllSortsAndSeparatesWithABlankLine() {
    SourceFile f = new SourceFile(FILE, "a b\n");
    List<Diagnostic> ds = List.of(
        Diagnostic.error(new Position(FILE, 1, 3, 1), "b"),
        Diagnostic.error(new Position(FILE, 1, 1, 1), "a"));
    assertEquals("""
        playbooks/magds.fl:1:1: error: a
          |
        1 | a b
          | ^

        playbooks/magds.fl:1:3: error: b
          |
        1 | a b
          |   ^
        """, plain(f).renderAll(ds));
  }

  @Test
  void colourOnlyWhenAsked() {
    SourceFile f = new SourceFile(FILE, "x\n");
    Diagnostic d = Diagnostic.error(new Position(FILE, 1, 1, 1), "boom");
    String coloured = new DiagnosticRenderer(Map.of(FILE, f), true, true).render(d);
    assertEquals(FILE + ":1:1: \u001b[1;31merror\u001b[0m: boom\n", coloured);
    String warning = new DiagnosticRenderer(Map.of(FILE, f), true, true)
        .render(Diagnostic.warning(new Position(FILE, 1, 1, 1), "hm"));
    assertEquals(FILE + ":1:1: \u001b[1;33mwarning\u001b[0m: hm\n", warning);
    assertEquals(FILE + ":1:1: error: boom\n", new DiagnosticRenderer(Map.of(FILE, f), true, false).render(d));
  }

  @Test
  void windowsLineEndingsAreNotEchoed() {
    SourceFile f = new SourceFile(FILE, "let a = @\r\nnext\r\n");
    assertEquals("""
        playbooks/magds.fl:1:9: error: unexpected character '@'
          |
        1 | let a = @
          |         ^
        """, plain(f).render(Diagnostic.error(new Position(FILE, 1, 9, 1), "unexpected character '@'")));
  }
}
