package dev.faultline.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.embed.Faultline;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookLoader;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CheckerTest {

  private static List<Diagnostic> check(String name, String text) {
    LoadedPlaybook loaded = new PlaybookLoader().load(new SourceFile(name, text), CheckFilesTest.DIR.toAbsolutePath());
    return new Checker(CheckFilesTest.REGISTRY).check(loaded);
  }

  @Test
  void aNamespaceOfAnOptionalModuleNamesTheModuleToAdd() {
    List<Diagnostic> found = check("opt.fl", """
        playbook "opt" {
          let c = docker.container("web")
          let db = postgres.local()
        }
        """);
    assertEquals(2, found.size(), found.toString());
    assertEquals("'docker' is not available: the faultline-docker module is not on the class path", found.get(0).message());
    assertTrue(found.get(0).help().orElseThrow().contains("dev.faultline:faultline-docker"), found.get(0).toString());
    assertEquals("'postgres' is not available: the faultline-postgres module is not on the class path", found.get(1).message());
  }

  @Test
  void reportsEveryProblemInOnePassSortedByPosition() {
    String text = """
        playbook "five" {
          step "outside" { }
          let link = proxy(listen: "127.0.0.1:0", upstream: "127.0.0.1:9")
          scenario "s" {
            step "x" {
              expect undefined_name
              expect 500ms > 30%
              wait 30%
              inject link.latency(500ms, jiter: 1ms)
            }
          }
        }
        """;
    List<Diagnostic> found = check("five.fl", text);
    assertEquals(List.of(
        "five.fl:2:3: error: a step must be inside a scenario",
        "five.fl:6:14: error: unknown name 'undefined_name'",
        "five.fl:7:14: error: cannot compare a duration with a percentage using '>'",
        "five.fl:8:12: error: 'wait' needs a duration, got a percentage",
        "five.fl:9:34: error: latency() has no parameter 'jiter'"),
        found.stream().map(Diagnostic::headline).toList());
    // The target rendering of STYLE section 4, exactly.
    assertEquals("""
        five.fl:9:34: error: latency() has no parameter 'jiter'
          |
        9 |       inject link.latency(500ms, jiter: 1ms)
          |                                  ^^^^^ unknown parameter
          = help: did you mean 'jitter'?
        """, DiagnosticRenderer.plain(java.util.Map.of("five.fl", new SourceFile("five.fl", text))).render(found.get(4)));
  }

  @Test
  void theValidPlaybookUsesEveryConstructAndIsSilent() throws Exception {
    Path file = CheckFilesTest.DIR.resolve("valid-everything.fl");
    String text = Files.readString(file);
    assertFalse(text.contains("# error:"));
    LoadedPlaybook loaded = new PlaybookLoader().load(new SourceFile(file.toString(), text), CheckFilesTest.DIR.toAbsolutePath());
    assertEquals(List.of(), new Checker(CheckFilesTest.REGISTRY).check(loaded));

    Set<Class<?>> kinds = new HashSet<>();
    List<Object> roots = new ArrayList<>(loaded.imports().values());
    roots.add(loaded.main());
    walk(roots, kinds);
    Set<String> missing = new TreeSet<>();
    for (Class<?> c : concrete(Stmt.class)) if (!kinds.contains(c)) missing.add(c.getSimpleName());
    for (Class<?> c : concrete(Expr.class)) if (!kinds.contains(c)) missing.add(c.getSimpleName());
    assertEquals(Set.of(), missing, "constructs valid-everything.fl does not use");
  }

  /** Every record class a sealed AST interface permits, through nested sealed interfaces. */
  private static List<Class<?>> concrete(Class<?> sealed) {
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : sealed.getPermittedSubclasses()) {
      if (c.isInterface()) out.addAll(concrete(c));
      else out.add(c);
    }
    return out;
  }

  private static void walk(Collection<Object> roots, Set<Class<?>> kinds) throws Exception {
    Deque<Object> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      kinds.add(o.getClass());
      if (o instanceof Collection<?> c) c.forEach(todo::push);
      else if (o instanceof Optional<?> opt) opt.ifPresent(todo::push);
      else if (o instanceof Record r && (o instanceof dev.faultline.ast.Node || o instanceof Playbook)) {
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
          Object v = rc.getAccessor().invoke(r);
          if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) todo.push(v);
        }
      }
    }
  }

  @Test
  void deepNestingDoesNotOverflowEvenOnASmallStack() throws Exception {
    StringBuilder b = new StringBuilder("playbook \"deep\" {\n scenario \"s\" {\n step \"x\" {\n");
    int blocks = 190;
    for (int i = 0; i < blocks; i++) b.append("if true {\n");
    b.append("let a = ").append("(".repeat(6)).append("1 + x").append(")".repeat(6)).append('\n');
    b.append("}\n".repeat(blocks));
    b.append("let n = ").append("not ".repeat(200)).append("true\n");
    b.append("let m = ").append("-".repeat(200)).append("1s\n");
    b.append("let s = 1").append(" + 1".repeat(900)).append('\n');
    b.append("let c = ").append("[".repeat(190)).append("1").append("]".repeat(190)).append('\n');
    b.append("}\n}\n}\n");
    LoadedPlaybook loaded = new PlaybookLoader().load(new SourceFile("deep.fl", b.toString()), CheckFilesTest.DIR);
    AtomicReference<Object> outcome = new AtomicReference<>();
    // A caller with a small stack: the checker must not depend on it.
    Thread small = new Thread(null, () -> {
      try {
        outcome.set(new Checker(CheckFilesTest.REGISTRY).check(loaded));
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "small-stack", 256 * 1024);
    small.start();
    small.join();
    if (outcome.get() instanceof Throwable t) throw new AssertionError(t);
    @SuppressWarnings("unchecked")
    List<Diagnostic> found = (List<Diagnostic>) outcome.get();
    assertEquals(List.of("deep.fl:" + (4 + blocks) + ":19: error: unknown name 'x'"),
        found.stream().map(Diagnostic::headline).toList());
  }

  @Test
  void loadingThroughTheEmbeddingApiThrowsEveryCheckProblem() {
    Faultline faultline = Faultline.builder().library(new TestLibrary()).build();
    PlaybookError e = assertThrows(PlaybookError.class, () -> faultline.load("bad.fl", """
        playbook "bad" {
          wait 30%
          log nope
        }
        """));
    assertEquals(List.of("bad.fl:2:8: error: 'wait' needs a duration, got a percentage",
        "bad.fl:3:7: error: unknown name 'nope'"), e.diagnostics().stream().map(Diagnostic::headline).toList());
    assertTrue(faultline.check(faultline.load("good.fl", "playbook \"good\" { wait 1ms }")).isEmpty());
  }

  /**
   * Damaged versions of every check file (lines, spans and characters removed or repeated) either
   * fail to parse or are checked without any exception: the checker never crashes on what parses.
   */
  @Test
  void damagedPlaybooksNeverCrashTheChecker() throws Exception {
    Random random = new Random(20261123);
    List<Path> files;
    try (var s = Files.list(CheckFilesTest.DIR)) {
      files = s.filter(p -> p.toString().endsWith(".fl")).sorted().toList();
    }
    int checked = 0;
    for (Path f : files) {
      String original = Files.readString(f);
      for (int i = 0; i < 60; i++) {
        String text = damage(original, random);
        LoadedPlaybook loaded;
        try {
          loaded = new PlaybookLoader().load(new SourceFile(f.toString(), text), CheckFilesTest.DIR.toAbsolutePath());
        } catch (PlaybookError parseProblem) {
          continue;
        }
        for (Diagnostic d : new Checker(CheckFilesTest.REGISTRY).check(loaded)) {
          assertFalse(d.message().isBlank());
          assertTrue(d.at().isKnown(), d.headline());
        }
        checked++;
      }
    }
    assertTrue(checked > 100, "too few damaged playbooks parsed: " + checked);
  }

  private static String damage(String text, Random random) {
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>(List.of(lines));
    int edits = 1 + random.nextInt(3);
    for (int k = 0; k < edits; k++) {
      int at = random.nextInt(out.size());
      String line = out.get(at);
      switch (random.nextInt(4)) {
        case 0 -> out.remove(at);
        case 1 -> out.add(at, line);
        case 2 -> {
          if (line.length() > 2) {
            int from = random.nextInt(line.length() - 1);
            int to = from + 1 + random.nextInt(Math.min(8, line.length() - from - 1) + 1);
            out.set(at, line.substring(0, from) + line.substring(Math.min(to, line.length())));
          }
        }
        default -> {
          int a = random.nextInt(out.size());
          out.set(at, out.get(a));
        }
      }
      if (out.isEmpty()) out.add("");
    }
    return String.join("\n", out);
  }
}
