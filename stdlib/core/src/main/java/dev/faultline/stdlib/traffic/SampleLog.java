package dev.faultline.stdlib.traffic;

import dev.faultline.measure.TrafficFigures;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Every request of one traffic schedule, by its index in the schedule: request {@code i} is due at
 * {@code start + i × period}. An entry is 0 while the request is in flight, then its outcome and
 * latency (measured from the due time, so a late send shows as latency). Figures over any window
 * are computed from the entries whose due time falls in it; requests in flight count with the
 * latency they have so far.
 *
 * <p>Rationale: keeping every request (8 bytes each, up to {@link #CAPACITY}) rather than
 * pre-aggregated histograms makes every window exact, by due time, whatever its bounds: the live
 * window of a guard, a scenario, or the time before a scenario's first fault.
 *
 * <p>Threading: one writer of the schedule (the sending thread, through {@link #dispatched}), any
 * number of completing threads (each writing its own entry once) and readers; entries are atomic.
 */
final class SampleLog {
  static final int OK = 1;
  static final int BAD_STATUS = 2;
  static final int NO_RESPONSE = 3;
  static final int NOT_SENT = 4;

  private static final int CHUNK_BITS = 16;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int CHUNKS = 128;
  /** The most requests one schedule keeps: 8,388,608 (64 MiB of entries). */
  static final long CAPACITY = (long) CHUNK * CHUNKS;
  /** A send more than this after its due time counts as late. */
  static final long LATE_NANOS = 1_000_000;
  /** Latencies are kept in microseconds, up to an hour. */
  private static final long MAX_MICROS = 3_600_000_000L;

  private volatile long startNanos;
  private final double periodNanos;
  private final AtomicReferenceArray<AtomicLongArray> chunks = new AtomicReferenceArray<>(CHUNKS);
  /** How many requests have been handed to the sender (entries below are in flight or done). */
  private volatile long dispatched;
  /** Set once the schedule has stopped: requests after {@link #dispatched} were never sent. */
  private volatile boolean closed;

  SampleLog(long startNanos, double periodNanos) {
    this.startNanos = startNanos;
    this.periodNanos = periodNanos;
  }

  /** Moves the schedule's start; only before the first request is dispatched. */
  void restart(long start) {
    startNanos = start;
  }

  long startNanos() {
    return startNanos;
  }

  long dueNanos(long index) {
    return startNanos + Math.round(index * periodNanos);
  }

  long dispatchedCount() {
    return dispatched;
  }

  /** The sending thread hands request {@code index} (the next one) to the sender. */
  void dispatched(long index) {
    int c = (int) (index >>> CHUNK_BITS);
    if (chunks.get(c) == null) chunks.set(c, new AtomicLongArray(CHUNK));
    dispatched = index + 1;
  }

  void close() {
    closed = true;
  }

  /** Request {@code index} ended with {@code outcome} after {@code latencyNanos} from its due time. */
  void complete(long index, int outcome, long latencyNanos, boolean late) {
    long micros = Math.max(0, Math.min(MAX_MICROS, latencyNanos / 1000));
    long entry = (micros << 4) | (late ? 8 : 0) | outcome;
    AtomicLongArray chunk = chunks.get((int) (index >>> CHUNK_BITS));
    chunk.compareAndSet((int) (index & (CHUNK - 1)), 0, entry);
  }

  boolean isPending(long index) {
    AtomicLongArray chunk = chunks.get((int) (index >>> CHUNK_BITS));
    return chunk != null && chunk.get((int) (index & (CHUNK - 1))) == 0;
  }

  /**
   * Figures over the requests due from {@code fromNanos} to {@code toNanos} (inclusive), as of
   * {@code nowNanos}. While the schedule runs, a request already due but not yet sent counts as in
   * flight; once it has stopped, requests never sent are left out.
   */
  TrafficFigures figures(long fromNanos, long toNanos, long nowNanos) {
    long to = Math.min(toNanos, nowNanos);
    if (to < startNanos || to < fromNanos) return TrafficFigures.EMPTY;
    long first = Math.max(0, (long) Math.ceil((fromNanos - startNanos) / periodNanos));
    long last = (long) Math.floor((to - startNanos) / periodNanos);
    long sent = dispatched;
    if (closed) last = Math.min(last, sent - 1);
    last = Math.min(last, CAPACITY - 1);
    while (first <= last && dueNanos(first) < fromNanos) first++;
    while (last >= first && dueNanos(last) > to) last--;
    if (last < first) return TrafficFigures.EMPTY;

    IntCountsHistogram latency = new IntCountsHistogram(MAX_MICROS, 3);
    long requests = 0, completed = 0, errors = 0, inFlight = 0, late = 0, successes = 0;
    long slotNanos = Math.max(1_000_000_000L, (long) Math.ceil(periodNanos));
    long slot = Long.MIN_VALUE, slots = 0, slotsUp = 0;
    boolean slotCompleted = false, slotUp = false;
    for (long i = first; i <= last; i++) {
      long due = dueNanos(i);
      long s = (due - startNanos) / slotNanos;
      if (s != slot) {
        if (slotCompleted) {
          slots++;
          if (slotUp) slotsUp++;
        }
        slot = s;
        slotCompleted = false;
        slotUp = false;
      }
      requests++;
      long entry = 0;
      if (i < sent) {
        AtomicLongArray chunk = chunks.get((int) (i >>> CHUNK_BITS));
        entry = chunk == null ? 0 : chunk.get((int) (i & (CHUNK - 1)));
      }
      if (entry == 0) {
        inFlight++;
        latency.recordValue(Math.max(0, Math.min(MAX_MICROS, (nowNanos - due) / 1000)));
        continue;
      }
      int outcome = (int) (entry & 7);
      if ((entry & 8) != 0) late++;
      latency.recordValue(entry >>> 4);
      completed++;
      slotCompleted = true;
      if (outcome == OK) {
        successes++;
        slotUp = true;
      } else {
        errors++;
      }
    }
    if (slotCompleted) {
      slots++;
      if (slotUp) slotsUp++;
    }
    long spanNanos = Math.max(1, Math.min(to, Math.max(dueNanos(last), to)) - Math.max(fromNanos, startNanos));
    Percent errorRate = new Percent(completed == 0 ? 0 : round(errors * 100.0 / completed));
    Percent availability = new Percent(slots == 0 ? 100 : round(slotsUp * 100.0 / slots));
    Rate throughput = new Rate(round(successes * 1e9 / spanNanos));
    return new TrafficFigures(requests, completed, errors, inFlight, late,
        micros(latency.getValueAtPercentile(50)), micros(latency.getValueAtPercentile(95)),
        micros(latency.getValueAtPercentile(99)), micros(latency.getMaxValue()),
        errorRate, availability, throughput, Duration.ofNanos(spanNanos));
  }

  private static Duration micros(long us) {
    return Duration.ofNanos(us * 1000);
  }

  /** Two decimals: figures are read by people, and 12.3456% says no more than 12.35%. */
  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
