package dev.faultline.measure;

import dev.faultline.value.Rate;
import java.time.Duration;

/**
 * A background traffic generator as the rest of the interpreter sees it: the REPL's status line
 * reads {@link #recent} while it runs, and the scenario's SLO verdicts read {@link #between} when
 * the scenario ends. Implementations are thread-safe: any thread may read figures at any time.
 *
 * <p>Times are {@link System#nanoTime()} instants. A request belongs to a window by its
 * <em>intended</em> send time (the schedule's, not the moment it went out), and a request still in
 * flight counts with the latency it has so far, so a stalled target shows as latency, never as
 * missing samples.
 */
public interface LiveTraffic {
  /** The name given to the generator (or its URL), for messages and the status line. */
  String name();

  /** The rate the schedule sends at. */
  Rate rate();

  /** Whether the generator is still sending. */
  boolean isRunning();

  /** When the first request was scheduled. */
  long startedNanos();

  /** Figures over the requests scheduled in the last {@code window}, up to now. */
  TrafficFigures recent(Duration window);

  /** Figures over the requests scheduled from {@code fromNanos} to {@code toNanos}. */
  TrafficFigures between(long fromNanos, long toNanos);

  /** Stops sending now, without waiting for the requests in flight (the REPL's {@code stop all}). Idempotent. */
  void halt();

  /** One short line for status lines: {@code traffic "api" 200/s · 1.5% errors · p95 42ms} over the last 10 seconds. */
  default String status() {
    TrafficFigures f = recent(Duration.ofSeconds(10));
    return "traffic \"" + name() + "\" " + dev.faultline.value.Values.show(rate()) + " · " + dev.faultline.value.Values.show(f.errorRate())
        + " errors · p95 " + dev.faultline.value.Values.show(f.p95());
  }
}
