package dev.faultline.stdlib.net;

import java.time.Duration;

/**
 * One fault on a link, as the relay applies it: what it does, in which direction and to which share
 * of connections. Immutable; compared by identity, so two equal faults injected together are two
 * toxics and reverting one leaves the other.
 */
final class Toxic {
  enum Kind {
    LATENCY("latency"), BANDWIDTH("bandwidth"), SLOW_CLOSE("slow_close"), TIMEOUT("timeout"), RESET_PEER("reset_peer"),
    SLICER("slicer"), LIMIT_DATA("limit_data"), LOSS("loss");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  /** Which data a toxic acts on: upstream is client to server, downstream is server to client. */
  enum Direction {
    BOTH, UPSTREAM, DOWNSTREAM;

    boolean covers(boolean upstreamFlow) {
      return this == BOTH || (this == UPSTREAM) == upstreamFlow;
    }

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  final Kind kind;
  final Direction direction;
  /** Share of connections affected, 0 to 1, decided once per connection. */
  final double toxicity;
  /** Drawn per link at creation; with the link's seed it decides which connections are affected. */
  final long serial;
  /** Latency delay, slow-close delay, timeout/reset delay, slicer delay (nanoseconds). */
  final long nanos;
  /** Latency jitter (nanoseconds). */
  final long jitterNanos;
  /** Bandwidth bytes per second, slicer piece size, limit_data byte count. */
  final long bytes;
  /** Slicer: how far a piece's size may stray from {@link #bytes}, either way. */
  final long bytesVariation;
  /** Loss probability, 0 to 1. */
  final double probability;

  Toxic(Kind kind, Direction direction, double toxicity, long serial, Duration time, Duration jitter, long bytes, double probability) {
    this(kind, direction, toxicity, serial, time, jitter, bytes, 0, probability);
  }

  Toxic(Kind kind, Direction direction, double toxicity, long serial, Duration time, Duration jitter, long bytes,
      long bytesVariation, double probability) {
    this.kind = kind;
    this.direction = direction;
    this.toxicity = toxicity;
    this.serial = serial;
    this.nanos = time == null ? 0 : time.toNanos();
    this.jitterNanos = jitter == null ? 0 : jitter.toNanos();
    this.bytes = bytes;
    this.bytesVariation = bytesVariation;
    this.probability = probability;
  }
}
