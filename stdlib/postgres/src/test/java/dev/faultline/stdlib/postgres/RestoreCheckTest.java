package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The comparison of a writer's acknowledged log with the rows of a restore, on made-up histories:
 * which absences are losses and which are integrity faults, with concurrent sessions whose
 * acknowledgements come out of sequence order.
 */
class RestoreCheckTest {
  private static final String ID = "wtest";
  /** A base far enough in the past that every made-up moment is before now. */
  private static final long T0 = System.nanoTime() - Duration.ofMinutes(10).toNanos();
  private static final long MS = 1_000_000;

  private static final RecoveryTarget LATEST = new RecoveryTarget("latest", "", List.of(), Optional.empty(), Optional.empty(),
      Optional.empty());

  private static Map<Long, List<String>> rows(long... seqs) {
    Map<Long, List<String>> m = new HashMap<>();
    for (long s : seqs) m.computeIfAbsent(s, k -> new java.util.ArrayList<>()).add(Writer.payload(ID, s));
    return m;
  }

  /** seq i sent at i*10 ms and acknowledged at i*10+5 ms, for i = 1..n. */
  private static long[][] sequential(int n) {
    long[] send = new long[n + 1];
    long[] ack = new long[n + 1];
    for (int i = 1; i <= n; i++) {
      send[i] = T0 + i * 10 * MS;
      ack[i] = send[i] + 5 * MS;
    }
    return new long[][] {send, ack};
  }

  @Test
  void aLostTailIsDataLossNotAnIntegrityFault() {
    long[][] h = sequential(10);
    RestoreCheck c = RestoreCheck.compare(ID, h[0], h[1], rows(1, 2, 3, 4, 5, 6), T0, LATEST, Duration.ZERO);
    assertTrue(c.ok(), c.message());
    assertEquals(4, c.lost());
    assertEquals(Duration.ofMillis(40), c.rpo(), "from seq 6's acknowledgement to seq 10's");
    assertTrue(c.message().startsWith("integrity ok: 10 acknowledged, 6 present in the restore, 4 lost (RPO 40ms)"), c.message());
  }

  @Test
  void aHoleBeforeAPresentWriteIsMissingAndNamed() {
    long[][] h = sequential(10);
    RestoreCheck c = RestoreCheck.compare(ID, h[0], h[1], rows(1, 2, 4, 5, 6), T0, LATEST, Duration.ZERO);
    assertFalse(c.ok());
    assertEquals(List.of(3L), c.missingSeqs());
    assertTrue(c.message().contains("1 acknowledged write missing (seq 3): seq 3 was acknowledged at "), c.message());
    assertTrue(c.message().contains(", before seq 6 was sent, which is present"), c.message());
  }

  @Test
  void concurrentSessionsMayCommitOutOfOrderWithoutAFalseAlarm() {
    // seq 1 is sent first but acknowledged last; seq 2 is sent and acknowledged while 1 is in flight.
    long[] send = {0, T0 + 10 * MS, T0 + 11 * MS};
    long[] ack = {0, T0 + 30 * MS, T0 + 12 * MS};
    RestoreCheck c = RestoreCheck.compare(ID, send, ack, rows(2), T0, LATEST, Duration.ZERO);
    assertTrue(c.ok(), "seq 1 was not acknowledged before seq 2 was sent: " + c.message());
    assertEquals(1, c.lost());
  }

  @Test
  void alteredNeverSentAndDuplicatedRowsAreFaults() {
    long[][] h = sequential(3);
    Map<Long, List<String>> found = rows(1, 2, 3, 3, 99);
    found.put(2L, List.of("tampered"));
    RestoreCheck c = RestoreCheck.compare(ID, h[0], h[1], found, T0, LATEST, Duration.ZERO);
    assertFalse(c.ok());
    assertEquals(List.of(2L), c.corruptedSeqs());
    assertEquals(1, c.phantom());
    assertEquals(1, c.duplicates());
  }

  @Test
  void aTimeTargetRequiresWhatCameBeforeAndForbidsWhatCameAfter() {
    long[][] h = sequential(10);
    // The target lies between seq 5's acknowledgement (55 ms) and seq 6's sending (60 ms).
    Instant target = Instant.now().minusNanos(System.nanoTime() - (T0 + 57 * MS));
    RecoveryTarget t = new RecoveryTarget("time", "", List.of(), Optional.of(target), Optional.of(target), Optional.of(target));
    RestoreCheck good = RestoreCheck.compare(ID, h[0], h[1], rows(1, 2, 3, 4, 5), T0, t, Duration.ZERO);
    assertTrue(good.ok(), good.message());
    assertEquals(5, good.afterTarget());
    assertEquals(Duration.ZERO, good.rpo());
    RestoreCheck tooFar = RestoreCheck.compare(ID, h[0], h[1], rows(1, 2, 3, 4, 5, 6), T0, t, Duration.ZERO);
    assertFalse(tooFar.ok());
    assertEquals(1, tooFar.beyondTarget());
    RestoreCheck tooShort = RestoreCheck.compare(ID, h[0], h[1], rows(1, 2, 3), T0, t, Duration.ZERO);
    assertFalse(tooShort.ok());
    assertEquals(List.of(4L, 5L), tooShort.missingSeqs());
    assertTrue(tooShort.message().contains("before the target"), tooShort.message());
  }
}
