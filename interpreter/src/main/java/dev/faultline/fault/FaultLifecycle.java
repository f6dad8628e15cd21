package dev.faultline.fault;

import dev.faultline.host.CallContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every fault of one run, from injection to revert, alike for every injector. One instance per
 * run; thread-safe, since timed faults ({@code inject … for 30s}) and guards revert from other
 * threads than the one evaluating the playbook.
 *
 * <p>Order of work for an injection: inject → register as active → push on the owning scope's
 * {@link RollbackStack}. A revert is attempted up to {@link #REVERT_ATTEMPTS} times with a doubling
 * backoff; a revert that still fails leaves the fault in REVERT_FAILED and is reported.
 */
public final class FaultLifecycle {
  /** Rationale: transient failures (a busy file, a slow daemon) usually clear within a second. */
  public static final int REVERT_ATTEMPTS = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

  /** Told about each change; reports and progress lines are observers. */
  public interface Observer {
    default void injected(ActiveFault fault) {}
    default void reverted(ActiveFault fault, Duration took) {}
    default void revertFailed(ActiveFault fault, Throwable cause) {}
  }

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, ActiveFault> active = new LinkedHashMap<>();
  private final List<ActiveFault> failed = new ArrayList<>();
  private final Observer observer;

  public FaultLifecycle(Observer observer) {
    this.observer = observer;
  }

  /** Injects a fault on behalf of {@code owner}; when {@code inject} throws, nothing is registered. */
  public ActiveFault inject(Fault fault, RollbackStack owner, CallContext context) throws Exception {
    ActiveFault handle = new ActiveFault(ids.incrementAndGet(), fault, owner.name(), Instant.now(), System.nanoTime());
    try {
      fault.inject(context);
    } catch (Exception | Error e) {
      // The inject may have half-happened: undo what it may have done before reporting it.
      try {
        fault.revert(context);
      } catch (Exception ignored) {
        // The inject error is the one worth showing; the revert of a failed inject is best effort.
      }
      throw e;
    }
    synchronized (this) {
      active.put(handle.id(), handle);
    }
    owner.push(handle);
    observer.injected(handle);
    return handle;
  }

  /**
   * Reverts one fault if it is still active; returns true when it is no longer in place.
   * Safe to call from any thread and more than once.
   */
  public boolean revert(ActiveFault handle, CallContext context) {
    synchronized (this) {
      if (handle.state() != ActiveFault.State.ACTIVE) return handle.state() == ActiveFault.State.REVERTED;
      active.remove(handle.id());
    }
    long start = System.nanoTime();
    Throwable last = null;
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; attempt <= REVERT_ATTEMPTS; attempt++) {
      try {
        handle.fault().revert(context);
        handle.state(ActiveFault.State.REVERTED);
        observer.reverted(handle, Duration.ofNanos(System.nanoTime() - start));
        return true;
      } catch (Exception | Error e) {
        last = e;
        if (attempt < REVERT_ATTEMPTS) {
          sleepQuietly(backoff);
          backoff = backoff.multipliedBy(2);
        }
      }
    }
    handle.state(ActiveFault.State.REVERT_FAILED);
    synchronized (this) {
      failed.add(handle);
    }
    observer.revertFailed(handle, last);
    return false;
  }

  /** Reverts every active fault, newest first. Returns how many could not be reverted. */
  public int revertAll(CallContext context) {
    List<ActiveFault> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(active.values());
    }
    int failures = 0;
    for (int i = snapshot.size() - 1; i >= 0; i--) {
      if (!revert(snapshot.get(i), context)) failures++;
    }
    return failures;
  }

  public synchronized List<ActiveFault> active() {
    return List.copyOf(active.values());
  }

  /** Faults whose revert failed: they may remain in place. */
  public synchronized List<ActiveFault> failedReverts() {
    return List.copyOf(failed);
  }

  /**
   * Reverts are never skipped because the run is being interrupted: the interrupt flag is cleared
   * while sleeping between attempts and restored afterwards.
   */
  private static void sleepQuietly(Duration d) {
    boolean interrupted = Thread.interrupted();
    long end = System.nanoTime() + d.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
