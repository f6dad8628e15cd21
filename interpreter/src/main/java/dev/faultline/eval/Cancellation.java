package dev.faultline.eval;

import dev.faultline.host.Interrupted;
import java.time.Duration;

/**
 * Lets another thread stop what the evaluating thread is doing: a step timeout, a guard breach,
 * Ctrl-C. The evaluator checks it before every statement; waits go through {@link #sleep}, which
 * wakes at once when cancelled. Thread-safe.
 */
public final class Cancellation {
  private volatile String reason;
  private volatile Thread worker;

  /** The thread that evaluates; it is interrupted on {@link #cancel}. */
  public void bind(Thread thread) {
    this.worker = thread;
  }

  public void cancel(String why) {
    this.reason = why;
    Thread t = worker;
    if (t != null) t.interrupt();
  }

  /** Clears a cancellation once it has been handled (a step timeout ends only that step). */
  public void clear() {
    reason = null;
    Thread.interrupted();
  }

  public String reason() {
    return reason;
  }

  public boolean isCancelled() {
    return reason != null;
  }

  public void check() {
    String r = reason;
    if (r != null) throw new Interrupted(r);
  }

  public void sleep(Duration d) {
    check();
    long end = System.nanoTime() + Math.max(0, d.toNanos());
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        check();
        throw new Interrupted("interrupted");
      }
      check();
    }
  }
}
