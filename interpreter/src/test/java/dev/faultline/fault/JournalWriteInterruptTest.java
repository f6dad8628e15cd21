package dev.faultline.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal write from an interrupted thread (a cancel or a step timeout landing just then) still
 * reaches the disk, and the thread keeps its interrupt: file channels would close on it instead.
 * Records of reverted faults are deleted behind the reverts, and all of them are gone once the
 * journal is closed.
 */
class JournalWriteInterruptTest {
  @TempDir
  Path dir;

  @Test
  void anInterruptedThreadStillWritesItsRecordAndKeepsItsInterrupt() throws Exception {
    Path target = dir.resolve("run.1.fault");
    byte[] bytes = "state: injecting\n".getBytes(StandardCharsets.UTF_8);
    Thread.currentThread().interrupt();
    try {
      FaultJournal.write(target, bytes);
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
    assertArrayEquals(bytes, Files.readAllBytes(target));
    try (var s = Files.list(dir)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
    }
  }

  private static ActiveFault fault(long id) {
    return new ActiveFault(id, new Fault() {
      public String describe() { return "flag " + id; }
      public void inject(dev.faultline.host.CallContext c) {}
      public void revert(dev.faultline.host.CallContext c) {}
      public java.util.Map<String, Object> undoRecord() { return java.util.Map.of("flag", id); }
    }, "step \"s\"", java.time.Instant.now(), System.nanoTime());
  }

  private java.util.List<String> files() throws java.io.IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theFirstRecordOfAnInterruptedThreadStillTakesTheRunsLock() throws Exception {
    FaultJournal journal = FaultJournal.forRun(dir);
    Thread.currentThread().interrupt();
    try {
      journal.intent(fault(1));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
    assertEquals(java.util.List.of(journal.runId() + ".1.record", journal.runId() + ".lock"), files());
    journal.reverted(fault(1));
    journal.close();
    assertEquals(java.util.List.of(), files());
  }

  @Test
  void recordsOfRevertedFaultsAreGoneOnceTheJournalIsClosed() throws Exception {
    FaultJournal journal = FaultJournal.forRun(dir);
    for (long id = 1; id <= 50; id++) {
      journal.intent(fault(id));
      journal.injected(fault(id));
    }
    assertEquals(51, files().size());
    for (long id = 50; id >= 1; id--) journal.reverted(fault(id));
    assertEquals(java.util.List.of(), journal.remaining(), "the run knows at once that nothing remains");
    journal.close();
    assertEquals(java.util.List.of(), files(), "every record is deleted before close returns, and the lock after them");
  }
}
