package dev.faultline.fault;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.host.OwnedDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A watchdog killed during its warm-up leaves a scratch directory; the next watchdog removes the
 * ones whose process is gone and leaves a live watchdog's alone.
 */
class WatchdogScratchTest {
  @Test
  void scratchOfDeadWatchdogsIsRemovedAndOfLiveOnesKept() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long dead = p.pid();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path ofDead = Files.createTempDirectory(tmp, "faultline-watchdog-");
    Files.writeString(ofDead.resolve(OwnedDirectories.OWNER_FILE), Long.toString(dead));
    Files.writeString(ofDead.resolve("00000000-000000-1-00000000.1.record"), "x");
    Path ofLive = OwnedDirectories.create("faultline-watchdog-");
    try {
      Watchdog.removeScratchOfDeadWatchdogs();
      assertFalse(Files.exists(ofDead), "the dead watchdog's scratch directory is removed");
      assertTrue(Files.isDirectory(ofLive), "a live watchdog's scratch directory is kept");
    } finally {
      OwnedDirectories.deleteTree(ofLive);
    }
  }
}
