package dev.faultline.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 real {@code faultline run} processes killed with SIGKILL at random moments, recovered by their
 * watchdog or by {@code faultline recover}, audited byte for byte ({@link Chaos}). The seed is
 * printed; {@code -Dchaos.seed=N} replays one series, {@code -Dchaos.runs=N} changes its length.
 */
class ChaosTest {
  @TempDir
  Path work;

  @Test
  void everyFileIsByteIdenticalAfterRandomKills() throws Exception {
    long seed = Long.getLong("chaos.seed", System.currentTimeMillis());
    int runs = Integer.getInteger("chaos.runs", 50);
    Chaos.Report report = new Chaos(work, seed, 2, System.out).run(runs);
    System.out.println(report.summary());
    assertEquals(runs, report.runs());
    assertEquals(0, report.residues(), () -> String.join("\n\n", report.residueDetails()));
    assertTrue(report.killedWithFaultsInPlace() >= runs / 4,
        "too few kills landed while faults were in place to prove anything: " + report.summary());
  }
}
