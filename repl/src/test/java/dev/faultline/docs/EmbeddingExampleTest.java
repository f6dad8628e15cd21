package dev.faultline.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding example is real code: it compiles against the interpreter, runs in a JVM of its
 * own and passes; and the copy shown in docs/embedding.md is the file, character for character.
 */
class EmbeddingExampleTest {
  static final Path EXAMPLE = DocExamplesTest.ROOT.resolve("docs/examples/embedding/src/main/java/example/EmbedExample.java");
  static final Path DOC = DocExamplesTest.ROOT.resolve("docs/embedding.md");

  @Test
  void theDocShowsTheExampleFileUnchanged() throws IOException {
    String file = Files.readString(EXAMPLE);
    String shown = javaBlockStartingWith(Files.readString(DOC), "package example;");
    assertNotNull(shown, "docs/embedding.md has no ```java block starting with 'package example;'");
    assertEquals(file.strip(), shown.strip(), "the copy of EmbedExample.java in docs/embedding.md differs from the file");
  }

  @Test
  void theExampleCompilesRunsAndPasses(@TempDir Path classes) throws Exception {
    String classPath = testClassPath();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no Java compiler: run the tests on a JDK");
    StringWriter messages = new StringWriter();
    List<String> options = List.of("-classpath", classPath, "-d", classes.toString(), "-Xlint:all,-path", "-Werror");
    try (var files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean compiled = javac.getTask(messages, files, null, options, null, files.getJavaFileObjects(EXAMPLE.toFile())).call();
      assertTrue(compiled, "EmbedExample.java does not compile:\n" + messages);
    }

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", classes + File.pathSeparator + classPath, "example.EmbedExample"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the example did not end within 60s");
    String output = new String(out, StandardCharsets.UTF_8);

    assertEquals(0, process.exitValue(), "the example failed:\n" + output);
    assertTrue(output.contains("scenario slow gateway: passed\n"), output);
    assertTrue(output.contains("  step a 100 ms delay stays within the budget: passed\n"), output);
    assertTrue(output.contains("  step the delay is gone once the step has ended: passed\n"), output);
    assertTrue(output.matches("(?s).*  record pay_time = 1\\d\\d(\\.\\d+)?ms\n.*"), output);
    assertTrue(output.endsWith("exit code 0\n"), output);
  }

  /**
   * The class path the tests run with. Surefire may start the test JVM from a manifest-only jar,
   * so its own property is preferred over {@code java.class.path}.
   */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** The body of the first ```java block whose first line is {@code firstLine}, or null. */
  static String javaBlockStartingWith(String markdown, String firstLine) {
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) continue;
      StringBuilder body = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals("```")) body.append(lines.get(j++)).append('\n');
      if (body.toString().startsWith(firstLine)) return body.toString();
      i = j;
    }
    return null;
  }
}
