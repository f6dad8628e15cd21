package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GraalJS costs about a second and 200 MB: a run without hooks must load none of it. Runs the real
 * command in a child JVM with {@code -verbose:class} and reads which classes it loaded; a run with a
 * hook is the control that the log would show them.
 */
class HookClassLoadingTest {
  @TempDir Path tmp;

  private List<String> classesLoadedBy(Path playbook) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(java, "-verbose:class", "-cp", cp, "dev.faultline.cli.Main", "run", playbook.toAbsolutePath().toString(),
        "--report-dir", tmp.resolve("report").toString())
        .directory(tmp.toFile()).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    ChildOutput.pump(p.getInputStream(), lines);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
    assertEquals(0, p.exitValue(), () -> tail(lines));
    p.getInputStream().close();
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private static boolean isGraal(String line) {
    return line.contains("org.graalvm.") || line.contains("com.oracle.truffle.") || line.contains("dev.faultline.stdlib.hooks.");
  }

  private static String tail(List<String> lines) {
    synchronized (lines) {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }

  @Test
  void theQuickstartLoadsNoClassOfGraalVmNorOfTheHookRuntime() throws Exception {
    List<String> loaded = classesLoadedBy(Path.of("../playbooks/quickstart.fl"));
    assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.faultline.cli.Main")), "the log lists classes");
    List<String> graal = loaded.stream().filter(HookClassLoadingTest::isGraal).toList();
    assertTrue(graal.isEmpty(), "loaded: " + graal.subList(0, Math.min(10, graal.size())));
  }

  @Test
  void aPlaybookWithAHookLoadsThem() throws Exception {
    Path file = Files.writeString(tmp.resolve("hooked.fl"), """
        playbook "hooked" {
          hook \"\"\"
            faultline.probe("answer", { doc: "the answer", params: {}, returns: "int", run() { return 42; } });
          \"\"\"
          scenario "s" { step "x" { expect answer() == 42 } }
        }
        """);
    List<String> loaded = classesLoadedBy(file);
    assertFalse(loaded.stream().noneMatch(l -> l.contains("org.graalvm.polyglot.Context ")), "GraalVM was loaded for the hook");
  }
}
