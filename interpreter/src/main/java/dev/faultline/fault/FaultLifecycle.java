package dev.faultline.fault;

import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.io.IOException;
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
 * <p>Order of work for an injection: intent in the {@link FaultJournal} (when the run has one) →
 * inject → journal "injected" → register as active → push on the owning scope's
 * {@link RollbackStack}. A revert is attempted up to {@link #REVERT_ATTEMPTS} times with a doubling
 * backoff; a revert that still fails leaves the fault in REVERT_FAILED, is reported, and stays in
 * the journal for {@code faultline recover}; a revert that succeeds deletes the fault's record.
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
  private final FaultJournal journal;

  public FaultLifecycle(Observer observer) {
    this(observer, null);
  }

  /** A lifecycle that writes every fault to {@code journal} (null for none) before injecting it. */
  public FaultLifecycle(Observer observer, FaultJournal journal) {
    this.observer = observer;
    this.journal = journal;
  }

  /**
   * Injects a fault on behalf of {@code owner}; when {@code inject} throws, nothing is registered.
   * Throws {@link HostError} and injects nothing when the journal cannot record the intent.
   */
  public ActiveFault inject(Fault fault, RollbackStack owner, CallContext context) throws Exception {
    ActiveFault handle = new ActiveFault(ids.incrementAndGet(), fault, owner.name(), Instant.now(), System.nanoTime());
    if (journal != null) {
      try {
        journal.intent(handle);
      } catch (IOException e) {
        // Rationale: a fault the journal does not know about could not be recovered after a crash.
        throw new HostError("the fault journal could not record it, so nothing was injected ("
            + journal.dir() + ": " + FaultJournal.message(e) + ")",
            "free some space there, or give another journal directory with --journal DIR", e);
      }
    }
    try {
      fault.inject(context);
    } catch (Exception | Error e) {
      // The inject may have half-happened (an ambiguous failure, a timeout after the work was
      // done): record it as maybe injected and revert it like any other fault.
      if (journal != null) journal.maybeInjected(handle, e);
      revertAfterFailedInject(handle, context);
      throw e;
    }
    if (journal != null) journal.injected(handle);
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
    return attemptRevert(handle, context, true);
  }

  /**
   * Reverts a fault whose inject threw. A revert that then fails is a fault possibly left in place:
   * reported like any failed revert, and kept in the journal.
   */
  private void revertAfterFailedInject(ActiveFault handle, CallContext context) {
    attemptRevert(handle, context, false);
  }

  /** {@code wasInjected}: whether observers heard of the injection, and so should hear of the revert. */
  private boolean attemptRevert(ActiveFault handle, CallContext context, boolean wasInjected) {
    long start = System.nanoTime();
    Throwable last = null;
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; attempt <= REVERT_ATTEMPTS; attempt++) {
      try {
        handle.fault().revert(context);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        handle.state(ActiveFault.State.REVERTED);
        if (journal != null) journal.reverted(handle);
        if (wasInjected) observer.reverted(handle, took);
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
    if (journal != null) journal.revertFailed(handle, last);
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
