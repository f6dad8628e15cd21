package dev.faultline.guard;

import dev.faultline.eval.Aborted;
import dev.faultline.value.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A guard that did not hold, or a limit that was exceeded: what was seen, when, and how the run
 * ends because of it. Immutable.
 *
 * @param kind       a guard or a limit
 * @param name       the guard's name, or the limit's ({@code max_duration of the run})
 * @param condition  the guard's condition as written, or the limit ({@code max_duration 2s})
 * @param value      what was seen: for a comparison, its left operand; otherwise the condition's
 *                   value; for a limit, the time elapsed
 * @param threshold  for a comparison, its right operand; for a limit, the limit; empty otherwise
 * @param error      when the condition failed instead of giving false, why
 * @param checkedAt  when the check that saw the breach started (wall clock, for reports)
 * @param seenNanos  when that check ended ({@link System#nanoTime}), the start of the time to revert
 * @param abort      how the run ends: severity, message and the place shown in the failure. Until
 *                   the reverts are done, a guard's message leaves out its reason (which may call a
 *                   probe); {@link GuardMonitor.Listener#reverted} gets the final one.
 */
public record Breach(Kind kind, String name, String condition, String value, Optional<String> threshold,
    Optional<String> error, Instant checkedAt, long seenNanos, Aborted abort) {

  public enum Kind {
    GUARD, LIMIT;

    public String word() {
      return name().toLowerCase();
    }
  }

  public Severity severity() {
    return abort.severity();
  }

  /** The same breach with its final abort. */
  public Breach withAbort(Aborted finalAbort) {
    return new Breach(kind, name, condition, value, threshold, error, checkedAt, seenNanos, finalAbort);
  }

  /**
   * What the reverts after a breach did.
   *
   * @param reverted       faults reverted
   * @param failed         faults that could not be reverted (they may remain)
   * @param revertedAt     when the last revert ended (wall clock, for reports)
   * @param checkToReverted from the end of the check that saw the breach to the end of the last revert
   */
  public record Reverted(int reverted, int failed, Instant revertedAt, Duration checkToReverted) {}
}
