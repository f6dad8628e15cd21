package dev.faultline.stdlib.traffic;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.measure.LiveTraffic;
import dev.faultline.measure.Measurements;
import dev.faultline.measure.TrafficFigures;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Background HTTP traffic at a fixed rate, open model: request {@code i} is due at
 * {@code start + i / rate} whatever happened to the requests before it, and its latency is measured
 * from that due time. A target that stalls therefore shows as growing latency (and requests in
 * flight), never as fewer samples: there is no coordinated omission.
 *
 * <p>One sending thread keeps the schedule (parking until shortly before each due time, then
 * spinning, and sending every overdue request at once when it falls behind) and hands each request
 * to an {@link HttpSender}, whose event loop sends it and completes it. Figures are read from the {@link SampleLog} by any thread: playbook
 * members, guards, the REPL ({@link LiveTraffic}) and the SLO verdicts.
 *
 * <p>Lifecycle: it starts when created and stops when its {@code for} duration has passed, when
 * {@code stop()} is called, or when the scope that started it ends (it is a resource of that
 * scope). Stopping waits for the requests in flight, at most their timeout; whatever is still
 * unanswered then counts as failed.
 */
@HostType(name = "traffic", doc = "Background HTTP traffic at a fixed rate, with live figures: requests, errors, error_rate,"
    + " availability, p50/p95/p99/max latency, throughput.")
public final class Traffic implements HostValue, LiveTraffic, AutoCloseable {
  /** Rationale: waking this long before a due time and spinning the rest keeps sends within microseconds of it. */
  private static final long SPIN_NANOS = 80_000;

  private final String name;
  private final Rate rate;
  private final HttpSender http;
  private final Set<Integer> expected;
  private final Duration timeout;
  private final int maxInFlight;
  private final Duration runFor;
  /** When the schedule ends; set when it starts. */
  private volatile long endNanos = Long.MAX_VALUE;
  private final SampleLog log;
  private final Measurements measurements;
  private final Thread sender;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Histogram sendErrors = new Histogram(60_000_000L, 3);
  private volatile boolean stopping;
  private volatile String lastError = "";

  Traffic(String name, Rate rate, HttpSender http, Set<Integer> expected, Duration timeout,
      int maxInFlight, Duration runFor, Measurements measurements) {
    this.name = name;
    this.rate = rate;
    this.http = http;
    this.expected = expected;
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
    this.measurements = measurements;
    this.log = new SampleLog(System.nanoTime(), 1e9 / rate.perSecond());
    this.runFor = runFor;
    this.sender = new Thread(this::send, "faultline-traffic-" + name);
    this.sender.setDaemon(true);
  }

