package dev.faultline.stdlib.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.source.PlaybookError;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services on a real component, playbooks/components/MagDb.java on a free port, and the errors a
 * user meets. The seed playbook that drives magdb (playbooks/seed-000-magds.fl) is run by the
 * playbooks module's Seed000PlaybookTest.
 */
class ServicePlaybookTest {
  static final String COMPONENT = Path.of("../../playbooks/components/MagDb.java").toAbsolutePath().normalize().toString();
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()).collect(Collectors.joining("\n"));
  }

  private static boolean magdbRuns(int port) {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.contains("MagDb.java " + port)).orElse(false));
  }

  @Test
  void aComponentThatCannotStartSaysWhy(@TempDir Path dir) throws Exception {
    int port = freePort();
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "replicas: 0\n");
    RunResult r = faultline.run("bad-start.fl", """
        playbook "bad-start" {
          let s = service("magdb", start: "java -Xmx32m %s %d %s",
                          health: "http://127.0.0.1:%d/health", timeout: 60s)
          s.start()
        }
        """.formatted(COMPONENT, port, conf, port), RunOptions.builder().allow(Capability.EXEC).build());
    assertEquals(1, r.exitCode(), explain(r));
    String why = r.error().map(d -> d.message()).orElse("");
    assertTrue(why.contains("service magdb did not start: 'java -Xmx32m " + COMPONENT) && why.contains("exited with status 2"), why);
  }

  @Test
  void startNeedsTheExecPermission() {
    PlaybookError e = assertThrows(PlaybookError.class, () -> faultline.run("no-exec.fl", """
        playbook "no-exec" {
          let s = service("sleeper", start: "sleep 33.3")
          s.start()
        }
        """, RunOptions.defaults()));
    assertTrue(e.getMessage().contains("s.start() needs the 'exec' permission"), e.getMessage());
  }

  @Test
  void aServiceWithoutHealthCheckIsHealthyWhenItRunsAndEndsWithItsScope() {
    String sleep = "sleep 34." + (1000 + (int) (Math.random() * 8999));
    RunResult r = faultline.run("sleeper.fl", """
        playbook "sleeper" {
          scenario "s" {
            step "started and crashed" {
              let s = service("sleeper", start: "%s", timeout: 10s)
              let took = s.start()
              expect s.healthy
              let crash = inject s.crash(restart: false)
              expect not s.healthy
              expect s.state == "gone"
              revert crash
              expect s.state == "gone", "without restart the revert starts nothing"
              s.start()
              expect s.running
            }
          }
        }
        """.formatted(sleep), RunOptions.builder().allow(Capability.EXEC).build());
    assertEquals(0, r.exitCode(), explain(r));
    assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.endsWith(sleep)).orElse(false)),
        "the service started in the step was shut down when the step ended");
  }
}
