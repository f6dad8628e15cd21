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
 * <p>Order of work for an injection: the observer's {@code beforeInject} (guards checked when no
 * fault is active; it may refuse) → intent in the {@link FaultJournal} (when the run has one) →
 * inject → journal "injected" → register as active → push on the owning scope's
 * {@link RollbackStack}. A revert is attempted up to {@link #REVERT_ATTEMPTS} times with a doubling
 * backoff; a revert that still fails leaves the fault in REVERT_FAILED, is reported, and stays in
 * the journal for {@code faultline recover}; a revert that succeeds deletes the fault's record.
 *
 * <p>Each attempt runs on a thread of its own and is given at most the revert timeout (10 s by
 * default): a revert that hangs is reported as failed after that time, and the reverts after it
 * proceed. A timed-out attempt is not retried, since it may still be running and two reverts of one
 * fault must not run at once. A revert that throws {@link FaultRecoverer.TargetChanged} (its target
 * is gone or is no longer the one injected) is not retried either.
 *
 * <p>One fault is reverted by one thread at a time: a second caller (the step's scope ending while
 * a guard breach reverts everything) waits for the first attempt's outcome instead of reverting again.
 */
public final class FaultLifecycle {
  /** Rationale: transient failures (a busy file, a slow daemon) usually clear within a second. */
  public static final int REVERT_ATTEMPTS = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

  /** Told about each change; reports and progress lines are observers. */
  public interface Observer {
    /**
     * Called on the injecting thread before anything is done; throwing refuses the injection (a
     * guard that does not hold, a cancelled run).
     *
     * @param fault the fault about to be injected
     */
    default void beforeInject(Fault fault) {}

    /**
     * Called on the injecting thread once the fault is in place and on its scope's stack.
     *
     * @param fault the handle of the injected fault
     */
    default void injected(ActiveFault fault) {}

    /**
     * Called on the reverting thread (the evaluator, a timer, a guard) once the fault is gone.
     *
     * @param fault the reverted fault
     * @param took how long the revert took, retries included
     */
    default void reverted(ActiveFault fault, Duration took) {}

    /**
     * Called on the reverting thread when every attempt failed: the fault may remain.
     *
     * @param fault the fault that may remain
     * @param cause the last attempt's error
     */
    default void revertFailed(ActiveFault fault, Throwable cause) {}
  }

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, ActiveFault> active = new LinkedHashMap<>();
  private final List<ActiveFault> failed = new ArrayList<>();
  /** Reverts under way, by fault id: a second caller waits for their outcome. */
  private final Map<Long, java.util.concurrent.CompletableFuture<Boolean>> reverting = new java.util.HashMap<>();
  private final Observer observer;
  private final RevertRunner runner;
  private final FaultJournal journal;

  /**
   * A lifecycle without a journal and with the default revert timeout, for tests and tools.
   *
   * @param observer told about each change
   */
  public FaultLifecycle(Observer observer) {
    this(observer, RevertRunner.DEFAULT_TIMEOUT, null);
  }

  /**
   * With {@code revertTimeout} as the longest one revert attempt may take, writing every fault to
   * {@code journal} (null for none) before injecting it.
   *
   * @param observer told about each change
   * @param revertTimeout the longest one revert attempt may take
   * @param journal the run's fault journal, or null
   */
  public FaultLifecycle(Observer observer, Duration revertTimeout, FaultJournal journal) {
    this.observer = observer;
    this.runner = new RevertRunner(revertTimeout);
    this.journal = journal;
  }

  /** {@return the longest one revert attempt may take} */
  public Duration revertTimeout() {
    return runner.timeout();
  }

  /**
   * Injects a fault on behalf of {@code owner}; when {@code inject} throws, nothing is registered.
   * Throws {@link HostError} and injects nothing when the journal cannot record the intent.
   *
   * @param fault what to inject
   * @param owner the scope that owns it and reverts it when it ends
   * @param context the run's context, given to {@link Fault#inject}
   * @return the handle of the injected fault
   * @throws Exception what {@link Fault#inject} threw (after the half-done fault was reverted), a
   *     {@link HostError} when the journal could not record the intent, or what
   *     {@link Observer#beforeInject} threw
   */
  public ActiveFault inject(Fault fault, RollbackStack owner, CallContext context) throws Exception {
    observer.beforeInject(fault);
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
    } catch (BlastRadius.Refused refused) {
      // Refused before touching anything: nothing to undo, and nothing for the journal to keep.
      if (journal != null) journal.reverted(handle);
      throw refused;
    } catch (Exception | Error e) {
      // The inject may have half-happened (an ambiguous failure, a timeout after the work was
      // done): record it as maybe injected and revert it like any other fault. The inject error is
      // the one worth showing.
      if (journal != null) journal.maybeInjected(handle, e);
      attempts(handle, context, false);
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
   *
   * @param handle the fault
   * @param context the run's context, given to {@link Fault#revert}
   * @return true when the fault is no longer in place (reverted now or before)
   */
  public boolean revert(ActiveFault handle, CallContext context) {
    java.util.concurrent.CompletableFuture<Boolean> underWay;
    java.util.concurrent.CompletableFuture<Boolean> mine = null;
    synchronized (this) {
      underWay = reverting.get(handle.id());
      if (underWay == null) {
        if (active.remove(handle.id()) == null) return handle.state() == ActiveFault.State.REVERTED;
        mine = new java.util.concurrent.CompletableFuture<>();
        reverting.put(handle.id(), mine);
      }
    }
    if (underWay != null) return awaitQuietly(underWay);
    boolean ok = false;
    try {
      ok = attempts(handle, context, true);
      return ok;
    } finally {
      synchronized (this) {
        reverting.remove(handle.id());
      }
      mine.complete(ok);
    }
  }

  /**
   * The attempts of one revert, with backoff; records the outcome in the journal and reports it.
   * {@code wasInjected}: whether observers heard of the injection, and so should hear of the revert.
   */
  private boolean attempts(ActiveFault handle, CallContext context, boolean wasInjected) {
    long start = System.nanoTime();
    Throwable last = null;
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; attempt <= REVERT_ATTEMPTS; attempt++) {
      RevertRunner.Outcome outcome = runner.attempt(handle.fault(), context);
      if (outcome.succeeded()) {
        if (journal != null) journal.reverted(handle);
        if (wasInjected) observer.reverted(handle, Duration.ofNanos(System.nanoTime() - start));
        // Rationale: the handle reads as inactive only once the revert is reported, so that what a
        // playbook does on seeing it (an await's recovery) always comes after it in the events.
        handle.state(ActiveFault.State.REVERTED);
        return true;
      }
      last = outcome.error();
      // Rationale: a hung attempt may still be running; a gone target will not come back by asking again.
      if (outcome.timedOut() || last instanceof FaultRecoverer.TargetChanged) break;
      if (attempt < REVERT_ATTEMPTS) {
        sleepQuietly(backoff);
        backoff = backoff.multipliedBy(2);
      }
    }
    if (journal != null) journal.revertFailed(handle, last);
    synchronized (this) {
      failed.add(handle);
    }
    observer.revertFailed(handle, last);
    handle.state(ActiveFault.State.REVERT_FAILED);  // after the report, as for a revert that succeeded
    return false;
  }

  /** Waits for another thread's revert of the same fault; an interrupt does not cut it short. */
  private static boolean awaitQuietly(java.util.concurrent.CompletableFuture<Boolean> underWay) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return underWay.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          return false;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * Reverts every active fault, newest first.
   *
   * @param context the run's context
   * @return how many could not be reverted
   */
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

  /** {@return the faults in place, oldest first} */
  public synchronized List<ActiveFault> active() {
    return List.copyOf(active.values());
  }

  /** {@return whether any fault is active} (injected and not yet being reverted) */
  public synchronized boolean hasActive() {
    return !active.isEmpty();
  }

  /** {@return how many faults are still in place or being reverted}: what a second Ctrl-C reports */
  public synchronized int pending() {
    return active.size() + reverting.size();
  }

  /** Ends the revert threads once the run is over; an attempt still hung keeps its daemon thread. */
  public void close() {
    runner.close();
  }

  /** {@return the faults whose revert failed}: they may remain in place */
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
