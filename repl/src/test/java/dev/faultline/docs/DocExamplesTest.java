package dev.faultline.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.embed.Faultline;
import dev.faultline.parse.PlaybookParser;
import dev.faultline.report.EventType;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookLoader;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.StepResult;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```faultline} block of the documentation ({@code docs/**}{@code /*.md} and
 * {@code README.md}) is a test, named {@code file:line}, so that no example can rot:
 * <ul>
 *   <li>{@code ```faultline} must be a complete playbook (it starts with {@code playbook}); it is run
 *       with the standard library and {@link RunOptions#defaults()}, and must end with exit code 0,
 *       or with the code its first line names ({@code # exit: 1}). A parse or check error is exit 2.
 *       Leading {@code # message: text} comments name text the run must report. A
 *       {@code # requires: docker} line makes it a Docker test, skipped as those are.
 *   <li>{@code ```faultline-fragment} is a piece of a playbook; it must parse as statements.
 * </ul>
 * Each block is given to the parser with as many blank lines before it as precede it in the
 * Markdown file, so that a reported {@code file:line:col} points into the Markdown itself.
 * Imports resolve against the directory of the Markdown file.
 */
class DocExamplesTest {
  /** The project root, seen from the repl module where the tests run. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final Pattern OPEN = Pattern.compile("^(\\s*)```(faultline[\\w-]*)\\s*$");
  private static final Pattern EXIT = Pattern.compile("^#\\s*exit:\\s*(\\d+)\\s*$");
  private static final Pattern MESSAGE = Pattern.compile("^#\\s*message:\\s*(.+?)\\s*$");
  /** {@code # requires: docker}: the block runs only where the Docker tests run (see {@link DockerTests}). */
  static final Pattern REQUIRES_DOCKER = Pattern.compile("(?m)^\\s*#\\s*requires:\\s*docker\\s*$");
  /** Rationale: examples should read in seconds; a hang must fail the build, not stall it. */
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** One fenced block: where it is, its tag, its text (unindented) and the fence's line number. */
  record Block(Path file, String name, String tag, int fenceLine, String text) {
    boolean isFragment() {
      return tag.equals("faultline-fragment");
    }

    /** The first line that is neither blank nor a comment. */
    String firstCodeLine() {
      return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElse("");
    }

    int expectedExit() {
      String first = text.lines().findFirst().orElse("").strip();
      Matcher m = EXIT.matcher(first);
      return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * The {@code # message: text} lines of the block's leading comments: each text must appear in
     * what the run reports (step messages, errors, diagnostics), so a failing example fails for
     * the reason it shows.
     */
    List<String> expectedMessages() {
      List<String> out = new ArrayList<>();
      for (String line : (Iterable<String>) text.lines()::iterator) {
        String l = line.strip();
        if (!l.startsWith("#")) break;
        Matcher m = MESSAGE.matcher(l);
        if (m.matches()) out.add(m.group(1));
      }
      return out;
    }

    /** The text with blank lines in front, so that line numbers match the Markdown file. */
    String aligned() {
      return "\n".repeat(fenceLine) + text;
    }
  }

  @TestFactory
  Stream<DynamicTest> documentationExamples() throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (Path md : markdownFiles()) blocks.addAll(blocks(md));
    assertFalse(blocks.isEmpty(), "no ```faultline block found under " + ROOT);
    assertFalse(blocks.stream().noneMatch(b -> b.file().endsWith(Path.of("docs", "language.md"))),
        "docs/language.md has no ```faultline block");
    Faultline faultline = Faultline.builder().standardLibrary().build();
    return blocks.stream().map(b -> DynamicTest.dynamicTest(b.name(), b.file().toUri(), () -> check(faultline, b)));
  }

  static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    Path readme = ROOT.resolve("README.md");
    if (Files.isRegularFile(readme)) files.add(readme);
    Path docs = ROOT.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> walk = Files.walk(docs)) {
        walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  static List<Block> blocks(Path md) {
    List<String> lines;
    try {
      lines = Files.readAllLines(md);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String shown = ROOT.relativize(md).toString().replace('\\', '/');
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = OPEN.matcher(lines.get(i));
      if (!open.matches()) continue;
      String indent = open.group(1);
      String tag = open.group(2);
      int fenceLine = i + 1;
      StringBuilder text = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals("```")) {
        String l = lines.get(j);
        text.append(l.startsWith(indent) ? l.substring(indent.length()) : l.stripLeading()).append('\n');
        j++;
      }
      if (j == lines.size()) fail(shown + ":" + fenceLine + ": the ```" + tag + " block is never closed");
      out.add(new Block(md, shown + ":" + fenceLine, tag, fenceLine, text.toString()));
      i = j;
    }
    return out;
  }

  private static void check(Faultline faultline, Block b) {
    if (!b.tag().equals("faultline") && !b.isFragment()) {
      fail(b.name() + ": unknown tag ```" + b.tag() + "; use ```faultline or ```faultline-fragment");
    }
    SourceFile source = new SourceFile(b.name().substring(0, b.name().lastIndexOf(':')), b.aligned());
    if (b.isFragment()) {
      try {
        new PlaybookParser().parseStatements(source);
      } catch (PlaybookError e) {
        fail(b.name() + ": the fragment does not parse\n" + render(source, e.diagnostics()));
      }
      return;
    }
    if (!b.firstCodeLine().startsWith("playbook")) {
      fail(b.name() + ": a ```faultline block must be a complete playbook; tag pieces ```faultline-fragment");
    }
    if (REQUIRES_DOCKER.matcher(b.text()).find()) DockerTests.assumeEngine();
    // Examples on local Redis servers need redis-server and redis-sentinel, which run-tests may skip.
    org.junit.jupiter.api.Assumptions.assumeFalse(b.text().contains("redis.local") && Boolean.getBoolean("faultline.skip.redis"),
        "Redis examples skipped (-Dfaultline.skip.redis=true)");
    int expected = b.expectedExit();
    Outcome outcome = assertTimeoutPreemptively(LIMIT, () -> run(faultline, b, source),
        b.name() + ": took longer than " + LIMIT.toSeconds() + "s");
    assertEquals(expected, outcome.exit(), () -> b.name() + ": expected exit " + expected + "\n" + outcome.detail());
    for (String message : b.expectedMessages()) {
      assertTrue(outcome.detail().contains(message),
          () -> b.name() + ": the run does not report '" + message + "'\n" + outcome.detail());
    }
  }

  /** A block grants what it needs as the command line would: a comment line {@code # allow: fs,exec}. */
  static RunOptions options(String code) {
    RunOptions.Builder options = RunOptions.builder();
    var allow = java.util.regex.Pattern.compile("(?m)^\\s*# allow: *(\\S+)").matcher(code);
    if (allow.find()) options.allow(dev.faultline.fault.Capability.parse(allow.group(1)));
    return options.build();
  }

  /** How a run ended, with what a reader needs to see why. */
  record Outcome(int exit, String detail) {}

  /** Loads, checks and runs a block; a mistake found before the run is exit 2, as on the command line. */
  private static Outcome run(Faultline faultline, Block b, SourceFile source) {
    try {
      LoadedPlaybook loaded = new PlaybookLoader().load(source, b.file().getParent());
      List<Diagnostic> problems = faultline.check(loaded).stream().filter(Diagnostic::isError).toList();
      if (!problems.isEmpty()) throw new PlaybookError(problems);
      RunResult result = faultline.start(loaded, options(source.text())).execute();
      return new Outcome(result.exitCode(), describe(result));
    } catch (PlaybookError e) {
      return new Outcome(2, render(source, e.diagnostics()));
    }
  }

  private static String render(SourceFile source, List<Diagnostic> diagnostics) {
    return DiagnosticRenderer.plain(Map.of(source.name(), source)).renderAll(diagnostics);
  }

  private static String describe(RunResult r) {
    StringBuilder b = new StringBuilder();
    r.error().ifPresent(d -> b.append("setup: ").append(d.headline()).append('\n'));
    for (ScenarioResult s : r.scenarios()) {
      b.append("scenario ").append(s.id()).append(": ").append(s.status().word()).append(' ').append(s.message()).append('\n');
      for (StepResult st : s.steps()) {
        b.append("  step ").append(st.name()).append(": ").append(st.status().word()).append(' ').append(st.message())
            .append(" (").append(st.at()).append(")\n");
      }
    }
    r.revertFailures().forEach(f -> b.append("revert failed: ").append(f).append('\n'));
    r.events().stream()
        .filter(e -> e.type() == EventType.ERROR || e.type() == EventType.ABORTED || e.type() == EventType.EXPECT_FAILED)
        .forEach(e -> b.append(e.type().id()).append(": ").append(e.message()).append(" at ").append(e.at()).append('\n'));
    return b.toString();
  }
}
