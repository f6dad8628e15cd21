package dev.faultline.stdlib.postgres;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A writer's acknowledged log compared with its rows in a restored cluster. Immutable.
 *
 * <p>Integrity (any of these fails {@code ok}):
 * <ul>
 *   <li><b>missing</b>: an acknowledged write absent although it must be there: acknowledged before
 *       a write that is present was sent (so its commit is earlier in the WAL), or before the
 *       target's moment;
 *   <li><b>corrupted</b>: a row whose payload is not the one written;
 *   <li><b>phantom</b>: a row of this writer that it never sent;
 *   <li><b>duplicates</b>: a sequence number present more than once;
 *   <li><b>beyond_target</b>: a row sent after the target's moment: the restore went past it.
 * </ul>
 * Data loss (reported, judged against {@code slo.rpo}, never an integrity failure): <b>lost</b> are
 * acknowledged writes absent after the recovery point, up to the reference (the target's moment, or
 * the last acknowledgement); <b>after_target</b> those a time or point target discarded on purpose.
 * The <b>RPO</b> is the time from the newest acknowledged write present to the newest acknowledged
 * write at or before the reference. Writes that failed but committed anyway are <b>indeterminate</b>.
 */
@HostType(name = "restore_check", doc = "A writer's acknowledged writes compared with a restored cluster: integrity (missing,"
    + " corrupted, phantom, duplicates, beyond_target) and data loss (lost, RPO).")
public final class RestoreCheck implements HostValue {
  private static final int SHOWN = 20;

  private final long acknowledged;
  private final long present;
  private final long expected;
  private final long lost;
  private final long afterTarget;
  private final List<Long> missing;
  private final long missingCount;
  private final List<Long> corrupted;
  private final long corruptedCount;
  private final long phantom;
  private final long duplicates;
  private final List<Long> beyond;
  private final long beyondCount;
  private final long indeterminate;
  private final Duration rpo;
  private final String lastAcknowledged;
  private final String newestPresent;
  private final String target;
  private final String message;
  private final Duration latency;

  private RestoreCheck(Builder b) {
    this.acknowledged = b.acknowledged;
    this.present = b.present;
    this.expected = b.expected;
    this.lost = b.lost;
    this.afterTarget = b.afterTarget;
    this.missing = List.copyOf(b.missing);
    this.missingCount = b.missingCount;
    this.corrupted = List.copyOf(b.corrupted);
    this.corruptedCount = b.corruptedCount;
    this.phantom = b.phantom;
    this.duplicates = b.duplicates;
    this.beyond = List.copyOf(b.beyond);
    this.beyondCount = b.beyondCount;
    this.indeterminate = b.indeterminate;
    this.rpo = b.rpo;
    this.lastAcknowledged = b.lastAcknowledged;
    this.newestPresent = b.newestPresent;
    this.target = b.target;
    this.latency = b.latency;
    this.message = b.message();
  }

  private static final class Builder {
    long acknowledged, present, expected, lost, afterTarget, missingCount, corruptedCount, phantom, duplicates, beyondCount, indeterminate;
    final List<Long> missing = new ArrayList<>();
    final List<Long> corrupted = new ArrayList<>();
    final List<Long> beyond = new ArrayList<>();
    final List<Long> phantoms = new ArrayList<>();
    Duration rpo = Duration.ZERO;
    String lastAcknowledged = "";
    String newestPresent = "";
    String target = "";
    Duration latency = Duration.ZERO;
    /** For the message: a missing write, and the present one sent after it was acknowledged. */
    long exampleMissing = -1, exampleMissingAck, exampleLater = -1;

