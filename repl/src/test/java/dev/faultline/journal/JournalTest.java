package dev.faultline.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Fault;
import dev.faultline.fault.JournalRecord;
import dev.faultline.fault.ProcessIdentity;
import dev.faultline.fault.Recovery;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Injector;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.source.PlaybookError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault journal and recovery inside one JVM: what is written when, what a normal end leaves,
 * and what {@code recover} makes of every kind of record it may find (dead, live, reused PID,
 * damaged, unknown kind, changed target, in-process). Crashes of real processes are in
 * {@code CrashTest} and {@code ChaosTest}.
 */
class JournalTest {
  @TempDir
  Path tmp;

  /** Test faults that look at their own journal record from inside inject and revert. */
  public static final class Peek {
    final Path journal;
    final List<String> seen = new CopyOnWriteArrayList<>();

    Peek(Path journal) {
      this.journal = journal;
    }

    @Injector(name = "peek.fault", doc = "Notes the state of its own journal record when injected and reverted.")
    public Fault fault(
        @Arg(name = "name", doc = "its name") String name,
        @Arg(name = "fail_inject", doc = "throw from inject", byDefault = "false") boolean failInject,
        @Arg(name = "fail_revert", doc = "throw from every revert", byDefault = "false") boolean failRevert) {
      return new Fault() {
        public String describe() { return "peek " + name; }
        public String target() { return name; }
        public String kind() { return "test.peek"; }
        public Map<String, Object> undoRecord() { return Map.of("name", name); }
        public void inject(CallContext c) throws IOException {
          seen.add("inject " + name + ": " + stateOf(name));
          if (failInject) throw new IOException("inject of " + name + " failed after doing its work");
        }
        public void revert(CallContext c) throws IOException {
          seen.add("revert " + name + ": " + stateOf(name));
          if (failRevert) throw new IOException("the target of " + name + " refuses");
        }
      };
    }

    String stateOf(String target) {
      for (JournalRecord r : readAll(journal)) {
        if (r.target().equals(target)) return r.state().word();
      }
      return "no record";
    }
  }

  private Path journal() {
    return tmp.resolve("journal");
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(tmp.resolve(name), content);
  }

  private RunOptions options() {
    return RunOptions.builder().journalDir(journal()).build();
  }

  // ------------------------------------------------------------ in a run

  @Test
  void everyFaultIsJournaledBeforeItsInjectAndDeletedAfterItsRevert() {
    Peek peek = new Peek(journal());
    Faultline f = Faultline.builder().library(peek).build();
    RunResult r = f.run("p.fl", """
        playbook "p" {
          scenario "s" {
            step "a" { inject peek.fault(name: "one"); inject peek.fault(name: "two") }
            step "b" { expect 1 == 2 }
          }
        }
        """, options());
    assertEquals(1, r.exitCode());
    assertEquals(List.of("inject one: intent", "inject two: intent", "revert two: injected", "revert one: injected"), peek.seen);
    assertEquals(List.of(), Children.files(journal()), "a normal end, even a failed one, leaves an empty journal");
  }

  @Test
  void aRunThatInjectsNothingNeverTouchesTheDisk() {
    RunResult r = Faultline.builder().build().run("p.fl", "playbook \"p\" { scenario \"s\" { step \"a\" { log \"hi\" } } }", options());
    assertEquals(0, r.exitCode());
    assertFalse(Files.exists(journal()));
  }

  @Test
  void anInjectThatThrowsIsRecordedAsMaybeInjectedAndRevertedAnyway() throws IOException {
    Peek peek = new Peek(journal());
    RunResult r = Faultline.builder().library(peek).build().run("p.fl", """
        playbook "p" { scenario "s" { step "a" { inject peek.fault(name: "half", fail_inject: true) } } }
        """, options());
    assertEquals(1, r.exitCode());
    assertEquals(List.of("inject half: intent", "revert half: maybe-injected"), peek.seen);
    assertEquals(List.of(), Children.files(journal()));

    // The same with a real file: the content was replaced before inject threw, and is restored.
    Path f = file("config.yaml", "replicas: 2\n");
    r = Faultline.builder().standardLibrary().build().run("p.fl", """
        playbook "p" { scenario "s" { step "a" { inject testfile.replace(path: "%s", text: "replicas: -1", fail_after: true) } } }
        """.formatted(f), options());
    assertEquals(1, r.exitCode());
    assertTrue(r.scenarios().get(0).message().contains("could not inject"), r.scenarios().get(0).message());
    assertEquals("replicas: 2\n", Files.readString(f));
    assertEquals(List.of(), Children.files(journal()));
  }

