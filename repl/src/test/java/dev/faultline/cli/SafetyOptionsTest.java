package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rollback} and {@code --revert-timeout} on {@code faultline run}. */
class SafetyOptionsTest {
  @TempDir
  Path tmp;

  private Path playbook() throws IOException {
    return Files.writeString(tmp.resolve("p.fl"), """
        playbook "p" {
          rollback { log "rollback ran" }
          scenario "s" { step "x" { inject fake.slow_revert("slow", 300ms) } }
        }
        """);
  }

  @Test
  void rollbackNeverSkipsRollbackBlocksButNotReverts() throws IOException {
    var o = CommandLineTest.run("run", playbook().toString(), "--rollback", "never", "--report-dir", tmp.resolve("r").toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    assertTrue(o.out().contains("revert  slow"), o.out());
    assertTrue(!o.out().contains("rollback ran"), o.out());
  }

  @Test
  void anUnknownStrategyIsAUsageError() throws IOException {
    var o = CommandLineTest.run("run", playbook().toString(), "--rollback", "sometimes");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("unknown rollback strategy 'sometimes'; use always, on-failure or never"), o.err());
  }

  @Test
  void aRevertThatTakesLongerThanTheTimeoutFails() throws IOException {
    var o = CommandLineTest.run("run", playbook().toString(), "--revert-timeout", "100ms", "--report-dir", tmp.resolve("r").toString());
    assertEquals(4, o.exit(), o.out() + o.err());
    assertTrue(o.out().contains("could not revert slow: the revert did not finish within 100ms"), o.out());
  }

  @Test
  void aBadTimeoutIsAUsageError() throws IOException {
    var o = CommandLineTest.run("run", playbook().toString(), "--revert-timeout", "soon");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("'soon' is not a positive duration; write e.g. 500ms, 10s or 1m"), o.err());
  }
}
