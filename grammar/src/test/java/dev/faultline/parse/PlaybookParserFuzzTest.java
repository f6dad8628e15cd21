package dev.faultline.parse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faultline.ast.Node;
import dev.faultline.ast.Playbook;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Arbitrary bytes through decoding, both parser entry points and the renderer. The only exception
 * allowed is {@link PlaybookError}; each of its diagnostics must name a place and say something;
 * each parsed node must point into the file.
 *
 * <p>A plain {@code mvn test} replays {@code PlaybookParserFuzzTestInputs/parse/} (regression mode);
 * {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration} (see bench/fuzz.sh for a chosen duration).
 */
class PlaybookParserFuzzTest {
  private static final String FILE = "fuzz.fl";
  private final PlaybookParser parser = new PlaybookParser();

  @FuzzTest(maxDuration = "2m")
  @DictionaryEntries({"playbook", "scenario", "step", "guard", "profile", "param", "secret", "default",
      "production", "fn", "let", "if", "else", "for", "in", "repeat", "decide", "when", "->", "wait", "expect",
      "record", "log", "abort", "P1", "revert", "all", "rollback", "return", "inject", "await", "within", "every",
      "of", "measure", "timeout", "tags", "max_duration", "import", "description", "not", "and", "or", "±", "+-",
      "==", "!=", "<=", ">=", "\"", "\"\"\"", "${", "\\", "ms", "min", "KiB", "/s", "%", "µs", "{", "}"})
  void parse(byte[] data) {
    SourceFile source;
    try {
      source = SourceFile.fromBytes(FILE, data);
    } catch (PlaybookError e) {
      check(e, null);
      // Still give the parser the text, with bad bytes replaced, so that every input reaches it.
      source = new SourceFile(FILE, new String(data, StandardCharsets.UTF_8));
    }
    parseBoth(source);
  }

  private void parseBoth(SourceFile source) {
    try {
      checkTree(parser.parse(source), source);
    } catch (PlaybookError e) {
      check(e, source);
    }
    try {
      checkTree(parser.parseStatements(source), source);
    } catch (PlaybookError e) {
      check(e, source);
    }
  }

  private static void check(PlaybookError e, SourceFile source) {
    assertFalse(e.diagnostics().isEmpty(), "a PlaybookError without diagnostics");
    for (Diagnostic d : e.diagnostics()) {
      Position at = d.at();
      assertTrue(at.isKnown() || !at.file().isEmpty(), () -> "no place: " + d);
      assertFalse(d.message().isBlank(), () -> "no message: " + d);
      assertFalse(d.message().endsWith("."), () -> "message ends with a period: " + d.message());
      assertFalse(Character.isUpperCase(d.message().charAt(0)), () -> "message starts upper case: " + d.message());
      if (source != null && at.isKnown()) {
        assertTrue(at.line() <= source.lineCount(), () -> "line past the end: " + d.headline());
        assertTrue(at.column() >= 1, () -> "column before the start: " + d.headline());
      }
    }
    Map<String, SourceFile> sources = source == null ? Map.of() : Map.of(FILE, source);
    String rendered = DiagnosticRenderer.plain(sources).renderAll(e.diagnostics());
    assertTrue(rendered.startsWith(FILE), () -> "rendering does not start with the headline: " + rendered);
  }

  /** Every node of a parsed playbook has a place inside the file. */
  private static void checkTree(Playbook playbook, SourceFile source) {
    walk(playbook, source, 0);
  }

  private static void walk(Object value, SourceFile source, int depth) {
    if (value instanceof Node node) {
      Position at = node.at();
      assertTrue(at.isKnown() && at.line() <= source.lineCount() && at.column() >= 1,
          () -> "node outside the file: " + node.getClass().getSimpleName() + " at " + at);
    }
    if (depth > 2_000) return; // the parser caps nesting far below this
    if (value instanceof Record r) {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          walk(c.getAccessor().invoke(r), source, depth + 1);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    } else if (value instanceof Collection<?> items) {
      for (Object item : items) walk(item, source, depth + 1);
    } else if (value instanceof Optional<?> o) {
      o.ifPresent(v -> walk(v, source, depth + 1));
    }
  }
}
