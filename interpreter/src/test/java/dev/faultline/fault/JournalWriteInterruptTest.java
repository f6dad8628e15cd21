package dev.faultline.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal write from an interrupted thread (a cancel or a step timeout landing just then) still
 * reaches the disk, and the thread keeps its interrupt: file channels would close on it instead.
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
}