    String message() {
      List<String> wrong = new ArrayList<>();
      if (missingCount > 0) {
        String first = exampleLater > 0
            ? "seq " + exampleMissing + " was acknowledged at " + WallClock.iso(WallClock.at(exampleMissingAck)) + ", before seq "
                + exampleLater + " was sent, which is present"
            : "seq " + exampleMissing + " was acknowledged at " + WallClock.iso(WallClock.at(exampleMissingAck)) + ", before the target";
        wrong.add(missingCount + " acknowledged write" + s(missingCount) + " missing (" + seqs(missing, missingCount) + "): " + first);
      }
      if (corruptedCount > 0) wrong.add(corruptedCount + " row" + s(corruptedCount) + " altered, payload not as written (" + seqs(corrupted, corruptedCount) + ")");
      if (phantom > 0) wrong.add(phantom + " row" + s(phantom) + " the writer never sent (" + seqs(phantoms, phantom) + ")");
      if (duplicates > 0) wrong.add(duplicates + " duplicate row" + s(duplicates));
      if (beyondCount > 0) wrong.add(beyondCount + " row" + s(beyondCount) + " sent after the target present (" + seqs(beyond, beyondCount) + "): the restore went past " + target);
      String loss = acknowledged + " acknowledged, " + present + " present in the restore, " + lost + " lost (RPO " + Values.show(rpo) + ")"
          + (afterTarget > 0 ? ", " + afterTarget + " after the target" : "");
      return wrong.isEmpty() ? "integrity ok: " + loss : "integrity violated: " + String.join("; ", wrong) + "; " + loss;
    }

    private static String s(long n) {
      return n == 1 ? "" : "s";
    }

    private static String seqs(List<Long> shown, long total) {
      return "seq " + shown.stream().map(String::valueOf).collect(Collectors.joining(", ")) + (total > shown.size() ? ", …" : "");
    }
  }

