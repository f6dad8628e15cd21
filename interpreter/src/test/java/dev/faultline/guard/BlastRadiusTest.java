package dev.faultline.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.BlastRadius;
import dev.faultline.value.Percent;
import org.junit.jupiter.api.Test;

class BlastRadiusTest {
  private final BlastRadius thirty = BlastRadius.of(new Percent(30), "the playbook's max_blast_radius");

  @Test
  void theLimitItselfIsAllowedAndOneMoreIsNot() {
    assertTrue(thirty.allows(3, 10));
    assertFalse(thirty.allows(4, 10));
    assertTrue(thirty.allows(0, 0));
    assertEquals(3, thirty.maxAllowed(10));
    assertEquals(0, thirty.maxAllowed(3));
  }

  @Test
  void theRefusalGivesBothNumbers() {
    var e = assertThrows(BlastRadius.Refused.class, () -> thirty.check(1, 3, "replicas"));
    assertEquals("would affect 1 of 3 replicas (33.3%), above the limit of 30%", e.getMessage());
    assertEquals("the limit is the playbook's max_blast_radius; select at most 0 of 3, or raise the limit", e.help());
  }

  @Test
  void unlimitedAllowsEverythingAndImpossibleSelectionsAreBugs() {
    assertTrue(BlastRadius.UNLIMITED.allows(10, 10));
    assertThrows(IllegalArgumentException.class, () -> thirty.check(11, 10, "x"));
    assertThrows(IllegalArgumentException.class, () -> BlastRadius.of(new Percent(120), "x"));
  }
}