  @Test
  void anInjectCutShortByTheStepTimeoutIsRevertedAnyway() throws IOException {
    Path f = file("slow.txt", "before");
    RunResult r = Faultline.builder().standardLibrary().build().run("p.fl", """
        playbook "p" { scenario "s" { step "a" timeout 100ms { inject testfile.replace(path: "%s", text: "after", delay: 5s) } } }
        """.formatted(f), options());
    assertEquals(1, r.exitCode());
    assertTrue(r.scenarios().get(0).message().contains("timed out"), r.scenarios().get(0).message());
    assertEquals("before", Files.readString(f));
    assertEquals(List.of(), Children.files(journal()));
  }

  @Test
  void aRevertThatFailsLeavesItsRecordMarkedRevertFailed() throws IOException {
    Children.Outcome o = Children.inProcess("run", Files.writeString(tmp.resolve("p.fl"), """
        playbook "p" { scenario "s" { step "a" { inject fake.fault(what: "stuck", revert_fails: true) } } }
        """).toString(), "--journal", journal().toString(), "--report-dir", tmp.resolve("r").toString());
    assertEquals(4, o.exit(), o.out() + o.err());
    List<JournalRecord> left = readAll(journal());
    assertEquals(1, left.size());
    assertEquals(JournalRecord.State.REVERT_FAILED, left.get(0).state());
    assertTrue(left.get(0).error().contains("the fake target refuses to be restored"), left.get(0).error());
  }

