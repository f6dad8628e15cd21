package dev.faultline.check;

import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.eval.CoreLibrary;
import dev.faultline.host.HostRegistry;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookLoader;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code playbooks/tests/check/*.fl}: each line carrying {@code # error: <regex>} must
 * get an error on that line matching the regex (in its message, label, notes or help), and every
 * error reported must be expected so. A line {@code ---} starts an independent chunk; the other
 * chunks' lines are blanked so that line numbers stay the file's. Imported libraries may carry
 * expectations too.
 */
class CheckFilesTest {
  static final Path DIR = Path.of("../playbooks/tests/check");
  static final HostRegistry REGISTRY = HostRegistry.builder().library(new CoreLibrary()).library(new TestLibrary()).build();
  private static final Pattern CHUNK = Pattern.compile("^\\s*---\\s*$");
  private static final String MARK = "# error:";

  @TestFactory
  Stream<DynamicNode> checkFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".fl")).sorted().toList();
    }
    if (files.size() < 8) fail("expected at least 8 check files in " + DIR.toAbsolutePath().normalize());
    return files.stream().map(file -> {
      List<DynamicNode> chunks = new ArrayList<>();
      for (Chunk c : chunks(read(file))) {
        chunks.add(DynamicTest.dynamicTest(file.getFileName() + ":" + c.firstLine(), file.toUri(),
            () -> verify(file.toString(), c.text())));
      }
      return DynamicContainer.dynamicContainer(file.getFileName().toString(), file.toUri(), chunks.stream());
    });
  }

  record Chunk(int firstLine, String text) {}

  static List<Chunk> chunks(String text) {
    String[] lines = text.split("\n", -1);
    List<int[]> ranges = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      if (CHUNK.matcher(lines[i]).matches()) {
        ranges.add(new int[] {start, i});
        start = i + 1;
      }
    }
    ranges.add(new int[] {start, lines.length});
    List<Chunk> out = new ArrayList<>();
    for (int[] r : ranges) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < lines.length; i++) {
        if (i >= r[0] && i < r[1]) b.append(lines[i]);
        if (i < lines.length - 1) b.append('\n');
      }
      out.add(new Chunk(r[0] + 1, b.toString()));
    }
    return out;
  }

  /** What a check reports, with the texts of every file involved. */
  record Outcome(List<Diagnostic> diagnostics, Map<String, SourceFile> sources) {}

  static Outcome check(String name, String text) {
    SourceFile main = new SourceFile(name, text);
    try {
      LoadedPlaybook loaded = new PlaybookLoader().load(main, DIR.toAbsolutePath().normalize());
      return new Outcome(new Checker(REGISTRY).check(loaded), loaded.sources());
    } catch (PlaybookError e) {
      return new Outcome(e.diagnostics(), Map.of(name, main));
    }
  }

  private record Expected(String file, int line, Pattern regex) {}

  static void verify(String name, String text) {
    Outcome out = check(name, text);
    List<Expected> expected = new ArrayList<>();
    for (SourceFile src : out.sources().values()) {
      for (int line = 1; line <= src.lineCount(); line++) {
        String l = src.line(line);
        int at = l.indexOf(MARK);
        while (at >= 0) {
          int next = l.indexOf(MARK, at + MARK.length());
          String regex = l.substring(at + MARK.length(), next < 0 ? l.length() : next).strip();
          expected.add(new Expected(src.name(), line, Pattern.compile(regex)));
          at = next;
        }
      }
    }
    List<Diagnostic> errors = out.diagnostics().stream().filter(Diagnostic::isError).toList();
    List<String> failures = new ArrayList<>();
    for (Expected e : expected) {
      boolean met = errors.stream().anyMatch(d -> onLine(d, e.file(), e.line()) && e.regex().matcher(said(d)).find());
      if (!met) failures.add(e.file() + ":" + e.line() + ": expected an error matching /" + e.regex() + "/");
    }
    DiagnosticRenderer renderer = DiagnosticRenderer.plain(out.sources());
    for (Diagnostic d : errors) {
      boolean wanted = expected.stream().anyMatch(e -> onLine(d, e.file(), e.line()) && e.regex().matcher(said(d)).find());
      if (!wanted) failures.add("unexpected:\n" + renderer.render(d));
    }
    if (!failures.isEmpty()) {
      fail(String.join("\n", failures) + "\n--- everything reported:\n" + renderer.renderAll(errors));
    }
  }

  private static boolean onLine(Diagnostic d, String file, int line) {
    return d.at().line() == line && Path.of(d.at().file()).normalize().equals(Path.of(file).normalize());
  }

  /** Everything a diagnostic says, for the regex: message, label, notes and help. */
  private static String said(Diagnostic d) {
    StringBuilder b = new StringBuilder(d.message());
    d.label().ifPresent(l -> b.append('\n').append(l));
    d.notes().forEach(n -> b.append('\n').append(n));
    d.help().ifPresent(h -> b.append('\n').append(h));
    return b.toString();
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
