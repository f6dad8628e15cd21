package dev.faultline.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.docs.DockerTests;
import dev.faultline.fault.JournalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container faults of a {@code faultline run} that dies with SIGKILL: a paused container is
 * unpaused and a stopped one started again, by {@code faultline recover} and by the watchdog. Runs
 * against a real Docker engine (skipped like every Docker test when there is none).
 */
class ContainerCrashTest {
  @TempDir
  Path tmp;

  private final String prefix = "flcrash-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  private final List<String> containers = new ArrayList<>();

  @BeforeEach
  void engine() {
    DockerTests.assumeEngine();
  }

  @AfterEach
  void removeContainers() throws Exception {
    for (String c : containers) docker("rm", "-f", c);
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    return out;
  }

  private String sleeper(String name) throws Exception {
    String full = prefix + "-" + name;
    containers.add(full);
    docker("run", "-d", "--network", "host", "--name", full, DockerTests.IMAGE, "sleep", "3600");
    return full;
  }

  private static String state(String name) {
    try {
      return docker("inspect", "-f", "{{.State.Status}}", name);
    } catch (Exception e) {
      return "unknown";
    }
  }

  private record Run(Path journal, Process process, String paused, String stopped) {}

  private Run start() throws Exception {
    String paused = sleeper("paused");
    String stopped = sleeper("stopped");
    Path playbook = Files.writeString(tmp.resolve("hold.fl"), """
        playbook "hold" {
          scenario "s" {
            step "hold" {
              inject docker.container("%s").pause()
              inject docker.container("%s").stop(grace: 0s)
              wait 60s
            }
          }
        }
        """.formatted(paused, stopped));
    Path journal = tmp.resolve("journal");
    Process p = Children.start(tmp, tmp.resolve("log.txt"), List.of(), "run", playbook.toString(), "--allow", "docker",
        "--journal", journal.toString(), "--report-dir", tmp.resolve("report").toString());
    boolean injected = Children.await(() -> state(paused).equals("paused") && state(stopped).equals("exited")
        && JournalTest.readAll(journal).stream().filter(r -> r.state() == JournalRecord.State.INJECTED).count() >= 2,
        Duration.ofSeconds(60));
    assertTrue(injected, "the run did not inject its faults; alive: " + p.isAlive() + "\n" + Children.read(tmp.resolve("log.txt")));
    return new Run(journal, p, paused, stopped);
  }

  @Test
  void recoverUnpausesAndStartsWhatAKilledRunLeft() throws Exception {
    Run r = start();
    Optional<ProcessHandle>[] watchdog = new Optional[] {Optional.empty()};
    assertTrue(Children.await(() -> (watchdog[0] = Children.watchdogOf(r.process().toHandle())).isPresent(), Duration.ofSeconds(10)),
        "no watchdog; children: " + r.process().toHandle().children().map(c -> c.pid() + " " + c.info().commandLine().orElse("?").length()).toList());
    Children.freeze(r.process().pid());
    watchdog[0].orElseThrow().destroyForcibly();
    Children.kill(r.process().toHandle());
    assertEquals("paused", state(r.paused()));
    assertEquals("exited", state(r.stopped()));

    Children.Outcome recover = Children.inProcess("recover", "--journal", r.journal().toString());
    assertEquals(0, recover.exit(), recover.out() + recover.err());
    assertTrue(recover.out().contains("reverted") && recover.out().contains("docker.pause") && recover.out().contains("docker.stop"),
        recover.out());
    assertEquals("running", state(r.paused()));
    assertEquals("running", state(r.stopped()));
    assertEquals(List.of(), Children.files(r.journal()));
  }

  @Test
  void theWatchdogUnpausesAndStartsAfterASigkill() throws Exception {
    Run r = start();
    assertTrue(Children.await(() -> Children.watchdogOf(r.process().toHandle()).isPresent(), Duration.ofSeconds(10)));
    Thread.sleep(500); // a watchdog just spawned is still starting its JVM
    r.process().destroyForcibly();
    assertTrue(Children.await(() -> state(r.paused()).equals("running") && state(r.stopped()).equals("running"),
        Duration.ofSeconds(30)), "the watchdog did not revert the container faults: " + state(r.paused()) + ", " + state(r.stopped()));
    assertTrue(Children.await(() -> Children.files(r.journal()).isEmpty(), Duration.ofSeconds(10)), Children.files(r.journal()).toString());
  }
}
