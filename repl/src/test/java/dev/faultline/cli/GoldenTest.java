package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs each {@code playbooks/tests/run/*.fl} through {@link Main#run} in-process and compares what
 * it prints (standard output and error, as a terminal shows them) with {@code X.out}, its exit code
 * with the {@code # exit: N} line (0 when absent), and its masked report with {@code X.report.json}.
 *
 * <p>Directives, on the file's first lines: {@code # exit: N}; {@code # args: --scenario a -p x=1}
 * (appended after the file; double quotes group words); {@code # command: check} or {@code list}
 * (default {@code run}). Paths print relative to the repository, reports as {@code <report-dir>}.
 *
 * <p>{@code mvn test -Dgolden.update=true} rewrites the expected files; review the diff.
 */
class GoldenTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("playbooks/tests/run");
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @TestFactory
  Stream<DynamicTest> playbooks() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".fl")).sorted(Comparator.comparing(Path::toString)).toList();
    }
    assertTrue(files.size() >= 12, "expected the golden playbooks in " + DIR);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> check(f)));
  }

  /** What the first lines of a golden playbook ask for. */
  record Directives(int exit, String command, List<String> args) {
    static Directives of(Path file) throws IOException {
      int exit = 0;
      String command = "run";
      List<String> args = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.startsWith("#")) break;
        String body = line.substring(1).strip();
        if (body.startsWith("exit:")) exit = Integer.parseInt(body.substring(5).strip());
        else if (body.startsWith("command:")) command = body.substring(8).strip();
        else if (body.startsWith("args:")) args.addAll(words(body.substring(5)));
      }
      return new Directives(exit, command, args);
    }
  }

  private static void check(Path file) throws IOException {
    Directives d = Directives.of(file);
    Path reportDir = Files.createTempDirectory("faultline-golden-");
    List<String> argv = new ArrayList<>();
    argv.add(d.command());
    argv.add(file.toString());
    argv.addAll(d.args());
    // The goldens pin the run's output; the timestamped progress lines a pipe gets have their own test.
    if (d.command().equals("run")) argv.addAll(List.of("--mask-durations", "--no-progress", "--report-dir", reportDir.toString()));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit;
    try (PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exit = Main.run(argv.toArray(new String[0]), both, both, Map.of());
    }
    String output = normalize(bytes.toString(StandardCharsets.UTF_8), reportDir);
    Path report = reportDir.resolve("report.json");
    String json = Files.exists(report) ? normalize(Files.readString(report), reportDir) : null;
    deleteTree(reportDir);

    String base = file.getFileName().toString().replaceFirst("\\.fl$", "");
    Path expectedOut = file.resolveSibling(base + ".out");
    Path expectedJson = file.resolveSibling(base + ".report.json");
    if (UPDATE) {
      Files.writeString(expectedOut, output);
      if (json != null) Files.writeString(expectedJson, json);
      else Files.deleteIfExists(expectedJson);
    }
    String wantOut = Files.exists(expectedOut) ? Files.readString(expectedOut) : "<missing " + expectedOut.getFileName() + ">";
    String wantJson = Files.exists(expectedJson) ? Files.readString(expectedJson) : null;
    int exitCode = exit;
    assertAll(
        () -> assertEquals(wantOut, output, "output of " + String.join(" ", argv)),
        () -> assertEquals(d.exit(), exitCode, "exit code"),
        () -> assertEquals(wantJson, json, "report.json"));
  }

  /** Machine-specific paths out: the repository prefix and the temporary report directory. */
  static String normalize(String text, Path reportDir) {
    return text.replace(reportDir.toString(), "<report-dir>").replace(ROOT + "/", "");
  }

  /** Splits on spaces; double quotes group words. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) out.add(word.toString());
        word.setLength(0);
        any = false;
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) out.add(word.toString());
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
