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
  /** Set when the cancellation is an abort decided elsewhere (a guard breach, a limit): how the run ends. */
  private volatile Aborted abort;
  private volatile Thread worker;
  /** How deep the evaluating thread is in {@link #runUncancelled}: a cancel then waits until the undo ends. */
  private volatile int undoing;

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
    if (t != null && undoing == 0) t.interrupt();
  }

  /**
   * Cancels as an abort decided on another thread (a guard breach, {@code max_duration}): the
   * evaluating thread is interrupted like any cancellation, and the run ends as {@code why} says,
   * with its severity and its place. The first abort wins.
   */
  public synchronized void cancel(Aborted why) {
    if (abort == null) abort = why;
    cancel(why.getMessage());
  }

  /** The abort this cancellation stands for, or null when it is a plain interruption (a signal, a timeout). */
  public Aborted abort() {
    return abort;
  }

  /** What an {@link Interrupted} caught on the evaluating thread means: the abort behind it, if any. */
  public RuntimeException cause(Interrupted e) {
    Aborted a = abort;
    return a != null ? a : e;
  }

  /** Clears a cancellation once it has been handled (a step timeout ends only that step). */
  public void clear() {
    if (abort != null) return; // an abort ends the run; a step timeout cannot clear it
    reason = null;
    Thread.interrupted();
  }

  /**
   * Runs undo work (rollback blocks, reverts) as if not cancelled, then restores the cancellation.
   * Rationale: Ctrl-C must stop a run, never the work that cleans up after it. A new
   * {@link #cancel} during {@code undo} (a guard breach, a signal, {@code max_duration}) does not
   * interrupt it either: it takes effect when the undo work is done.
   */
  public void runUncancelled(Runnable undo) {
    String saved;
    boolean interrupted;
    synchronized (this) {
      saved = reason;
      reason = null;
      interrupted = Thread.interrupted();
      undoing++;
    }
    try {
      undo.run();
    } finally {
      synchronized (this) {
        undoing--;
        if (reason == null) reason = saved;
        if (interrupted || reason != null && Thread.currentThread() == worker) Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Forgets every cancellation, an abort too, and clears the caller's interrupt flag. The REPL
   * calls it once an interrupted statement or a guard breach has been handled: the session goes on.
   */
  public synchronized void reset() {
    reason = null;
    abort = null;
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
    if (r != null && !(undoing > 0 && Thread.currentThread() == worker)) throw new Interrupted(r);
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
