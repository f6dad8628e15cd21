package dev.faultline.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CPU stress load of a {@code faultline run} killed with SIGKILL: the watchdog ends its workers,
 * found by the tag in the fault's journal record. The stress-ng engine, since the built-in worker
 * also ends by itself when its parent is gone and so would not show the watchdog's work; skipped
 * like the stdlib's stress-ng tests when there is no stress-ng.
 */
class StressCrashTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void linuxOnly() {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    if (Boolean.getBoolean("faultline.skipStressNg")) Assumptions.abort("stress-ng tests skipped: run-tests found no stress-ng (-Dfaultline.skipStressNg=true)");
    boolean installed = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d.isEmpty() ? "." : d, "stress-ng")));
    if (!installed) {
      if ("true".equals(System.getenv("CI"))) org.junit.jupiter.api.Assertions.fail("CI may skip nothing: stress-ng is not installed");
      Assumptions.abort("stress-ng tests skipped: stress-ng is not installed (apt-get install stress-ng)");
    }
  }

  /** Processes whose environment holds {@code FAULTLINE_STRESS=tag}, and their descendants. */
  private static List<Long> workers(String tag) {
    List<Long> out = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      try {
        String env = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")), StandardCharsets.UTF_8);
        if (List.of(env.split("\0")).contains("FAULTLINE_STRESS=" + tag)) {
          out.add(p.pid());
          p.descendants().forEach(d -> out.add(d.pid()));
        }
      } catch (Exception gone) {
        // exited, or not readable
      }
    });
    return out;
  }

  /**
   * Whether the process exists and is not a zombie. A worker whose parent (the killed run) is gone
   * is reparented, and may stay a zombie until its new parent reaps it; it uses nothing then.
   */
  private static boolean runs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (Exception gone) {
      return false;
    }
  }

  @Test
  void theWatchdogEndsTheWorkersOfAKilledRun() throws Exception {
    Path playbook = Files.writeString(tmp.resolve("hold.fl"), """
        playbook "hold" {
          scenario "s" {
            step "hold" {
              inject stress.cpu(workers: 1, bound: 5m, engine: "stress-ng")
              wait 60s
            }
          }
        }
        """);
    Path journal = tmp.resolve("journal");
    Process p = Children.start(tmp, tmp.resolve("log.txt"), List.of(), "run", playbook.toString(), "--allow", "exec",
        "--journal", journal.toString(), "--report-dir", tmp.resolve("report").toString());
    String[] tag = {null};
    boolean injected = Children.await(() -> {
      Optional<JournalRecord> r = JournalTest.readAll(journal).stream().filter(x -> x.state() == JournalRecord.State.INJECTED).findFirst();
      r.ifPresent(x -> tag[0] = (String) x.undo().get("tag"));
      return tag[0] != null && !workers(tag[0]).isEmpty();
    }, Duration.ofSeconds(60));
    assertTrue(injected, "the run did not start its workers; alive: " + p.isAlive() + "\n" + Children.read(tmp.resolve("log.txt")));
    assertTrue(Children.await(() -> Children.watchdogOf(p.toHandle()).isPresent(), Duration.ofSeconds(10)), "no watchdog");
    Thread.sleep(500); // a watchdog just spawned is still starting its JVM
    List<Long> before = workers(tag[0]);

    p.destroyForcibly();
    assertTrue(Children.await(() -> workers(tag[0]).isEmpty(), Duration.ofSeconds(30)), "workers left: " + workers(tag[0]));
    for (long pid : before) assertFalse(runs(pid), "worker " + pid + " is still there");
    assertTrue(Children.await(() -> Children.files(journal).isEmpty(), Duration.ofSeconds(10)), Children.files(journal).toString());
    assertEquals(List.of(), Children.files(journal));
  }
}