  /**
   * Sends one request outside the schedule, not counted, then starts the schedule. Rationale: the
   * HTTP client's first request loads and starts its machinery (hundreds of milliseconds on a busy
   * machine), which would otherwise be charged to the target as latency of the first requests.
   */
  void start() {
    CountDownLatch warm = new CountDownLatch(1);
    http.send((status, error) -> warm.countDown());
    try {
      warm.await(Math.min(timeout.toMillis(), 1000), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long begin = System.nanoTime() + 1_000_000; // the first request is due 1 ms from now
    log.restart(begin);
    if (runFor != null) endNanos = begin + runFor.toNanos();
    sender.start();
  }

  // ------------------------------------------------------------ sending

  private void send() {
    try {
      for (long i = 0; !stopping; i++) {
        if (i >= SampleLog.CAPACITY) {
          lastError = "stopped after " + SampleLog.CAPACITY + " requests, the most one traffic keeps";
          break;
        }
        long due = log.dueNanos(i);
        if (due >= endNanos) break;
        if (!waitUntil(due)) break;
        long now = System.nanoTime();
        synchronized (sendErrors) {
          sendErrors.recordValue(Math.min(60_000_000L, (now - due) / 1000));
        }
        log.dispatched(i);
        dispatch(i, due, now - due > SampleLog.LATE_NANOS);
      }
    } finally {
      log.close();
      finish();
    }
  }

  /** Parks until shortly before {@code due}, then spins; false when stopped meanwhile. */
  private boolean waitUntil(long due) {
    while (true) {
      if (stopping) return false;
      long left = due - System.nanoTime();
      if (left <= 0) return true;
      if (left > SPIN_NANOS) LockSupport.parkNanos(Math.min(left - SPIN_NANOS, 50_000_000L));
      else Thread.onSpinWait();
    }
  }

  private void dispatch(long index, long due, boolean late) {
    if (inFlight.get() >= maxInFlight) {
      // Rationale: the target is not answering; counting the request as failed with the timeout as
      // its latency keeps the schedule (and memory) bounded without hiding the stall.
      lastError = "not sent: " + maxInFlight + " requests were already waiting for an answer";
      log.complete(index, SampleLog.NOT_SENT, timeout.toNanos(), late);
      return;
    }
    inFlight.incrementAndGet();
    try {
      http.send((status, error) -> {
        long latency = System.nanoTime() - due;
        if (status == 0) {
          lastError = error;
          log.complete(index, SampleLog.NO_RESPONSE, latency, late);
        } else if (expected.isEmpty() ? status / 100 == 2 : expected.contains(status)) {
          log.complete(index, SampleLog.OK, latency, late);
        } else {
          lastError = "status " + status;
          log.complete(index, SampleLog.BAD_STATUS, latency, late);
        }
        inFlight.decrementAndGet();
      });
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      lastError = "not sent: " + e.getMessage();
      log.complete(index, SampleLog.NOT_SENT, System.nanoTime() - due, late);
    }
  }

  /** Once, after the schedule ends: waits for the requests in flight (at most the timeout), then reports. */
  private void finish() {
    if (!finished.compareAndSet(false, true)) return;
    try {
      long deadline = System.nanoTime() + timeout.toNanos() + 500_000_000L;
      while (inFlight.get() > 0 && System.nanoTime() < deadline) LockSupport.parkNanos(5_000_000L);
      long now = System.nanoTime();
      for (long i = 0; i < log.dispatchedCount(); i++) {
        if (log.isPending(i)) log.complete(i, SampleLog.NO_RESPONSE, now - log.dueNanos(i), false);
      }
      http.close();
      measurements.trafficStopped(this);
    } finally {
      done.countDown();
    }
  }

  /** Stops sending and waits until the requests in flight have ended; stopping twice is harmless. */
  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(sender);
    try {
      if (!done.await(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("traffic \"" + name + "\" did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Send-time errors in microseconds (how late each request went out), for the benchmark. */
  public Histogram sendErrors() {
    synchronized (sendErrors) {
      return sendErrors.copy();
    }
  }

  // ------------------------------------------------------------ LiveTraffic

  @Override
  public String name() {
    return name;
  }

  @Override
  public Rate rate() {
    return rate;
  }

  @Override
  public boolean isRunning() {
    return done.getCount() > 0;
  }

  @Override
  public long startedNanos() {
    return log.startNanos();
  }

  @Override
  public TrafficFigures recent(Duration window) {
    long now = System.nanoTime();
    return log.figures(now - window.toNanos(), now, now);
  }

  @Override
  public TrafficFigures between(long fromNanos, long toNanos) {
    return log.figures(fromNanos, toNanos, System.nanoTime());
  }

  /** Every request so far. */
  public TrafficFigures figures() {
    long now = System.nanoTime();
    return log.figures(log.startNanos(), now, now);
  }

  // ------------------------------------------------------------ playbook members

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The traffic's name (given, or the URL's host, port and path).")
  public String nameMember() {
    return name;
  }

  @HostFunction(name = "rate", effect = Effect.PURE, doc = "The rate the schedule sends at.")
  public Rate rateMember() {
    return rate;
  }

  @HostFunction(name = "running", effect = Effect.PURE, doc = "Whether it is still sending.")
  public boolean running() {
    return isRunning();
  }

  @HostFunction(name = "last_error", effect = Effect.PURE, doc = "Why the latest failed request failed (a status, a timeout,"
      + " a refused connection); empty when none has failed.")
  public String lastError() {
    return lastError;
  }

  @HostFunction(name = "last", effect = Effect.PURE, doc = "The figures over the requests due in the last `window`, up to now.")
  public TrafficWindow last(@Arg(name = "window", doc = "how far back to look, e.g. 10s") Duration window) {
    if (window.isNegative() || window.isZero()) throw new HostError("last() needs a positive window, got " + Values.show(window));
    return new TrafficWindow(name, recent(window));
  }

  @HostFunction(name = "stop", effect = Effect.ACTION, doc = "Stops sending now and waits for the requests in flight"
      + " (at most the timeout); the figures stay readable. Stopping twice is harmless.")
  public void stop(CallContext ctx) {
    stopping = true;
    LockSupport.unpark(sender);
    awaitDone(ctx);
  }

  @HostFunction(name = "wait", effect = Effect.ACTION, doc = "Waits until the traffic has ended by itself (its `for`"
      + " duration has passed); an error for traffic without `for`.")
  public void waitForEnd(CallContext ctx) {
    if (runFor == null && !stopping) {
      throw new HostError("wait() would never end: traffic \"" + name + "\" has no 'for' duration", "give traffic() a 'for', or call stop()");
    }
    awaitDone(ctx);
  }

  private void awaitDone(CallContext ctx) {
    while (true) {
      ctx.checkInterrupted();
      try {
        if (done.await(50, TimeUnit.MILLISECONDS)) return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ctx.checkInterrupted();
        throw new dev.faultline.host.Interrupted("interrupted");
      }
    }
  }

  @HostFunction(name = "requests", effect = Effect.PURE, doc = "Requests due so far: completed plus in flight.")
  public long requests() {
    return figures().requests();
  }

  @HostFunction(name = "completed", effect = Effect.PURE, doc = "Requests that ended: answered, failed or timed out.")
  public long completed() {
    return figures().completed();
  }

  @HostFunction(name = "errors", effect = Effect.PURE, doc = "Completed requests that failed: an unexpected status, no response, not sent.")
  public long errors() {
    return figures().errors();
  }

  @HostFunction(name = "in_flight", effect = Effect.PURE, doc = "Requests due and not yet answered.")
  public long inFlight() {
    return figures().inFlight();
  }

  @HostFunction(name = "late", effect = Effect.PURE, doc = "Requests sent more than 1ms after their due time.")
  public long late() {
    return figures().late();
  }

  @HostFunction(name = "error_rate", effect = Effect.PURE, doc = "errors / completed, as a percentage.")
  public Percent errorRate() {
    return figures().errorRate();
  }

  @HostFunction(name = "availability", effect = Effect.PURE, doc = "The share of seconds in which at least one request succeeded.")
  public Percent availability() {
    return figures().availability();
  }

  @HostFunction(name = "p50", effect = Effect.PURE, doc = "Median latency, from due time to response; requests in flight count with their age.")
  public Duration p50() {
    return figures().p50();
  }

  @HostFunction(name = "p95", effect = Effect.PURE, doc = "95th percentile latency.")
  public Duration p95() {
    return figures().p95();
  }

  @HostFunction(name = "p99", effect = Effect.PURE, doc = "99th percentile latency.")
  public Duration p99() {
    return figures().p99();
  }

  @HostFunction(name = "max", effect = Effect.PURE, doc = "The longest latency.")
  public Duration max() {
    return figures().max();
  }

  @HostFunction(name = "throughput", effect = Effect.PURE, doc = "Successful responses per second.")
  public Rate throughput() {
    return figures().throughput();
  }

  @Override
  public String show() {
    TrafficFigures f = figures();
    return "traffic \"" + name + "\" " + rate + (isRunning() ? " running" : " stopped") + ": " + f.requests() + " requests, "
        + f.errorRate() + " errors, p95 " + Values.show(f.p95());
  }
}
