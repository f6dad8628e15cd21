package dev.faultline.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.ast.Playbook;
import dev.faultline.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Correct input must parse on the fast path (SLL, one statement at a time) and give the same
 * playbook as the full LL parse; the LL fallback is for reporting errors only.
 */
class PredictionTest {
  private static final String SEEDS = "/dev/faultline/parse/PlaybookParserFuzzTestInputs/parse/";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"full-playbook.fl", "minimal.fl", "library.fl", "scenario-step.fl", "guard-decide.fl",
      "profiles.fl", "strings.fl", "units.fl", "control-flow.fl", "else-chain.fl", "crlf-bom.fl"})
  void validFilesNeedNoFallback(String name) throws IOException {
    byte[] bytes;
    try (InputStream in = PredictionTest.class.getResourceAsStream(SEEDS + name)) {
      bytes = in.readAllBytes();
    }
    SourceFile source = SourceFile.fromBytes(name, bytes);
    PlaybookParser parser = new PlaybookParser();
    Playbook fast = parser.parseBySll(source, false);
    assertEquals(parser.parse(source), fast);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "let t = await traffic.p99 < 800ms within 30s every 500ms",
      "await x within 10% of y within 1m",
      "expect t within 1s ± 250ms, \"ok\"",
      "inject f(1) for 30s\nfor h in hosts { wait 1s }",
      "decide { when a -> { log 1 } when b -> {} else -> log {a: 1} }",
      "x = {a: 1}\n{b: 2}",
      "traffic(for: 5s, in: 1, all: true).every.of",
      "if a {} else if b {} else {}",
      "abort P1\n\"text\"",
  })
  void trickyStatementsNeedNoFallback(String text) {
    SourceFile source = new SourceFile("t.fl", text);
    PlaybookParser parser = new PlaybookParser();
    assertEquals(parser.parseStatements(source), parser.parseBySll(source, true));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"let = 1", "playbook \"x\" {", "playbook \"x\" {} let a = 1", "playbook x {}", "}"})
  void errorsCancelTheFastPath(String text) {
    SourceFile source = new SourceFile("t.fl", text);
    assertThrows(ParseCancellationException.class,
        () -> new PlaybookParser().parseBySll(source, false));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"playbook \"x\" {}"})
  void statementsOnlyInputHasNoPlaybookBlock(String text) {
    SourceFile source = new SourceFile("t.fl", text);
    assertThrows(ParseCancellationException.class,
        () -> new PlaybookParser().parseBySll(source, true));
    assertEquals(List.of(), new PlaybookParser().parse(new SourceFile("t.fl", text)).body());
  }
}
