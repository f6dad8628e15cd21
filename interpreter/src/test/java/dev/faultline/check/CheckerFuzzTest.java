package dev.faultline.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faultline.embed.Faultline;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.nio.charset.StandardCharsets;

/**
 * Whatever text it is given, loading and checking a playbook either succeeds or ends in a
 * {@link PlaybookError} whose diagnostics say something; never another exception. The saved
 * corpus under src/test/resources is replayed by every normal test run; {@code bench/fuzz.sh}
 * fuzzes for a fixed time.
 */
class CheckerFuzzTest {
  private static final Faultline FAULTLINE = Faultline.builder().build();

  @FuzzTest(maxDuration = "30s")
  void loadAndCheck(byte[] input) {
    String text;
    try {
      text = SourceFile.fromBytes("fuzz.fl", input).text();
    } catch (PlaybookError e) {
      assertSays(e);
      return;
    }
    try {
      LoadedPlaybook loaded = FAULTLINE.load("fuzz.fl", text);
      // Options are checked too: the preflight reads params, profiles and scenarios.
      FAULTLINE.plan(loaded, RunOptions.defaults());
    } catch (PlaybookError e) {
      assertSays(e);
    }
  }

  private static void assertSays(PlaybookError e) {
    assertFalse(e.diagnostics().isEmpty());
    for (Diagnostic d : e.diagnostics()) {
      assertNotNull(d.at());
      assertFalse(d.message().isBlank(), "a diagnostic without a message");
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
