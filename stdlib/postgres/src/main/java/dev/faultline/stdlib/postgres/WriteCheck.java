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

/**
 * What a {@link Writer} finds when it reads its rows back: acknowledged writes that are missing
 * (lost), rows written more than once (duplicates), unacknowledged writes that committed anyway
 * (indeterminate, neither a loss nor a duplicate), the RPO in rows and in time, and the longest
 * time without an acknowledgement. Immutable.
 *
 * <p>RPO in time: from the last acknowledgement of a surviving write before the first lost
 * acknowledgement (or the writer's start) to the last lost acknowledgement, all in time order: the
 * span of acknowledged history the database forgot.
 */
@HostType(name = "write_check", doc = "The writer's rows compared with its acknowledgements: lost, duplicates, RPO.")
public final class WriteCheck implements HostValue {
  private static final int SHOWN = 20;

  private final long acknowledged;
  private final long attempted;
  private final long lost;
  private final List<Long> lostSeqs;
  private final long duplicates;
  private final long indeterminate;
  private final Duration rpo;
  private final Duration outage;
  private final Duration latency;

  private WriteCheck(long acknowledged, long attempted, long lost, List<Long> lostSeqs, long duplicates, long indeterminate,
      Duration rpo, Duration outage, Duration latency) {
    this.acknowledged = acknowledged;
    this.attempted = attempted;
    this.lost = lost;
    this.lostSeqs = List.copyOf(lostSeqs);
    this.duplicates = duplicates;
    this.indeterminate = indeterminate;
    this.rpo = rpo;
    this.outage = outage;
    this.latency = latency;
  }

  /** {@code ackNanos[seq]} is the acknowledgement time of seq, 0 when it was not acknowledged. */
  static WriteCheck compare(long[] ackNanos, long attempted, Map<Long, Integer> found, long startNanos, long stopNanos,
      Duration latency) {
    // Several sessions acknowledge out of sequence order: the outage is measured on time order.
    long[] times = java.util.Arrays.stream(ackNanos).filter(t -> t != 0).sorted().toArray();
    long outage = 0;
    long previous = startNanos;
    for (long t : times) {
      outage = Math.max(outage, t - previous);
      previous = t;
    }
    if (stopNanos > 0) outage = Math.max(outage, stopNanos - previous);
    long acknowledged = 0;
    long lost = 0;
    List<Long> lostSeqs = new ArrayList<>();
    long indeterminate = 0;
    long firstLost = Long.MAX_VALUE;
    long lastLost = 0;
    for (int seq = 1; seq < ackNanos.length; seq++) {
      long at = ackNanos[seq];
      boolean present = found.containsKey((long) seq);
      if (at == 0) {
        if (present) indeterminate++;
        continue;
      }
      acknowledged++;
      if (!present) {
        lost++;
        firstLost = Math.min(firstLost, at);
        lastLost = Math.max(lastLost, at);
        if (lostSeqs.size() < SHOWN) lostSeqs.add((long) seq);
      }
    }
    long lastSurvivorBeforeLoss = startNanos;
    if (lost > 0) {
      for (int seq = 1; seq < ackNanos.length; seq++) {
        long at = ackNanos[seq];
        if (at != 0 && at < firstLost && found.containsKey((long) seq)) lastSurvivorBeforeLoss = Math.max(lastSurvivorBeforeLoss, at);
      }
    }
    long duplicates = found.values().stream().mapToLong(n -> Math.max(0, n - 1)).sum();
    Duration rpo = lost > 0 ? Duration.ofNanos(Math.max(0, lastLost - lastSurvivorBeforeLoss)) : Duration.ZERO;
    return new WriteCheck(acknowledged, attempted, lost, lostSeqs, duplicates, indeterminate, rpo, Duration.ofNanos(outage), latency);
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "No acknowledged write lost and no duplicate.")
  public boolean ok() {
    return lost == 0 && duplicates == 0;
  }

  @HostFunction(name = "acknowledged", effect = Effect.PURE, doc = "Inserts whose commit returned.")
  public long acknowledged() {
    return acknowledged;
  }

  @HostFunction(name = "attempted", effect = Effect.PURE, doc = "Inserts tried, acknowledged or not.")
  public long attempted() {
    return attempted;
  }

  @HostFunction(name = "lost", effect = Effect.PURE, doc = "Acknowledged inserts missing from the database: the RPO in rows.")
  public long lost() {
    return lost;
  }

  @HostFunction(name = "lost_seqs", effect = Effect.PURE, doc = "The first 20 lost sequence numbers.")
  public List<Long> lostSeqs() {
    return lostSeqs;
  }

  @HostFunction(name = "duplicates", effect = Effect.PURE, doc = "Extra rows for a sequence number written once.")
  public long duplicates() {
    return duplicates;
  }

  @HostFunction(name = "indeterminate", effect = Effect.PURE, doc = "Inserts that failed but committed anyway (not a loss).")
  public long indeterminate() {
    return indeterminate;
  }

  @HostFunction(name = "rpo", effect = Effect.PURE, doc = "The RPO in time: the span of acknowledged writes that were lost,"
      + " from the last surviving acknowledgement before the first loss to the last lost acknowledgement; 0ms when none.")
  public Duration rpo() {
    return rpo;
  }

  @HostFunction(name = "outage", effect = Effect.PURE, doc = "The longest time without an acknowledged write: what the"
      + " writer saw of a failover.")
  public Duration outage() {
    return outage;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long reading the rows back took.")
  public Duration latency() {
    return latency;
  }

  @Override
  public String show() {
    return "write_check " + acknowledged + " acknowledged, " + lost + " lost" + (lost > 0 ? " (RPO " + Values.show(rpo) + ")" : "")
        + ", " + duplicates + " duplicates, " + indeterminate + " indeterminate, longest outage " + Values.show(outage);
  }

  @Override
  public String toString() {
    return show();
  }
}