  /**
   * {@code sendNanos[seq]} and {@code ackNanos[seq]} are when each sequence number's insert was sent
   * and acknowledged (System.nanoTime(); 0 for never); {@code found} maps each sequence number
   * present to the payloads of its rows.
   */
  static RestoreCheck compare(String writerId, long[] sendNanos, long[] ackNanos, Map<Long, List<String>> found, long writerStartNanos,
      RecoveryTarget target, Duration latency) {
    long presentBefore = target.presentBefore().map(WallClock::nanoTimeOf).orElse(Long.MIN_VALUE);
    long absentAfter = target.absentAfter().map(WallClock::nanoTimeOf).orElse(Long.MAX_VALUE);
    long reference = target.reference().map(WallClock::nanoTimeOf).orElse(Long.MAX_VALUE);
    Builder b = new Builder();
    b.target = target.describe();
    b.latency = latency;
    int maxSeq = ackNanos.length - 1;
    long latestSentPresent = Long.MIN_VALUE;
    long latestSentSeq = -1;
    for (Map.Entry<Long, List<String>> e : found.entrySet()) {
      long seq = e.getKey();
      List<String> payloads = e.getValue();
      b.present++;
      if (seq < 1 || seq > maxSeq || sendNanos[(int) seq] == 0) {
        b.phantom++;
        if (b.phantoms.size() < SHOWN) b.phantoms.add(seq);
        continue;
      }
      b.duplicates += payloads.size() - 1;
      String want = Writer.payload(writerId, seq);
      if (payloads.stream().anyMatch(p -> !want.equals(p))) {
        b.corruptedCount++;
        if (b.corrupted.size() < SHOWN) b.corrupted.add(seq);
      }
      long sent = sendNanos[(int) seq];
      if (sent > absentAfter) {
        b.beyondCount++;
        if (b.beyond.size() < SHOWN) b.beyond.add(seq);
      }
      if (ackNanos[(int) seq] == 0) b.indeterminate++;
      if (sent > latestSentPresent) {
        latestSentPresent = sent;
        latestSentSeq = seq;
      }
    }
    java.util.Collections.sort(b.corrupted);
    java.util.Collections.sort(b.beyond);
    java.util.Collections.sort(b.phantoms);
    long lastAck = 0;
    long lastExpectedAck = 0;
    long newestPresentAck = 0;
    for (int seq = 1; seq <= maxSeq; seq++) {
      long ack = ackNanos[seq];
      if (ack == 0) continue;
      b.acknowledged++;
      lastAck = Math.max(lastAck, ack);
      if (ack <= reference) lastExpectedAck = Math.max(lastExpectedAck, ack);
      boolean required = ack < latestSentPresent || ack < presentBefore;
      if (required) b.expected++;
      if (found.containsKey((long) seq)) {
        newestPresentAck = Math.max(newestPresentAck, ack);
        continue;
      }
      if (required) {
        b.missingCount++;
        if (b.missing.size() < SHOWN) b.missing.add((long) seq);
        if (b.exampleMissing < 0) {
          b.exampleMissing = seq;
          b.exampleMissingAck = ack;
          b.exampleLater = ack < latestSentPresent ? latestSentSeq : -1;
        }
      } else if (ack <= reference) {
        b.lost++;
      } else {
        b.afterTarget++;
      }
    }
    if (lastAck > 0) b.lastAcknowledged = WallClock.iso(WallClock.at(lastAck));
    if (newestPresentAck > 0) b.newestPresent = WallClock.iso(WallClock.at(newestPresentAck));
    long from = newestPresentAck > 0 ? newestPresentAck : writerStartNanos;
    b.rpo = lastExpectedAck > from ? Duration.ofNanos(lastExpectedAck - from) : Duration.ZERO;
    return new RestoreCheck(b);
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Integrity holds: nothing missing, altered, never sent, duplicated or past the target.")
  public boolean ok() {
    return missingCount == 0 && corruptedCount == 0 && phantom == 0 && duplicates == 0 && beyondCount == 0;
  }

  @HostFunction(name = "message", effect = Effect.PURE, doc = "The verdict in words, naming the sequence numbers at fault.")
  public String message() {
    return message;
  }

  @HostFunction(name = "acknowledged", effect = Effect.PURE, doc = "Writes the writer had acknowledged.")
  public long acknowledged() {
    return acknowledged;
  }

  @HostFunction(name = "present", effect = Effect.PURE, doc = "The writer's rows found in the restore (by sequence number).")
  public long present() {
    return present;
  }

  @HostFunction(name = "expected", effect = Effect.PURE, doc = "Acknowledged writes that must be in the restore.")
  public long expected() {
    return expected;
  }

  @HostFunction(name = "lost", effect = Effect.PURE, doc = "Acknowledged writes absent after the recovery point: the loss in writes.")
  public long lost() {
    return lost;
  }

  @HostFunction(name = "after_target", effect = Effect.PURE, doc = "Acknowledged writes after a time or point target, absent as asked.")
  public long afterTarget() {
    return afterTarget;
  }

  @HostFunction(name = "missing", effect = Effect.PURE, doc = "How many acknowledged writes are absent although they must be present.")
  public long missingCount() {
    return missingCount;
  }

  @HostFunction(name = "missing_seqs", effect = Effect.PURE, doc = "The first 20 of them.")
  public List<Long> missingSeqs() {
    return missing;
  }

  @HostFunction(name = "corrupted", effect = Effect.PURE, doc = "Rows whose payload is not the one written.")
  public long corruptedCount() {
    return corruptedCount;
  }

  @HostFunction(name = "corrupted_seqs", effect = Effect.PURE, doc = "The first 20 of them.")
  public List<Long> corruptedSeqs() {
    return corrupted;
  }

  @HostFunction(name = "phantom", effect = Effect.PURE, doc = "Rows of this writer that it never sent.")
  public long phantom() {
    return phantom;
  }

  @HostFunction(name = "duplicates", effect = Effect.PURE, doc = "Extra rows for a sequence number written once.")
  public long duplicates() {
    return duplicates;
  }

  @HostFunction(name = "beyond_target", effect = Effect.PURE, doc = "Rows sent after the target's moment that are present.")
  public long beyondTarget() {
    return beyondCount;
  }

  @HostFunction(name = "indeterminate", effect = Effect.PURE, doc = "Writes that failed (no acknowledgement) but are present: not a fault.")
  public long indeterminate() {
    return indeterminate;
  }

  @HostFunction(name = "rpo", effect = Effect.PURE, doc = "The data loss in time: from the newest acknowledged write present"
      + " to the newest acknowledged write at or before the reference (the target's moment, or the last acknowledgement).")
  public Duration rpo() {
    return rpo;
  }

  @HostFunction(name = "last_acknowledged", effect = Effect.PURE, doc = "When the writer's last write was acknowledged, ISO-8601 in UTC.")
  public String lastAcknowledged() {
    return lastAcknowledged;
  }

  @HostFunction(name = "newest_present", effect = Effect.PURE, doc = "When the newest acknowledged write present in the"
      + " restore was acknowledged; empty when none is.")
  public String newestPresent() {
    return newestPresent;
  }

  @HostFunction(name = "target", effect = Effect.PURE, doc = "The restore's target, in words.")
  public String target() {
    return target;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long reading the rows back took.")
  public Duration latency() {
    return latency;
  }

  @Override
  public String show() {
    return "restore_check " + message;
  }

  @Override
  public String toString() {
    return show();
  }
}
