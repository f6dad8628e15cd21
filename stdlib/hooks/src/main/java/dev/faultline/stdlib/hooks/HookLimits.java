package dev.faultline.stdlib.hooks;

import java.time.Duration;

/**
 * What one call into a hook may use: wall-clock time, JavaScript statements and allocated memory,
 * and how long a call that ran past its time gets to stop before the hook is declared stuck.
 * Immutable.
 *
 * <p>Rationale for the defaults: hooks are glue code. Ten seconds covers an injector that makes a
 * few HTTP calls; fifty million statements take several seconds in GraalJS's interpreter, far more
 * than any hook needs and far less than an endless loop runs; 256 MB allocated in one call is more
 * than a hook has reason to allocate, and far below the heap of the run.
 */
record HookLimits(Duration time, long statements, long allocatedBytes, Duration grace) {
  static final HookLimits DEFAULT = new HookLimits(Duration.ofSeconds(10), 50_000_000L, 256L << 20, Duration.ofMillis(500));

  HookLimits withTime(Duration t) {
    return new HookLimits(t, statements, allocatedBytes, grace);
  }
}
