package dev.faultline.stdlib.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.run.RunResult;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the checker knows of a hook's functions before anything runs, and what a person sees when
 * a hook is wrong: the hook's file, line and column, the JavaScript message, the calling statement.
 */
class HookCheckTest {
  static final String TOOLS = """
      faultline.probe("tools.scale", { doc: "scales a duration", params: { d: "duration", by: "number = 2" },
        returns: "duration", run(args) { return faultline.duration(args.d.ms * args.by); } });
      faultline.probe("tools.lie", { doc: "claims a duration, returns a number", params: {}, returns: "duration",
        run() { return 500; } });
      faultline.probe("tools.fail", { doc: "throws", params: { why: "string = \\"no reason\\"" },
        run(args) {
          const detail = { why: args.why };
          throw new Error("refusing: " + detail.why);
        } });
      faultline.probe("tools.echo", { doc: "returns its argument as JavaScript saw it", params: { v: "any" },
        run(args) { return args.v; } });
      faultline.probe("tools.get", { doc: "one member as JavaScript sees it", params: { v: "any", key: "string" },
        run(args) { return args.v[args.key]; } });
      faultline.probe("tools.describe", { doc: "types of what arrived", params: { v: "any" },
        run(args) { return Object.entries(args.v).map(([k, x]) => k + ":" + (x && x.kind ? x.kind : Array.isArray(x) ? "array" : typeof x)).join(","); } });
      """;

  @TempDir Path dir;

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  List<Diagnostic> problems(String playbook) throws IOException {
    write("tools.js", TOOLS);
    Path file = write("test.fl", playbook);
    try {
      return HookPlaybookTest.FAULTLINE.check(new dev.faultline.run.PlaybookLoader().load(file)).stream()
          .filter(Diagnostic::isError).toList();
    } catch (PlaybookError e) {
      return e.diagnostics();
    }
  }

  static String show(List<Diagnostic> ds) {
    return ds.stream().map(d -> d.at() + ": " + d.message() + (d.help() == null ? "" : " (help: " + d.help() + ")"))
        .collect(Collectors.joining("\n"));
  }

  RunResult run(String playbook) throws IOException {
    write("tools.js", TOOLS);
    Path file = write("test.fl", playbook);
    return HookPlaybookTest.FAULTLINE.run(file, dev.faultline.run.RunOptions.builder().journalDir(dir.resolve("journal")).build());
  }

  @Test
  void theCheckerKnowsAHooksFunctionsTheirParametersAndUnits() throws IOException {
    List<Diagnostic> ds = problems("""
        playbook "p" {
          hook "tools.js"
          scenario "s" {
            step "x" {
              let a = tools.scale(500ms, byy: 2)
              let b = tools.scale(30%)
              let c = tools.scael(1s)
              expect tools.scale(1s) > 5%
            }
          }
        }
        """);
    String all = show(ds);
    assertTrue(all.contains("test.fl:5:34: scale() has no parameter 'byy'"), all);
    assertTrue(all.contains("test.fl:6:27: scale() expects a duration for 'd', got a percentage"), all);
    assertTrue(all.contains("'tools' has no member 'scael'"), all);
    assertTrue(all.contains("test.fl:8:") , all);
    assertEquals(4, ds.size(), all);
  }

  @Test
  void aHookOnlyAtTheTopLevelAndWithAKnownMode() throws IOException {
    String all = show(problems("""
        playbook "p" {
          hook "tools.js"
          hook sandboxed "tools.js"
          scenario "s" { step "x" { hook "tools.js" } }
        }
        """));
    assertTrue(all.contains("unknown hook mode 'sandboxed'"), all);
  }

  @Test
  void aHookInsideAStepIsRefused() throws IOException {
    String all = show(problems("""
        playbook "p" {
          hook "tools.js"
          scenario "s" { step "x" { hook "tools.js" } }
        }
        """));
    assertTrue(all.contains("'hook' must be at the top level of a file, not inside a step"), all);
  }

