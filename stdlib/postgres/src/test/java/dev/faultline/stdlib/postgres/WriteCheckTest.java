package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison of acknowledgements with the rows read back, on made-up histories. */
class WriteCheckTest {
  private static final long MS = 1_000_000;

  @Test
  void lostWritesTheRpoAndTheOutage() {
    // seq 1..6 acknowledged at 10, 20, …, 60 ms; 7 failed. 4 and 5 are missing; 7 committed anyway.
    long[] acks = {0, 10 * MS, 20 * MS, 30 * MS, 40 * MS, 50 * MS, 60 * MS, 0};
    Map<Long, Integer> found = Map.of(1L, 1, 2L, 1, 3L, 1, 6L, 2, 7L, 1);
    WriteCheck c = WriteCheck.compare(acks, 7, found, 0, 100 * MS, Duration.ZERO);
    assertEquals(6, c.acknowledged());
    assertEquals(2, c.lost());
    assertEquals(List.of(4L, 5L), c.lostSeqs());
    assertEquals(1, c.duplicates());
    assertEquals(1, c.indeterminate());
    assertEquals(Duration.ofMillis(20), c.rpo(), "from the last survivor (30 ms) to the last lost (50 ms)");
    assertEquals(Duration.ofMillis(40), c.outage(), "from the last acknowledgement (60 ms) to the stop (100 ms)");
    assertFalse(c.ok());
  }

  @Test
  void nothingLostIsOk() {
    long[] acks = {0, 10 * MS, 20 * MS};
    WriteCheck c = WriteCheck.compare(acks, 2, Map.of(1L, 1, 2L, 1), 0, 25 * MS, Duration.ZERO);
    assertTrue(c.ok());
    assertEquals(Duration.ZERO, c.rpo());
    assertEquals(Duration.ofMillis(10), c.outage());
  }
}
