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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM sent to a real {@code faultline run} process (a child JVM on this module's
 * test class path, so that the test-only faults of {@link FakeLibrary} are there): the run ends
 * aborted (exit 3), its fault is reverted (a marker file another process can see is gone), its
 * rollback blocks ran, and a second Ctrl-C during a slow revert only reports progress.
 */
@Timeout(90)
class SignalTest {
  @TempDir
  Path tmp;

  private static final String PLAYBOOK = """
      playbook "signals" {
        param marker = "marker"
        param revert_takes = 1ms
        rollback { log "playbook rollback ran" }
        scenario "s" {
          rollback { log "scenario rollback ran" }
          step "waits" {
            rollback { log "step rollback ran" }
            inject fake.marker(marker)
            inject fake.slow_revert("slow database restart", revert_takes)
            log "waiting"
            wait 30s
            log "not printed"
          }
        }
      }
      """;

  /** A running child: its process and everything it printed so far. */
  record Child(Process process, List<String> out, List<String> err) {
    void waitFor(List<String> lines, String text) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end) {
        synchronized (lines) {
          if (lines.stream().anyMatch(l -> l.contains(text))) return;
        }
        if (!process.isAlive()) break;
        Thread.sleep(20);
      }
      throw new AssertionError("never printed '" + text + "'; out: " + out + "; err: " + err);
    }

    void signal(String name) throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    int exit() throws InterruptedException {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the run ended; out: " + out + "; err: " + err);
      return process.exitValue();
    }

    String all() {
      synchronized (out) {
        return String.join("\n", out);
      }
    }
  }

  private Child start(Path marker, String revertTakes) throws IOException {
    Path file = Files.writeString(tmp.resolve("signals.fl"), PLAYBOOK);
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(java, "-cp", cp, "dev.faultline.cli.Main", "run", file.toString(),
        "--report-dir", tmp.resolve("report").toString(), "-p", "marker=" + marker, "-p", "revert_takes=" + revertTakes)
        .directory(tmp.toFile()).start();
    Child c = new Child(p, new ArrayList<>(), new ArrayList<>());
    ChildOutput.pump(p.getInputStream(), c.out());
    ChildOutput.pump(p.getErrorStream(), c.err());
    return c;
  }


  /** A process started with SIGINT ignored (a shell's background job) cannot be stopped by it: skip then. */
  private static void assumeSignalNotIgnored(Child c, int signal) throws IOException {
    Path status = Path.of("/proc/" + c.process().pid() + "/status");
    Assumptions.assumeTrue(Files.exists(status), "needs /proc");
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        Assumptions.assumeTrue((mask & (1L << (signal - 1))) == 0, "signal " + signal + " is ignored by this process tree");
      }
    }
  }

  private void assertStoppedCleanly(Child c, Path marker) throws InterruptedException {
    assertEquals(3, c.exit(), c.all());
    assertFalse(Files.exists(marker), "the fault was reverted");
    String out = c.all();
    assertTrue(out.contains("revert  marker file marker"), out);
    int step = out.indexOf("log     step rollback ran");
    int scenario = out.indexOf("log     scenario rollback ran");
    int playbook = out.indexOf("log     playbook rollback ran");
    assertTrue(step > 0 && scenario > step && playbook > scenario, "rollback blocks ran, innermost first:\n" + out);
    assertTrue(out.contains("ABORT step \"waits\""), out);
    assertFalse(out.contains("not printed"), out);
    assertTrue(Files.exists(tmp.resolve("report/report.json")), "the report was written");
  }

  @Test
  void ctrlCDuringAWaitRevertsTheFaultRunsRollbackBlocksAndExitsThree() throws Exception {
    Path marker = tmp.resolve("marker");
    Child c = start(marker, "1ms");
    c.waitFor(c.out(), "log     waiting");
    assumeSignalNotIgnored(c, 2);
    assertTrue(Files.exists(marker), "the fault is in place");
    c.signal("INT");
    assertStoppedCleanly(c, marker);
    assertTrue(String.join("\n", c.err()).contains("faultline: Ctrl-C (SIGINT): stopping"), c.err().toString());
    assertTrue(c.all().contains("interrupted: stopped by Ctrl-C (SIGINT)"), c.all());
  }

  @Test
  void sigtermDoesTheSame() throws Exception {
    Path marker = tmp.resolve("marker");
    Child c = start(marker, "1ms");
    c.waitFor(c.out(), "log     waiting");
    assumeSignalNotIgnored(c, 15);
    c.signal("TERM");
    assertStoppedCleanly(c, marker);
    assertTrue(c.all().contains("interrupted: stopped by SIGTERM"), c.all());
  }

  @Test
  void aSecondCtrlCDuringASlowRevertOnlyReportsProgress() throws Exception {
    Path marker = tmp.resolve("marker");
    Child c = start(marker, "2s");
    c.waitFor(c.out(), "log     waiting");
    assumeSignalNotIgnored(c, 2);
    c.signal("INT");
    c.waitFor(c.err(), "stopping");
    Thread.sleep(400); // the slow revert (newest first) is under way
    c.signal("INT");
    c.waitFor(c.err(), "still reverting");
    c.signal("TERM");
    assertStoppedCleanly(c, marker);
    String err = String.join("\n", c.err());
    assertTrue(err.contains("faultline: still reverting 2 faults…"), err);
    String out = c.all();
    assertTrue(out.contains("revert  slow database restart"), "the slow revert finished:\n" + out);
    assertTrue(out.indexOf("revert  slow database restart") < out.indexOf("revert  marker file marker"), out);
  }
}