  @Test
  void aMissingHookFileIsReportedAtItsPath() throws IOException {
    String all = show(problems("""
        playbook "p" {
          hook "hooks/nope.js"
        }
        """));
    assertTrue(all.contains("test.fl:2:8: cannot load hook 'hooks/nope.js': no such file"), all);
  }

  @Test
  void aSyntaxErrorInAHookNamesItsLineAndColumn() throws IOException {
    write("bad.js", "faultline.probe(\"x\", { doc: \"d\", run() { return 1 } });\nlet = ;\n");
    String all = show(problems("""
        playbook "p" {
          hook "bad.js"
        }
        """));
    assertTrue(all.contains("bad.js:2:"), all);
    assertTrue(all.contains("syntax error in hook"), all);
  }

  @Test
  void aMistakeInARegistrationNamesTheRegisteringLine() throws IOException {
    write("spec.js", "\n\nfaultline.probe(\"x\", { doc: \"d\", params: { n: \"integer\" }, run() { return 1 } });\n");
    String all = show(problems("""
        playbook "p" {
          hook "spec.js"
        }
        """));
    assertTrue(all.contains("spec.js:3:1: 'x': unknown type 'integer' for parameter 'n'"), all);
  }

  @Test
  void aHookFunctionNamedLikeABuiltInIsRefused() throws IOException {
    write("clash.js", "faultline.probe(\"http.get\", { doc: \"d\", run() { return 1 } });\n");
    String all = show(problems("""
        playbook "p" {
          hook "clash.js"
        }
        """));
    assertTrue(all.contains("registers 'http.get', which is a built-in function"), all);
  }

  @Test
  void anErrorThrownInJavaScriptNamesTheHookLineColumnMessageAndTheCallingStatement() throws IOException {
    RunResult r = run("""
        playbook "p" {
          hook "tools.js"
          scenario "s" {
            step "x" {
              let v = tools.fail(why: "testing")
            }
          }
        }
        """);
    assertEquals(1, r.exitCode(), HookPlaybookTest.explain(r));
    var step = r.scenarios().get(0).steps().get(0);
    String message = step.message();
    assertTrue(message.startsWith("probe 'tools.fail' failed at "), message);
    assertTrue(message.contains("tools.js:8:11: Error: refusing: testing"), message);
    assertTrue(step.at().contains("test.fl:5:"), step.at());
    assertFalse(message.contains("at org.graalvm"), message);
  }

  @Test
  void aProbeThatReturnsTheWrongUnitIsAnErrorNotASilentNumber() throws IOException {
    RunResult r = run("""
        playbook "p" {
          hook "tools.js"
          scenario "s" { step "x" { let d = tools.lie() } }
        }
        """);
    String message = r.scenarios().get(0).steps().get(0).message();
    assertTrue(message.contains("declares that it returns a duration, but returned a number (500)"), message);
  }

  @Test
  void valuesCrossTheBoundaryBothWays() throws IOException {
    RunResult r = run("""
        playbook "p" {
          hook "tools.js"
          scenario "s" {
            step "x" {
              let v = {n: 1, f: 2.5, s: "x", b: true, z: null, d: 1500ms, p: 30%, size: 2MiB, r: 50/s, l: [1, "two", [3]], m: {k: "v"}}
              expect tools.echo(v) == v, "round trip: ${tools.echo(v)}"
              expect tools.describe(v) == "n:number,f:number,s:string,b:boolean,z:object,d:duration,p:percent,size:size,r:rate,l:array,m:object", tools.describe(v)
              expect tools.scale(1500ms, by: 0.5) == 750ms
              let svc = demo.service()
              expect tools.echo(svc).url == svc.url
              expect tools.get(svc, "type") == "service"
              expect tools.get(svc, "port") == svc.port
              expect tools.echo(svc) == svc, "a host value passed back is the value itself"
            }
          }
        }
        """);
    assertEquals(0, r.exitCode(), HookPlaybookTest.explain(r));
  }
}
