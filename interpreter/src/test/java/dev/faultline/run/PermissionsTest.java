package dev.faultline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Stmt;
import dev.faultline.embed.Faultline;
import dev.faultline.eval.CallText;
import dev.faultline.fault.Capability;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.parse.PlaybookParser;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Capabilities: refused before the run when the checker sees the call, at first use otherwise. */
class PermissionsTest {
  private final EffectsLibrary lib = new EffectsLibrary();
  private final Faultline faultline = Faultline.builder().library(lib).build();

  private static final String FILES = """
      playbook "files" {
        log shell("echo setup")
        scenario "config" tags [smoke] {
          step "replace" {
            inject file("app.yaml").replace("replicas: -1")
            inject file("app.yaml").delete()
          }
        }
        scenario "network" tags [nightly] {
          step "flood" { inject flood(100) }
        }
      }
      """;

  private RunResult run(String text, RunOptions options) {
    return faultline.run("files.fl", text, options);
  }

  @Test
  void everyMissingCapabilityIsReportedBeforeAnythingRuns() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> run(FILES, RunOptions.defaults()));
    List<Diagnostic> d = e.diagnostics();
    assertEquals(List.of(
        "files.fl:2:7: error: shell() needs the 'exec' permission",
        "files.fl:5:14: error: file(...).replace() needs the 'fs' permission",
        "files.fl:10:27: error: flood() needs the 'net' permission"), d.stream().map(Diagnostic::headline).toList(),
        "one error per capability, at its first call, sorted by place");
    assertEquals("run with --allow exec", d.get(0).help().orElseThrow());
    assertEquals("run with --allow fs", d.get(1).help().orElseThrow());
    assertEquals(List.of("flood() at files.fl:10:27 needs it too"), d.get(0).notes(), "flood needs exec as well");
    assertEquals(List.of("file(...).delete() at files.fl:6:14 needs it too"), d.get(1).notes());
    assertEquals("changes files", d.get(1).label().orElseThrow());
    assertEquals(List.of(), lib.log, "not even the setup ran");
  }

  @Test
  void grantedCapabilitiesRun() {
    RunResult r = run(FILES, RunOptions.builder().allow(Capability.EXEC, Capability.FS).allow(Set.of(Capability.NET)).build());
    assertEquals(0, r.exitCode());
    assertEquals(List.of("shell echo setup", "inject replace app.yaml", "inject delete app.yaml", "revert delete app.yaml",
        "revert replace app.yaml", "inject flood 100", "revert flood 100"), lib.log);
  }

  @Test
  void allGrantsEverything() {
    assertEquals(EnumSet.allOf(Capability.class), Capability.parse("all"));
    assertEquals(EnumSet.allOf(Capability.class), Capability.parse("fs, all"));
    assertEquals(0, run(FILES, RunOptions.builder().allow(Capability.parse("all")).build()).exitCode());
  }

  @Test
  void unknownWordsAreRefusedByName() {
    assertEquals(EnumSet.of(Capability.EXEC, Capability.FS), Capability.parse("exec,FS,,"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Capability.parse("fs,shell"));
    assertEquals("unknown permission 'shell'; permissions are exec, fs, docker, db, net and all", e.getMessage());
  }

  @Test
  void scenariosThatAreNotSelectedNeedNothing() {
    RunResult r = run(FILES, RunOptions.builder().tag("smoke").allow(Capability.EXEC, Capability.FS).build());
    assertEquals(0, r.exitCode(), "the nightly flood needs 'net', but it is not selected");
    PlaybookError e = assertThrows(PlaybookError.class, () -> run(FILES, RunOptions.builder().tag("smoke").build()));
    assertEquals(List.of("exec", "fs"), e.diagnostics().stream().map(d -> d.help().orElseThrow().replace("run with --allow ", "")).toList());
  }

  @Test
  void faultsInjectedBeforeARefusalAreReverted() {
    RunResult r = run("""
        playbook "late" {
          fn wipe(f) { inject f.delete() }
          scenario "a" {
            step "wipe" {
              inject flood(5)
              wipe(file("app.yaml"))
            }
          }
        }
        """, RunOptions.builder().allow(Capability.NET, Capability.EXEC).build());
    assertEquals(ExitCode.FAILED, r.exitCode());
    assertEquals(List.of("inject flood 5", "revert flood 5"), lib.log, "delete was refused before it was injected");
  }

  @Test
  void firstUseFailsTheStepWithTheCheckersWords() {
    RunResult r = run("""
        playbook "late" {
          fn wipe(f) { inject f.delete() }
          scenario "a" {
            step "wipe" {
              log "before"
              wipe(file("app.yaml"))
              log "never"
            }
          }
          scenario "b" { step "other" { log "b runs" } }
        }
        """, RunOptions.defaults());
    assertEquals(ExitCode.FAILED, r.exitCode());
    StepResult step = r.scenario("a").orElseThrow().steps().get(0);
    assertEquals(Status.FAILED, step.status());
    assertEquals("f.delete() needs the 'fs' permission", step.message());
    assertEquals("files.fl:2:23", step.at());
    assertEquals("run with --allow fs", step.error().orElseThrow().help().orElseThrow());
    assertEquals(List.of(), lib.log, "the fault was not injected");
    assertEquals(Status.PASSED, r.scenario("b").orElseThrow().status());
  }

  @Test
  void callsInImportedFilesAreCheckedToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("lib.fl"), "fn wipe_all() {\n  inject file(\"x\").delete()\n}\n");
    java.nio.file.Path main = java.nio.file.Files.writeString(dir.resolve("main.fl"),
        "playbook \"m\" {\n  import \"lib.fl\"\n  scenario \"s\" { step \"x\" { wipe_all() } }\n}\n");
    PlaybookError e = assertThrows(PlaybookError.class, () -> faultline.run(main, RunOptions.defaults()));
    assertEquals(1, e.diagnostics().size());
    assertTrue(e.first().at().file().endsWith("lib.fl"), e.first().at().toString());
    assertEquals("file(...).delete() needs the 'fs' permission", e.first().message());
    assertEquals(0, faultline.run(main, RunOptions.builder().allow(Capability.FS).build()).exitCode());
  }

  @Test
  void callTextNamesTheFunctionNotItsArguments() {
    assertEquals("file(...).replace()", text("file(\"a\").replace(\"b\")"));
    assertEquals("http.get()", text("http.get(url, timeout: 2s)"));
    assertEquals("svc.stop()", text("svc.stop()"));
    assertEquals("docker.container(...).kill()", text("docker.container(\"db\").kill()"));
    assertEquals("links[...].latency()", text("links[0].latency(5ms)"));
    assertEquals("svc.health", text("svc.health"));
  }

  private static String text(String expr) {
    var unit = new PlaybookParser().parseStatements(new SourceFile("t", expr));
    Expr e = ((Stmt.ExprStmt) unit.body().get(0)).expr();
    return CallText.of(e);
  }

  @Test
  void codeOutsideARunActsForItsCallerAndNeedsNoPermission() {
    CallContext detached = CallContext.detached();
    assertEquals(EnumSet.allOf(Capability.class), detached.granted());
    detached.require(Set.of(Capability.FS, Capability.EXEC), "replace()");
    CallContext limited = new CallContext() {
      public dev.faultline.source.Position at() { return dev.faultline.source.Position.NONE; }
      public void sleep(java.time.Duration d) {}
      public void checkInterrupted() {}
      public void log(String message) {}
      public void own(AutoCloseable resource, String description) {}
      public Set<Capability> granted() { return Set.of(Capability.FS); }
    };
    limited.require(Set.of(Capability.FS), "replace()");
    HostError e = assertThrows(HostError.class, () -> limited.require(Set.of(Capability.FS, Capability.EXEC, Capability.DB), "run()"));
    assertEquals("run() needs the 'exec' permission", e.getMessage(), "the first missing one, in a fixed order");
    assertEquals("run with --allow exec", e.help());
  }

  @Test
  void theCheckRunsInPlanToo() {
    LoadedPlaybook p = faultline.load("files.fl", FILES);
    assertThrows(PlaybookError.class, () -> faultline.plan(p, RunOptions.defaults()));
    assertThrows(PlaybookError.class, () -> faultline.start(p, RunOptions.defaults()));
    faultline.plan(p, RunOptions.builder().dryRun(DryRun.PLAN).build());
    assertTrue(lib.log.isEmpty());
  }
}
