package dev.faultline.guard;

import dev.faultline.ast.Decl;
import dev.faultline.eval.Aborted;
import dev.faultline.eval.Cancellation;
import dev.faultline.eval.Environment;
import dev.faultline.eval.EvalError;
import dev.faultline.eval.Evaluator;
import dev.faultline.eval.RunContext;
import dev.faultline.fault.FaultLifecycle;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Interrupted;
import dev.faultline.source.Position;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Watches a run's guards and time limits on one background thread, and ends the run when one is
 * breached. One per run.
 *
 * <p>When guards are checked: once before an injection into a system that has no active fault
 * (so before the first injection; a breach there means nothing is injected), then each guard every
 * its interval while any fault is active. Checks stop when the last fault is reverted.
 *
 * <p>A breach, on the monitor thread: the breach is told to the {@link Listener} (guard, value,
 * threshold, time of the check), every active fault is reverted at once with
 * {@link FaultLifecycle#revertAll} from this thread (never waiting on the evaluating thread, which
 * may be blocked in a host call), the time all faults were reverted is told, and only then is the
 * run cancelled: the running statement is interrupted, its scope's rollback blocks run as it
 * unwinds, and the run ends aborted (exit 3). Only the first breach acts; checks stop after it.
 *
 * <p>Threading: one daemon thread, started and warmed when the monitor is made (a cold executor's
 * first task is several milliseconds late). Every guard's condition is evaluated on it, by that
 * guard's own {@link Evaluator} (evaluators are not thread-safe), over the playbook's
 * environment (whose reads are synchronized). Intervals are {@link System#nanoTime}-based delays
 * of a {@link ScheduledThreadPoolExecutor}, immune to wall-clock jumps. {@link #declare} and
 * {@link #beforeInjection} are called on the evaluating thread; {@link #faultsChanged} on any.
 */
public final class GuardMonitor implements AutoCloseable {
  /** Told about breaches, on the monitor thread; must not throw. */
  public interface Listener {
    /** A guard or limit was breached; nothing has been reverted yet. */
    void breached(Breach breach);

    /** Every fault that was active at the breach has been reverted (or failed to be); {@code breach} has its final abort. */
    void reverted(Breach breach, Breach.Reverted result);
  }

  private final HostRegistry registry;
  private final RunContext run;
  private final FaultLifecycle faults;
  private final Cancellation cancellation;
  private final Supplier<CallContext> revertContext;
  private final Listener listener;
  private final ScheduledThreadPoolExecutor executor;
  private final List<Guard> guards = new CopyOnWriteArrayList<>();
  private final List<GuardContext> contexts = new CopyOnWriteArrayList<>();

  private final Object lock = new Object();
  /** The periodic checks, while any fault is active; guarded by {@code lock}. */
  private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
  private boolean watching;
  private volatile boolean closed;
  /** The abort of the first breach; once set, the run is ending. */
  private volatile Aborted breach;

  /**
   * @param run           the run whose names guards read and whose output they may log to
   * @param cancellation  the run's: a breach cancels it
   * @param revertContext what reverts after a breach are given
   */
  public GuardMonitor(HostRegistry registry, RunContext run, FaultLifecycle faults, Cancellation cancellation,
      Supplier<CallContext> revertContext, Listener listener) {
    this(registry, run, faults, cancellation, revertContext, listener, true);
  }

  /**
   * @param warm whether to start and warm the thread now; without, it starts on first use (a run
   *             whose playbook has no guard and no {@code max_duration} never uses it)
   */
  public GuardMonitor(HostRegistry registry, RunContext run, FaultLifecycle faults, Cancellation cancellation,
      Supplier<CallContext> revertContext, Listener listener, boolean warm) {
    this.registry = registry;
    this.run = run;
    this.faults = faults;
    this.cancellation = cancellation;
    this.revertContext = revertContext;
    this.listener = listener;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "faultline-guard");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    if (warm) warm();
  }

  /**
   * Starts the thread and runs an immediate and a delayed task through it, so that the classes
   * and code paths of scheduling are loaded before the first check is due.
   */
  private void warm() {
    executor.prestartAllCoreThreads();
    try {
      executor.submit(() -> { }).get();
      executor.schedule(() -> { }, 1, TimeUnit.MILLISECONDS).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the guard thread did not start", e);
    }
  }

  /**
   * Declares a guard, on the evaluating thread: {@code every} is its evaluated interval.
   *
   * @throws EvalError when the interval is shorter than {@link Guard#MIN_INTERVAL}
   */
  public void declare(Decl.Guard decl, Duration every, Environment env) {
    if (every.compareTo(Guard.MIN_INTERVAL) < 0) {
      throw EvalError.at(decl.every().at(), "a guard is checked at most every " + Values.show(Guard.MIN_INTERVAL) + ", got "
          + Values.show(every), "write 'every " + Values.show(Guard.MIN_INTERVAL) + "' or more");
    }
    GuardContext context = new GuardContext(run);
    Guard g = new Guard(decl, every, env, new Evaluator(registry, context, env), context);
    contexts.add(context);
    synchronized (lock) {
      guards.add(g);
      if (watching) schedule(g);
    }
  }

  public List<Guard> guards() {
    return List.copyOf(guards);
  }

  /** Whether a guard or limit was breached: the run is ending. */
  public boolean isBreached() {
    return breach != null;
  }

  /**
   * Called on the evaluating thread before each injection. When no fault is active, checks every
   * guard now, on the monitor thread, and waits for the result. Throws the breach's
   * {@link Aborted} when a guard does not hold (nothing must then be injected), or when an earlier
   * breach is ending the run.
   */
  public void beforeInjection() {
    Aborted a = breach;
    if (a != null) throw a;
    boolean now;
    synchronized (lock) {
      now = !watching && !guards.isEmpty() && !closed;
    }
    if (now) {
      Future<?> checks = executor.submit(() -> {
        for (Guard g : guards) {
          if (!check(g)) return;
        }
      });
      try {
        checks.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancellation.check();
        throw new Interrupted("interrupted");
      } catch (ExecutionException e) {
        throw new IllegalStateException("guard check failed", e.getCause());
      }
    }
    a = breach;
    if (a != null) throw a;
  }

  /**
   * Forgets a breach, so that guards are checked again and injections are allowed: the REPL keeps
   * its session open after a breach has reverted every fault. Any thread; no effect once closed.
   */
  public void rearm() {
    synchronized (lock) {
      if (closed) return;
      breach = null;
    }
    faultsChanged();
  }

  /** Starts or stops the periodic checks as faults become active or are all reverted. Any thread. */
  public void faultsChanged() {
    synchronized (lock) {
      boolean want = !closed && breach == null && !guards.isEmpty() && faults.hasActive();
      if (want && !watching) {
        watching = true;
        for (Guard g : guards) schedule(g);
      } else if (!want && watching) {
        stopWatching();
      }
    }
  }

  private void schedule(Guard g) {
    long every = g.every().toNanos();
    periodic.add(executor.scheduleAtFixedRate(() -> check(g), every, every, TimeUnit.NANOSECONDS));
  }

  /** Caller holds {@code lock}. */
  private void stopWatching() {
    watching = false;
    for (ScheduledFuture<?> f : periodic) f.cancel(false);
    periodic.clear();
  }

  /**
   * Aborts the run when {@code limit} has passed since {@code startNanos}: the same path as a
   * breached guard. Returns the timer, to cancel when the limited scope ends first.
   *
   * @param name   what is limited, for the report: {@code max_duration of the run}
   * @param at     where the limit is set, for the failure shown
   */
  public ScheduledFuture<?> limit(String name, Duration limit, long startNanos, Position at) {
    long delay = startNanos + limit.toNanos() - System.nanoTime();
    return executor.schedule(() -> {
      Instant when = Instant.now();
      long seen = System.nanoTime();
      String elapsed = Values.show(Duration.ofMillis(Duration.ofNanos(seen - startNanos).toMillis()));
      String message = name.replace("max_duration of ", "") + " exceeded its max_duration of " + Values.show(limit);
      Aborted abort = new Aborted(Severity.P2, message, at);
      breach(new Breach(Breach.Kind.LIMIT, name, "max_duration " + Values.show(limit), elapsed, Optional.of(Values.show(limit)),
          Optional.empty(), when, seen, abort), () -> abort);
    }, Math.max(0, delay), TimeUnit.NANOSECONDS);
  }

  /** Checks one guard on the monitor thread; false when it was breached (or the run is ending). */
  private boolean check(Guard g) {
    if (breach != null || closed) return false;
    Instant at = Instant.now();
    Guard.Check c = g.check();
    long seen = System.nanoTime();
    if (c.held()) return true;
    if (breach != null || closed) return false;
    breach(new Breach(Breach.Kind.GUARD, g.name(), g.conditionText(), c.value(), c.threshold(), c.error(), at, seen,
        g.provisionalAbort(c)), () -> g.abort(c));
    return false;
  }

  /**
   * Reverts everything at once, then cancels the run. Only the first breach acts. The final abort
   * (whose reason may call a probe) is computed after the reverts.
   */
  private void breach(Breach b, Supplier<Aborted> finalAbort) {
    synchronized (lock) {
      if (breach != null || closed) return;
      breach = b.abort();
      stopWatching();
    }
    safely(() -> listener.breached(b));
    int before = faults.active().size();
    int failed = faults.revertAll(revertContext.get());
    long done = System.nanoTime();
    Breach.Reverted result = new Breach.Reverted(before - failed, failed, Instant.now(), Duration.ofNanos(done - b.seenNanos()));
    Aborted a;
    try {
      a = finalAbort.get();
    } catch (RuntimeException e) {
      a = b.abort();
    }
    breach = a;
    Breach last = b.withAbort(a);
    safely(() -> listener.reverted(last, result));
    cancellation.cancel(a);
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ignored) {
      // Rationale: a broken listener must never stop the reverts of a breach.
    }
  }

  /** Stops every check and timer; a condition still running is cancelled. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      stopWatching();
    }
    for (GuardContext c : contexts) c.cancellation().cancel("the run ended");
    executor.shutdownNow();
  }
}
