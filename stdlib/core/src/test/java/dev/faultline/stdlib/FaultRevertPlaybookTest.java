package dev.faultline.stdlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.host.Effect;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.HostTypeInfo;
import dev.faultline.host.Signature;
import dev.faultline.run.RunOptions;
import dev.faultline.source.PlaybookError;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.stdlib.fs.FileTarget;
import dev.faultline.stdlib.process.ProcessTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File and process faults inside real runs, through the embedding API: nothing stays behind. */
class FaultRevertPlaybookTest {
  private static final Path SAFETY_FILES = Path.of("../../playbooks/safety-files.fl");
  private final Faultline faultline = Faultline.builder().standardLibrary().build();
  private Process sleeper;
  private String restartedCommand;

  @TempDir Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    if (sleeper != null) {
      new ProcessBuilder("kill", "-s", "CONT", Long.toString(sleeper.pid())).start().waitFor(5, TimeUnit.SECONDS);
      sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    if (restartedCommand != null) {
      for (long pid : pidsRunning(restartedCommand)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static RunOptions.Builder granted() {
    return RunOptions.builder().allow(Capability.FS, Capability.EXEC);
  }

  private static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()).collect(Collectors.joining("\n"));
  }

  @Test
  void aFailedExpectLeavesTheFileByteIdenticalAndTheProcessRunning() throws Exception {
    Path config = dir.resolve("magds.yaml");
    byte[] original = "replicas: 2\nport: 5432\n".getBytes(StandardCharsets.UTF_8);
    Files.write(config, original);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
    FileTime mtime = FileTime.from(Instant.parse("2022-02-02T02:02:02.222222222Z"));
    Files.setLastModifiedTime(config, mtime);
    sleeper = new ProcessBuilder("sleep", "9876." + ThreadLocalRandom.current().nextInt(1000, 9999)).start();

    RunResult r = faultline.run("e2e.fl", """
        playbook "e2e" {
          param path = ""
          param pid = 0
          scenario "config.invalid" {
            step "break the config and freeze the service" {
              inject file(path).replace("replicas: -1\\n")
              inject process(pid).stop()
              expect file(path).content == "replicas: -1\\n"
              expect not process(pid).running
              expect process(pid).state == "stopped"
              expect file(path).content == "replicas: 2\\n", "the loader kept the old config"
            }
            step "never runs" { log "skipped" }
          }
        }
        """, granted().param("path", config.toString()).param("pid", sleeper.pid()).build());

    assertEquals(1, r.exitCode(), explain(r));
    ScenarioResult s = r.scenario("config.invalid").orElseThrow();
    assertEquals(Status.FAILED, s.steps().get(0).status());
    assertTrue(s.steps().get(0).message().contains("the loader kept the old config"), s.steps().get(0).message());
    assertArrayEquals(original, Files.readAllBytes(config));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    assertEquals(mtime, Files.getLastModifiedTime(config));
    assertTrue(sleeper.isAlive());
    assertNotEquals('T', state(sleeper.pid()), "the process runs again");
  }

  @Test
  void theSafetyFilesPlaybookRevertsEverythingAndCleansUp() throws Exception {
    Path where = dir.resolve("made/by/playbook");
    RunResult r = faultline.run(SAFETY_FILES, granted().param("dir", where.toString()).build());
    assertEquals(1, r.exitCode(), "exit 1 by design: " + explain(r));
    for (ScenarioResult s : r.scenarios()) {
      assertEquals(s.id().equals("failed.expect") ? Status.FAILED : Status.PASSED, s.status(), s.id() + ": " + s.message());
    }
    assertEquals(List.of("replace.reverted", "every.kind", "failed.expect", "restored.after.failure"),
        r.scenarios().stream().map(ScenarioResult::id).toList());
    assertFalse(Files.exists(dir.resolve("made")), "the playbook's own file and directories are gone");

    RunResult safe = faultline.run(SAFETY_FILES, granted().param("dir", where.toString()).tag("safe").build());
    assertEquals(0, safe.exitCode(), explain(safe));
    assertFalse(Files.exists(dir.resolve("made")));
  }

  @Test
  void aSpawnedProcessKilledAndRestartedStillEndsWithItsScope() throws Exception {
    restartedCommand = "sleep 8765." + ThreadLocalRandom.current().nextInt(1000, 9999);
    RunResult r = faultline.run("spawn.fl", """
        playbook "spawn" {
          param cmd = ""
          scenario "s" {
            step "kill and restart" {
              let p = spawn(cmd)
              let first = p.pid
              expect p.running
              record first_pid = first
              inject p.kill(restart: cmd)
              expect not p.running
              revert all
              expect p.running, "restarted"
              expect p.pid != first, "a new process"
              record second_pid = p.pid
            }
          }
        }
        """, granted().param("cmd", restartedCommand).build());
    assertEquals(0, r.exitCode(), explain(r));
    var records = r.scenario("s").orElseThrow().records();
    long second = (Long) records.get("second_pid");
    assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false) && state(second) != 'Z',
        "the restarted process was adopted and ended with the step");
    assertEquals(List.of(), pidsRunning(restartedCommand));
  }

  @Test
  void aFaultOfThePlaybookScopeOutlivesScenariosAndIsRevertedAtTheEnd() throws Exception {
    Path f = dir.resolve("flag");
    Files.writeString(f, "on");
    RunResult r = faultline.run("scopes.fl", """
        playbook "scopes" {
          param path = ""
          let flag = file(path)
          inject flag.replace("off")
          scenario "one" { step "sees it" { expect flag.content == "off" } }
          scenario "two" { step "still sees it" { expect flag.content == "off" } }
        }
        """, granted().param("path", f.toString()).build());
    assertEquals(0, r.exitCode(), explain(r));
    assertEquals("on", Files.readString(f));
  }

  @Test
  void effectsAndPermissionsAreDeclared() {
    var reg = faultline.registry();
    Signature file = reg.function("file").orElseThrow().signature();
    assertEquals(Effect.PURE, file.effect(), "file() only names a file");
    assertEquals(Set.of(), file.requires());
    Signature process = reg.function("process").orElseThrow().signature();
    assertEquals(Effect.PURE, process.effect());
    assertEquals("process(pid: int = null, command: string = null)", process.synopsis());
    Signature spawn = reg.function("spawn").orElseThrow().signature();
    assertEquals(Effect.ACTION, spawn.effect());
    assertEquals(Set.of(Capability.EXEC), spawn.requires());

    HostTypeInfo fileType = HostRegistry.typeInfo(FileTarget.class);
    for (String injector : List.of("replace", "append", "corrupt", "delete", "chmod")) {
      Signature s = fileType.members().get(injector);
      assertTrue(s.isInjector(), injector);
      assertEquals(Set.of(Capability.FS), s.requires(), injector);
    }
    for (String reader : List.of("exists", "content", "size", "mode", "mtime")) {
      assertEquals(Effect.PROBE, fileType.members().get(reader).effect(), reader);
    }
    assertEquals("corrupt(bytes: int = 64, seed: int = null)", fileType.members().get("corrupt").synopsis());

    HostTypeInfo processType = HostRegistry.typeInfo(ProcessTarget.class);
    for (String injector : List.of("stop", "kill")) {
      assertEquals(Set.of(Capability.EXEC), processType.members().get(injector).requires(), injector);
    }
    for (String reader : List.of("pid", "command", "running", "state")) {
      assertEquals(Effect.PROBE, processType.members().get(reader).effect(), reader);
    }
    assertEquals("kill(signal: string = \"KILL\", restart: string = \"\", timeout: duration = 10s)",
        processType.members().get("kill").synopsis());
  }

  @Test
  void mistakesInCallsAreReportedBeforeAnythingRuns() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> faultline.load("bad.fl", """
        playbook "bad" {
          scenario "s" {
            step "x" {
              inject file("/tmp/x").replace()
              inject process(command: "x").kill(signl: "TERM")
            }
          }
        }
        """));
    String all = e.diagnostics().stream().map(d -> d.message()).collect(Collectors.joining("\n"));
    assertTrue(all.contains("replace() is missing argument 'text'"), all);
    assertTrue(all.contains("'signl'"), all);
  }

  // ------------------------------------------------------------ helpers, independent of the code under test

  private static char state(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return s.charAt(s.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return '?';
    }
  }

  private static List<Long> pidsRunning(String command) {
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        String line = new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8)
            .replace('\0', ' ').strip();
        return line.equals(command) && state(p.pid()) != 'Z';
      } catch (IOException e) {
        return false;
      }
    }).map(ProcessHandle::pid).toList();
  }
}