  @Test
  void aJournalThatCannotBeWrittenRefusesTheInject() throws Exception {
    Path full = tmp.resolve("full");
    Files.createDirectories(full);
    boolean mounted = mountTinyTmpfs(full);
    Path journal;
    String cause;
    if (mounted) {
      // A 64 KiB file system, filled up: the record cannot be written.
      try {
        Files.write(full.resolve("filler"), new byte[64 * 1024]);
      } catch (IOException expected) {
        // ENOSPC part way: full is what we want.
      }
      journal = full.resolve("journal");
      cause = "No space left on device";
      System.out.println("journal on a full disk: a 64 KiB tmpfs, filled up");
    } else {
      Assumptions.assumeFalse(isRoot(), "as root, mount -t tmpfs was refused here, and a read-only directory does not stop"
          + " root: the full-disk test needs one of them; skipped");
      System.out.println("journal on a full disk: mount -t tmpfs is not permitted here; using a read-only directory instead");
      journal = full.resolve("journal");
      Files.createDirectories(journal);
      journal.toFile().setWritable(false);
      cause = "Permission denied";
    }
    try {
      Path f = file("victim.txt", "untouched");
      RunResult r = Faultline.builder().standardLibrary().build().run("p.fl", """
          playbook "p" { scenario "s" { step "a" { inject testfile.replace(path: "%s", text: "changed") } } }
          """.formatted(f), RunOptions.builder().journalDir(journal).build());
      assertEquals(1, r.exitCode());
      String message = r.scenarios().get(0).message();
      assertTrue(message.contains("the fault journal could not record it, so nothing was injected"), message);
      assertTrue(message.contains(cause), message);
      assertEquals("untouched", Files.readString(f), "nothing may be injected without its record");
    } finally {
      if (mounted) new ProcessBuilder("umount", full.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
      else journal.toFile().setWritable(true);
    }
  }

  // ------------------------------------------------------------ recovery

  @Test
  void recoverRevertsDeadRunsNewestFirstAndIsIdempotent() throws IOException {
    Path a = file("a.txt", "A original");
    Path b = file("b.txt", "B original");
    ProcessIdentity dead = deadIdentity();
    Files.writeString(a, "A chaos");
    Files.writeString(b, "B chaos");
    write(record("20260101-000000-1-aaaaaaaa", dead, 1, a, "A original", "A chaos"));
    write(record("20260101-000000-1-aaaaaaaa", dead, 2, b, "B original", "B chaos"));

    Children.Outcome o = Children.inProcess("recover", "--journal", journal().toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    assertEquals("A original", Files.readString(a));
    assertEquals("B original", Files.readString(b));
    List<String> lines = o.out().lines().toList();
    assertTrue(lines.get(2).contains("reverted") && lines.get(2).contains("#2"), o.out());
    assertTrue(lines.get(3).contains("reverted") && lines.get(3).contains("#1"), o.out());
    assertEquals("recover: 2 reverted", lines.get(lines.size() - 1));
    assertEquals(List.of(), Children.files(journal()));

    Children.Outcome again = Children.inProcess("recover", "--journal", journal().toString());
    assertEquals(0, again.exit());
    assertEquals("journal: " + journal() + "\nrecover: nothing to recover in " + journal() + "\n", again.out());
  }

  @Test
  void aReusedPidIsNotMistakenForTheRunThatDied() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      ProcessIdentity real = ProcessIdentity.of(sleeper.pid()).orElseThrow();
      // Same PID, another start time: the PID was handed to a new process after the run died.
      ProcessIdentity reused = new ProcessIdentity(sleeper.pid(), "ticks:1", real.boot());
      Path a = file("a.txt", "chaos");
      Path b = file("b.txt", "chaos");
      write(record("20260101-000000-" + sleeper.pid() + "-00000001", reused, 1, a, "original", "chaos"));
      write(record("20260101-000000-" + sleeper.pid() + "-00000002", real, 1, b, "original", "chaos"));
      assertFalse(reused.isAlive());
      assertTrue(real.isAlive());

      Recovery.Result r = Faultline.recover(journal());
      assertEquals(1, r.count(Recovery.Outcome.REVERTED));
      assertEquals("original", Files.readString(a));
      assertEquals("chaos", Files.readString(b), "the record of a live run is left alone");
      assertEquals(1, r.live().size());
      assertTrue(r.clean());
      assertTrue(r.lines().stream().anyMatch(l -> l.contains("(pid " + sleeper.pid() + ", still running): 1 fault in the journal, left alone")),
          String.join("\n", r.lines()));

      sleeper.destroyForcibly().waitFor();
      r = Faultline.recover(journal());
      assertEquals(1, r.count(Recovery.Outcome.REVERTED));
      assertEquals("original", Files.readString(b));
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void aRecordFromAnotherBootIsDead() throws IOException {
    ProcessIdentity me = ProcessIdentity.current();
    assertTrue(me.isAlive());
    Assumptions.assumeFalse(me.boot().isEmpty(), "no boot id on this system");
    assertFalse(new ProcessIdentity(me.pid(), me.start(), "another-boot").isAlive());
  }

  @Test
  void damagedAndTruncatedRecordsAreReportedByNameAndKept() throws IOException {
    ProcessIdentity dead = deadIdentity();
    Path a = file("a.txt", "chaos");
    String run = "20260101-000000-" + dead.pid() + "-bbbbbbbb";
    JournalRecord good = record(run, dead, 1, a, "original", "chaos");
    write(good);
    byte[] bytes = good.encode();
    Files.createDirectories(journal());
    byte[] flipped = bytes.clone();
    int at = new String(bytes, StandardCharsets.UTF_8).indexOf("original") + 2;
    flipped[at] ^= 0x01;
    Files.write(journal().resolve(run + ".2.record"), flipped);
    Files.write(journal().resolve(run + ".3.record"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Files.write(journal().resolve(run + ".4.record"), new byte[0]);
    Files.writeString(journal().resolve(run + ".5.record"), "{\"not\": \"a record\"}");

    for (int round = 0; round < 2; round++) {
      Children.Outcome o = Children.inProcess("recover", "--journal", journal().toString());
      assertEquals(1, o.exit(), o.out() + o.err());
      assertEquals("", o.err());
      assertTrue(o.out().contains("unreadable " + run + ".2.record: damaged: the content does not match the checksum in its header; kept"), o.out());
      assertTrue(o.out().contains("unreadable " + run + ".3.record: truncated: the header announces"), o.out());
      assertTrue(o.out().contains("unreadable " + run + ".4.record: empty file; kept"), o.out());
      assertTrue(o.out().contains("unreadable " + run + ".5.record: not a journal record"), o.out());
      assertTrue(o.out().contains("4 unreadable records"), o.out());
    }
    assertEquals("original", Files.readString(a), "a readable record beside damaged ones is still recovered");
    assertEquals(List.of(run + ".2.record", run + ".3.record", run + ".4.record", run + ".5.record", run + ".lock"),
        Children.files(journal()));
    // A run does not start over records nobody can read.
    Children.Outcome refused = Children.inProcess("run", emptyPlaybook().toString(), "--journal", journal().toString());
    assertEquals(2, refused.exit());
    assertTrue(refused.err().contains("4 records it cannot read"), refused.err());
  }

  @Test
  void anInProcessFaultEndedWithItsProcess() throws IOException {
    JournalRecord r = new JournalRecord("20260101-000000-1-cccccccc", deadIdentity(), 7, "demo.outage", "http://127.0.0.1:1",
        "outage of demo service 'x'", JournalRecord.State.INJECTED, Instant.now(), "", Map.of());
    write(r);
    Recovery.Result result = Faultline.recover(journal());
    assertEquals(1, result.count(Recovery.Outcome.ENDED_WITH_PROCESS));
    assertTrue(result.clean());
    assertTrue(result.lines().get(1).contains("ended with its process  #7 demo.outage http://127.0.0.1:1: it acted on an object inside pid"),
        result.lines().get(1));
    assertEquals(List.of(), Children.files(journal()));

    // A run drops such records of a dead run by itself: there is nothing to recover.
    write(r);
    Children.Outcome o = Children.inProcess("run", emptyPlaybook().toString(), "--journal", journal().toString(),
        "--report-dir", tmp.resolve("r").toString());
    assertEquals(0, o.exit(), o.err());
    assertEquals(List.of(), Children.files(journal()));
  }

  @Test
  void aKindWithoutRecovererNeedsAManualRevertAndBlocksNewRuns() throws IOException {
    JournalRecord r = new JournalRecord("20260101-000000-1-dddddddd", deadIdentity(), 1, "k8s.pod.delete", "web-1",
        "delete pod web-1", JournalRecord.State.INJECTED, Instant.now(), "", Map.of("pod", "web-1"));
    write(r);
    Children.Outcome o = Children.inProcess("recover", "--journal", journal().toString());
    assertEquals(1, o.exit());
    assertTrue(o.out().contains("needs manual revert     #1 k8s.pod.delete web-1: no recoverer for 'k8s.pod.delete' on the class path"), o.out());
    assertTrue(o.out().endsWith("recover: 1 needs manual revert; the journal still holds faults of a dead run\n"), o.out());

    Children.Outcome refused = Children.inProcess("run", emptyPlaybook().toString(), "--journal", journal().toString());
    assertEquals(2, refused.exit());
    assertEquals("error: the fault journal " + journal() + " lists 1 fault of a run that died (pid " + ProcessHandle.current().pid()
        + "), which may still be in place\n  = help: run 'faultline recover --journal " + journal() + "' to revert them, then run this"
        + " again\nnothing was run\n", refused.err());
    PlaybookError embedded = assertThrows(PlaybookError.class,
        () -> Faultline.builder().build().run("p.fl", "playbook \"p\" { }", options()));
    assertTrue(embedded.first().message().startsWith("the fault journal " + journal() + " lists 1 fault of a run that died"));
  }

  @Test
  void aChangedTargetIsLeftAloneAndItsRecordSetAside() throws IOException {
    Path a = file("a.txt", "edited by someone since");
    write(record("20260101-000000-1-eeeeeeee", deadIdentity(), 1, a, "original", "chaos"));
    Recovery.Result r = Faultline.recover(journal());
    assertEquals(1, r.count(Recovery.Outcome.TARGET_CHANGED));
    assertTrue(r.clean());
    assertEquals("edited by someone since", Files.readString(a));
    assertTrue(Files.exists(journal().resolve("set-aside/20260101-000000-1-eeeeeeee.1.record")));
    assertEquals(List.of(), Children.files(journal()));
  }

  @Test
  void aRecovererThatFailsLeavesTheRecordMarked() throws IOException {
    Path a = tmp.resolve("now-a-directory");
    Files.createDirectories(a);
    write(record("20260101-000000-1-ffffffff", deadIdentity(), 1, a, "original", "chaos"));
    Recovery.Result r = Faultline.recover(journal());
    assertEquals(1, r.count(Recovery.Outcome.FAILED));
    assertFalse(r.clean());
    JournalRecord left = readAll(journal()).get(0);
    assertEquals(JournalRecord.State.REVERT_FAILED, left.state());
    assertTrue(left.error().startsWith("recover: "), left.error());

    Files.delete(a);
    Files.writeString(a, "chaos");
    r = Faultline.recover(journal());
    assertEquals(1, r.count(Recovery.Outcome.REVERTED));
    assertEquals("original", Files.readString(a));
  }

  @Test
  void recoverHasHelpAndRefusesAFileForAJournal() throws IOException {
    Children.Outcome help = Children.inProcess("recover", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().startsWith("Usage: faultline recover") && help.out().contains("--journal=DIR"), help.out());
    Path notADirectory = file("journal-file", "x");
    Children.Outcome bad = Children.inProcess("recover", "--journal", notADirectory.toString());
    assertEquals(2, bad.exit());
    assertTrue(bad.err().startsWith("error: the journal '" + notADirectory + "' is not a directory"), bad.err());
    Children.Outcome missing = Children.inProcess("recover", "--journal", tmp.resolve("nowhere").toString());
    assertEquals(0, missing.exit());
    assertTrue(missing.out().contains("nothing to recover"), missing.out());
  }

  @Test
  void theRecordFormatRoundTrips() throws Exception {
    Map<String, Object> undo = new LinkedHashMap<>();
    undo.put("path", "/etc/app.yaml");
    undo.put("mode", 420L);
    undo.put("ratio", 0.5);
    undo.put("flags", List.of(true, false));
    undo.put("nested", Map.of("k", "v"));
    undo.put("none", null);
    JournalRecord r = new JournalRecord("20260101-000000-42-01234567", new ProcessIdentity(42, "ticks:99", "boot"), 3,
        "file.replace", "/etc/app.yaml", "replace app.yaml", JournalRecord.State.MAYBE_INJECTED, Instant.parse("2026-01-01T00:00:00Z"),
        "inject failed: timeout", undo);
    byte[] bytes = r.encode();
    assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("faultline-journal 1 sha256="));
    assertEquals(r, JournalRecord.decode(bytes));
    assertThrows(IllegalArgumentException.class, () -> new JournalRecord("x", r.process(), 1, "k", "", "", JournalRecord.State.INTENT,
        Instant.now(), "", Map.of("bad", new Object())).encode());
  }

  // ------------------------------------------------------------ helpers

  /** A process identity of this machine that is surely dead: this JVM's PID with another start time. */
  static ProcessIdentity deadIdentity() {
    ProcessIdentity me = ProcessIdentity.current();
    return new ProcessIdentity(me.pid(), "ticks:1", me.boot());
  }

  /** A test file fault's record, as a dead run would have left it. */
  static JournalRecord record(String run, ProcessIdentity who, long id, Path file, String original, String injected) {
    Map<String, Object> undo = new LinkedHashMap<>();
    undo.put("path", file.toString());
    undo.put("original", Base64.getEncoder().encodeToString(original.getBytes(StandardCharsets.UTF_8)));
    undo.put("original_sha256", Chaos.sha256(original.getBytes(StandardCharsets.UTF_8)));
    undo.put("injected_sha256", Chaos.sha256(injected.getBytes(StandardCharsets.UTF_8)));
    return new JournalRecord(run, who, id, TestFileLibrary.KIND, file.toString(), "replace " + file.getFileName(),
        JournalRecord.State.INJECTED, Instant.now(), "", undo);
  }

  private void write(JournalRecord r) throws IOException {
    Files.createDirectories(journal());
    Files.write(journal().resolve(r.run() + "." + r.fault() + ".record"), r.encode());
  }

  private Path emptyPlaybook() throws IOException {
    return Files.writeString(tmp.resolve("empty-run.fl"), "playbook \"empty\" { scenario \"s\" { step \"a\" { } } }\n");
  }

  static List<JournalRecord> readAll(Path journal) {
    List<JournalRecord> out = new ArrayList<>();
    for (Path p : Children.records(journal)) {
      try {
        out.add(JournalRecord.decode(Files.readAllBytes(p)));
      } catch (IOException | JournalRecord.Unreadable e) {
        // Being replaced right now, or damaged: not this test's business.
      }
    }
    return out;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** {@code mount -t tmpfs -o size=64k}; false when this process may not mount. */
  private static boolean mountTinyTmpfs(Path at) {
    try {
      Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", at.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
      if (!ok) System.out.println("journal on a full disk: mount -t tmpfs refused (" + out.strip() + ")");
      return ok;
    } catch (IOException | InterruptedException e) {
      System.out.println("journal on a full disk: cannot run mount (" + e.getMessage() + ")");
      return false;
    }
  }
}
