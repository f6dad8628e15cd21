package dev.faultline.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.FaultJournal;
import dev.faultline.fault.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code faultline run} processes that die: SIGKILL with and without their watchdog, the
 * watchdog killed alone, a crash forced at each journal write, a revert that fails and is recovered
 * later, two runs sharing one journal. Every file is compared byte for byte afterwards.
 */
class CrashTest {
  @TempDir
  static Path shared;

  @TempDir
  Path tmp;

  @BeforeAll
  static void fasterChildren() {
    Children.prepareArchive(shared);
  }

  /** Files with known content, and a playbook that replaces each, then holds for {@code hold}. */
  private record Setup(Path journal, List<Path> files, List<String> originals, Path playbook) {
    boolean restored() {
      for (int i = 0; i < files.size(); i++) {
        if (!Children.read(files.get(i)).equals(originals.get(i))) return false;
      }
      return true;
    }

    boolean allChanged() {
      for (int i = 0; i < files.size(); i++) {
        if (Children.read(files.get(i)).equals(originals.get(i))) return false;
      }
      return true;
    }
  }

  private Setup setup(String name, int files, String hold) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    List<Path> paths = new ArrayList<>();
    List<String> originals = new ArrayList<>();
    StringBuilder injects = new StringBuilder();
    for (int i = 0; i < files; i++) {
      Path f = dir.resolve("file-" + i + ".txt");
      String original = name + " original " + i + "\n";
      Files.writeString(f, original);
      paths.add(f);
      originals.add(original);
      injects.append("      inject testfile.replace(path: \"").append(f).append("\", text: \"chaos ").append(i).append("\")\n");
    }
    Path playbook = Files.writeString(dir.resolve(name + ".fl"), """
        playbook "%s" {
          scenario "s" {
            step "hold" {
        %s      wait %s
            }
          }
        }
        """.formatted(name, injects, hold));
    return new Setup(tmp.resolve("journal"), paths, originals, playbook);
  }

  private Process start(Setup s, String... extra) throws IOException {
    return start(s, List.of(), extra);
  }

  private Process start(Setup s, List<String> jvm, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", s.playbook().toString(), "--journal", s.journal().toString(),
        "--report-dir", tmp.resolve("report-" + System.nanoTime()).toString()));
    args.addAll(List.of(extra));
    return Children.start(tmp, tmp.resolve("log-" + System.nanoTime() + ".txt"), jvm, args.toArray(new String[0]));
  }

  /** Waits until every fault of the run is injected (and journaled as such). */
  private static void awaitInjected(Setup s, Process p) {
    boolean ok = Children.await(() -> s.allChanged() && JournalTest.readAll(s.journal()).stream()
        .filter(r -> r.state() == JournalRecord.State.INJECTED).count() >= s.files().size(), Duration.ofSeconds(20));
    assertTrue(ok, "the run did not inject its faults; alive: " + p.isAlive());
  }

  private static ProcessHandle awaitWatchdog(Process p) {
    Optional<ProcessHandle>[] w = new Optional[] {Optional.empty()};
    assertTrue(Children.await(() -> (w[0] = Children.watchdogOf(p.toHandle())).isPresent(), Duration.ofSeconds(10)), "no watchdog");
    return w[0].orElseThrow();
  }

  // ------------------------------------------------------------ tests

  @Test
  void normalEndLeavesAnEmptyJournalAndNoWatchdog() throws Exception {
    Setup s = setup("normal", 2, "10ms");
    Process p = start(s);
    assertEquals(0, p.waitFor());
    assertTrue(s.restored());
    assertEquals(List.of(), Children.files(s.journal()));
    assertTrue(Children.await(() -> ProcessHandle.allProcesses().noneMatch(h -> isWatchdogFor(h, p.pid())), Duration.ofSeconds(5)),
        "the watchdog outlived a run that ended normally");
  }

  @Test
  void killedWithItsWatchdogThenRunRefusesUntilRecover() throws Exception {
    Setup s = setup("both", 3, "30s");
    Process p = start(s);
    awaitInjected(s, p);
    ProcessHandle watchdog = awaitWatchdog(p);
    Children.freeze(p.pid());
    watchdog.destroyForcibly();
    Children.kill(p.toHandle());
    assertTrue(s.allChanged());

    Children.Outcome refused = Children.inProcess("run", s.playbook().toString(), "--journal", s.journal().toString());
    assertEquals(2, refused.exit());
    assertTrue(refused.err().startsWith("error: the fault journal " + s.journal() + " lists 3 faults of a run that died (pid "
        + p.pid() + "), which may still be in place\n"), refused.err());
    assertTrue(refused.err().contains("run 'faultline recover --journal " + s.journal() + "'"), refused.err());
    assertTrue(s.allChanged(), "a refused run touches nothing");

    Children.Outcome recover = Children.inProcess("recover", "--journal", s.journal().toString());
    assertEquals(0, recover.exit(), recover.out() + recover.err());
    assertTrue(s.restored());
    assertTrue(recover.out().contains("(pid " + p.pid() + ", no longer running):"), recover.out());
    assertTrue(recover.out().endsWith("recover: 3 reverted\n"), recover.out());
    assertEquals(List.of(), Children.files(s.journal()));

    Children.Outcome twice = Children.inProcess("recover", "--journal", s.journal().toString());
    assertEquals(0, twice.exit());
    assertTrue(twice.out().contains("nothing to recover"), twice.out());

    Setup next = setup("after", 1, "1ms");
    Children.Outcome runs = Children.inProcess("run", next.playbook().toString(), "--journal", s.journal().toString(),
        "--report-dir", tmp.resolve("r").toString());
    assertEquals(0, runs.exit(), runs.err());
  }

  @Test
  void theWatchdogRevertsEverythingAfterASigkill() throws Exception {
    Setup s = setup("watchdog", 3, "30s");
    Process p = start(s);
    awaitInjected(s, p);
    ProcessHandle watchdog = awaitWatchdog(p);
    // A watchdog that has just been spawned is still starting its JVM; measure a ready one.
    Thread.sleep(500);
    long killed = System.nanoTime();
    p.destroyForcibly();
    assertTrue(Children.await(s::restored, Duration.ofSeconds(10)), "the watchdog did not restore the files");
    double ms = (System.nanoTime() - killed) / 1e6;
    System.out.printf("watchdog: SIGKILL to 3 files restored in %.1f ms%n", ms);
    assertTrue(Children.await(() -> !watchdog.isAlive(), Duration.ofSeconds(5)), "the watchdog did not exit after recovering");
    assertEquals(List.of(), Children.files(s.journal()));
    assertTrue(ms < 2000, "took " + ms + " ms");
  }

  @Test
  void aWatchdogKilledAloneIsReplaced() throws Exception {
    Setup s = setup("replaced", 2, "30s");
    Process p = start(s);
    awaitInjected(s, p);
    ProcessHandle first = awaitWatchdog(p);
    Children.kill(first);
    Optional<ProcessHandle>[] second = new Optional[] {Optional.empty()};
    assertTrue(Children.await(() -> (second[0] = Children.watchdogOf(p.toHandle())).filter(w -> w.pid() != first.pid()).isPresent(),
        Duration.ofSeconds(10)), "no new watchdog");
    // Let the new watchdog come up before the run dies, as a watchdog started long ago would be.
    Thread.sleep(300);
    p.destroyForcibly();
    assertTrue(Children.await(s::restored, Duration.ofSeconds(10)), "the new watchdog did not restore the files");
    assertTrue(Children.await(() -> Children.files(s.journal()).isEmpty(), Duration.ofSeconds(5)));
    p.waitFor();
    String log = logOf(p);
    assertTrue(log.contains("watchdog: the watchdog (pid " + first.pid() + ") ended unexpectedly"), log);
    assertNotEquals(first.pid(), second[0].orElseThrow().pid());
  }

  @Test
  void aCrashAtEveryJournalWriteIsRecovered() throws Exception {
    String[] points = {"before-intent", "after-intent", "after-inject", "after-injected", "after-revert", "after-delete"};
    for (String point : points) {
      // The second fault's write: the first fault is in place, the second half way.
      Setup s = setup("crash-" + point, 3, "20ms");
      Process p = start(s, List.of("-D" + FaultJournal.CRASH_PROPERTY + "=" + point + ":2"), "--no-watchdog");
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(FaultJournal.CRASH_EXIT, p.exitValue(), point + ": " + logOf(p));
      Children.Outcome o = Children.inProcess("recover", "--journal", s.journal().toString());
      assertEquals(0, o.exit(), point + ": " + o.out() + o.err());
      assertTrue(s.restored(), point + ": files not restored; recover said:\n" + o.out());
      assertEquals(List.of(), Children.files(s.journal()), point);
    }
  }

  @Test
  void aFailedRevertStaysInTheJournalUntilRecoverFindsItRevertible() throws Exception {
    Setup s = setup("stuck", 1, "1500ms");
    Path file = s.files().get(0);
    Process p = start(s);
    awaitInjected(s, p);
    // The revert cannot read a directory: all its attempts fail.
    Files.delete(file);
    Files.createDirectory(file);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(4, p.exitValue());
    String log = logOf(p);
    assertTrue(log.contains("warning: 1 fault could not be reverted and stay in the fault journal " + s.journal()), log);
    JournalRecord left = JournalTest.readAll(s.journal()).get(0);
    assertEquals(JournalRecord.State.REVERT_FAILED, left.state());

    Children.Outcome refused = Children.inProcess("run", s.playbook().toString(), "--journal", s.journal().toString());
    assertEquals(2, refused.exit());
    Children.Outcome failing = Children.inProcess("recover", "--journal", s.journal().toString());
    assertEquals(1, failing.exit(), failing.out());
    assertTrue(failing.out().contains("failed"), failing.out());

    Files.delete(file);
    Files.writeString(file, "chaos 0");
    Children.Outcome recover = Children.inProcess("recover", "--journal", s.journal().toString());
    assertEquals(0, recover.exit(), recover.out());
    assertTrue(s.restored());
  }

  @Test
  void twoRunsShareOneJournalWithoutLosingARecord() throws Exception {
    Setup a = setup("left", 4, "1500ms");
    Setup b = setup("right", 4, "1500ms");
    Process pa = start(a);
    Process pb = start(b);
    awaitInjected(a, pa);
    awaitInjected(b, pb);
    assertEquals(8, Children.records(a.journal()).size());
    List<String> locks = Children.files(a.journal()).stream().filter(n -> n.endsWith(".lock")).toList();
    assertEquals(2, locks.size(), "one lock per run: " + locks);

    // Both runs are alive: recover lists them and touches nothing.
    Children.Outcome o = Children.inProcess("recover", "--journal", a.journal().toString());
    assertEquals(0, o.exit(), o.out());
    assertTrue(o.out().contains("recover: 2 live runs left alone"), o.out());
    assertEquals(8, Children.records(a.journal()).size());
    assertTrue(a.allChanged() && b.allChanged());

    assertEquals(0, pa.waitFor());
    assertEquals(0, pb.waitFor());
    assertTrue(a.restored() && b.restored());
    assertEquals(List.of(), Children.files(a.journal()));
  }

  private static boolean isWatchdogFor(ProcessHandle h, long parent) {
    List<String> args = dev.faultline.fault.ProcessIdentity.arguments(h.pid());
    return args.contains("dev.faultline.fault.Watchdog") && args.contains(Long.toString(parent));
  }

  private String logOf(Process p) throws IOException {
    StringBuilder out = new StringBuilder();
    try (var s = Files.list(tmp)) {
      for (Path f : s.filter(f -> f.getFileName().toString().startsWith("log-")).sorted().toList()) out.append(Files.readString(f));
    }
    return out.toString();
  }
}
