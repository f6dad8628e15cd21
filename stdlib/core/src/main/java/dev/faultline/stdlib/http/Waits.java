package dev.faultline.stdlib.http;

import dev.faultline.host.CallContext;
import dev.faultline.host.Interrupted;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for asynchronous work without ever blocking past an interruption of the run. Stateless.
 *
 * <p>Rationale: a probe is often the slowest thing in a step, and a guard breach or a step
 * timeout must stop it within tens of milliseconds, so a wait never sleeps longer than
 * {@link #SLICE_NANOS} without asking the {@link CallContext} whether the run was interrupted.
 */
final class Waits {
  /** The longest stretch between two interruption checks. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private Waits() {}

  /**
   * The future's value, or {@link TimeoutException} once {@code deadlineNanos} (a
   * {@link System#nanoTime()} instant) has passed. However this method ends without a value
   * (deadline, interruption), the future is cancelled, which aborts the exchange behind it.
   *
   * @throws Interrupted when the run is interrupted meanwhile
   */
  static <T> T get(CompletableFuture<T> future, long deadlineNanos, CallContext ctx)
      throws TimeoutException, ExecutionException {
    boolean done = false;
    try {
      while (true) {
        ctx.checkInterrupted();
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) throw new TimeoutException();
        try {
          T value = future.get(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
          done = true;
          return value;
        } catch (TimeoutException slice) {
          // Not yet: check for an interruption and wait another slice.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ctx.checkInterrupted();
          throw new Interrupted("interrupted");
        }
      }
    } finally {
      if (!done) future.cancel(true);
    }
  }
}
