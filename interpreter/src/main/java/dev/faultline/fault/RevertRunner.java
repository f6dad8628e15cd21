package dev.faultline.fault;

import dev.faultline.host.CallContext;
import dev.faultline.host.Interrupted;
import dev.faultline.source.Position;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one revert attempt on a thread of its own and waits for it at most a timeout, so that a
 * revert that hangs (a daemon that never answers, a file system that blocks) costs the reverts
 * after it that timeout and no more. One per {@link FaultLifecycle}; thread-safe.
 *
 * <p>Threads: one is started in advance and reused; a hung attempt keeps its thread, and the next
 * attempt gets a new one (idle extra threads end after a minute). All are daemon threads, so a hung
 * revert never keeps the JVM alive after the run. An attempt is handed to an idle thread through a
 * queue that waits a moment for one ({@link HandOff}): reverts one after another reuse one thread
 * instead of starting a thread each.
 *
 * <p>The attempt gets a {@link CallContext} whose {@code sleep} is not stopped by the run's
 * cancellation. Rationale: Ctrl-C or a breach cancels the run, and the reverts that follow must
 * still be allowed to wait for their target; only the timeout (which interrupts the thread) ends them.
 */
final class RevertRunner {
  /** Rationale: long enough for a container restart or a slow daemon, short enough for an operator to wait. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** What an attempt did: finished (maybe with an exception), or did not finish in time. */
  record Outcome(Throwable error, boolean timedOut) {
    boolean succeeded() {
      return error == null && !timedOut;
    }
  }

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Duration timeout;
  private final ThreadPoolExecutor threads;

  RevertRunner(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("revert timeout must be positive: " + timeout);
    this.timeout = timeout;
    this.threads = new ThreadPoolExecutor(1, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new HandOff(), r -> {
      Thread t = new Thread(r, "faultline-revert-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.threads.prestartCoreThread();
  }

  Duration timeout() {
    return timeout;
  }

  /** Runs {@code fault.revert} once; never throws. */
  Outcome attempt(Fault fault, CallContext context) {
    CallContext ctx = new RevertContext(context);
    Future<?> f;
    try {
      f = threads.submit(() -> {
        fault.revert(ctx);
        return null;
      });
    } catch (RuntimeException rejected) {
      return new Outcome(rejected, false);
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        try {
          f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return new Outcome(null, false);
        } catch (InterruptedException e) {
          // Rationale: the caller being interrupted (Ctrl-C, a breach) is no reason to stop waiting for a revert.
          interrupted = true;
        } catch (ExecutionException e) {
          return new Outcome(e.getCause() == null ? e : e.getCause(), false);
        } catch (TimeoutException e) {
          f.cancel(true);
          return new Outcome(new TimeoutException("the revert did not finish within " + show(timeout)), true);
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Lets the threads go; an attempt still hung keeps its (daemon) thread until it returns. */
  void close() {
    threads.shutdown();
  }

  static String show(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }

  /**
   * A hand-off that waits up to 2 ms for a thread to take the attempt before the pool starts a new
   * one. Rationale: the thread that ran the previous attempt completes its future a moment before it
   * is ready to take the next; a plain hand-off would then start a thread for every other revert. A
   * thread that does not come within 2 ms is busy (a hung revert), and a new one is right.
   */
  private static final class HandOff extends SynchronousQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean offer(Runnable task) {
      try {
        return super.offer(task, 2, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** The run's context, with waits that only the attempt's own timeout (an interrupt) can stop. */
  private static final class RevertContext implements CallContext {
    private final CallContext run;

    RevertContext(CallContext run) {
      this.run = run;
    }

    public Position at() { return run.at(); }

    public void sleep(Duration d) {
      long end = System.nanoTime() + Math.max(0, d.toNanos());
      long left;
      while ((left = end - System.nanoTime()) > 0) {
        try {
          Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Interrupted("the revert timed out");
        }
      }
    }

    public void checkInterrupted() {
      if (Thread.currentThread().isInterrupted()) throw new Interrupted("the revert timed out");
    }

    public void log(String message) { run.log(message); }

    public void own(AutoCloseable resource, String description) { run.own(resource, description); }

    public BlastRadius blastRadius() { return run.blastRadius(); }
  }
}
