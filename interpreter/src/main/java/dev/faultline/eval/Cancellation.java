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
  public synchronized void bind(Thread thread) {
    this.worker = thread;
  }

  /**
   * Stops watching the evaluating thread and clears its interrupt flag, so that a cancellation
   * never leaks into the caller's code after the run returns.
   */
  public synchronized void unbind() {
    if (worker == Thread.currentThread()) Thread.interrupted();
    worker = null;
  }

  public synchronized void cancel(String why) {
    this.reason = why;
    Thread t = worker;
    if (t != null) t.interrupt();
  }

  /** Clears a cancellation once it has been handled (a step timeout ends only that step). */
  public void clear() {
    reason = null;
    Thread.interrupted();
  }

  /**
   * Runs undo work (rollback blocks, reverts) as if not cancelled, then restores the cancellation.
   * Rationale: Ctrl-C must stop a run, never the work that cleans up after it. A new
   * {@link #cancel} during {@code undo} still stops it.
   */
  public void runUncancelled(Runnable undo) {
    String saved = reason;
    reason = null;
    boolean interrupted = Thread.interrupted();
    try {
      undo.run();
    } finally {
      if (reason == null) reason = saved;
      if (interrupted || reason != null && Thread.currentThread() == worker) Thread.currentThread().interrupt();
    }
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
