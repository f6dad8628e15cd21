package dev.faultline.stdlib.hooks;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches how many bytes a hook thread allocates during one call, and calls back once when a call
 * allocates more than its limit. Rationale: community GraalVM on a stock JDK has no heap limit for a
 * context (the {@code sandbox.MaxHeapMemory} option needs Oracle GraalVM), while the JVM counts the
 * bytes each thread allocates; a call that allocates far more than any hook needs is stopped before
 * the heap is gone. It measures allocation, not what is retained: garbage counts too.
 *
 * <p>One daemon thread for the process, started with the first watch and sleeping while nothing is
 * watched; it samples every 5 ms. Thread-safe.
 */
final class AllocationMonitor {
  private static final long PERIOD_MS = 5;
  private static final AllocationMonitor INSTANCE = new AllocationMonitor();

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private Thread sampler;

  static AllocationMonitor get() {
    return INSTANCE;
  }

  /** One watched call; {@link #close} ends the watch. */
  final class Watch implements AutoCloseable {
    private final long threadId;
    private final long start;
    private final long limit;
    private final Runnable exceeded;
    private volatile boolean fired;

    private Watch(Thread thread, long limit, Runnable exceeded) {
      this.threadId = thread.getId();
      this.start = threads.getThreadAllocatedBytes(threadId);
      this.limit = limit;
      this.exceeded = exceeded;
    }

    boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      watches.remove(this);
    }
  }

  /** Starts watching {@code thread}, the current thread, for the call that begins now. */
  Watch watch(Thread thread, long limit, Runnable exceeded) {
    Watch w = new Watch(thread, limit, exceeded);
    watches.add(w);
    synchronized (this) {
      if (sampler == null) {
        sampler = new Thread(this::sample, "faultline-hook-memory");
        sampler.setDaemon(true);
        sampler.start();
      }
      notifyAll();
    }
    return w;
  }

  private void sample() {
    while (true) {
      try {
        synchronized (this) {
          while (watches.isEmpty()) wait();
        }
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      for (Watch w : watches) {
        if (w.fired) continue;
        long now = threads.getThreadAllocatedBytes(w.threadId);
        if (now >= 0 && now - w.start > w.limit) {
          w.fired = true;
          try {
            w.exceeded.run();
          } catch (RuntimeException ignored) {
            // the callback only closes a context; the watch stays fired either way
          }
        }
      }
    }
  }
}
