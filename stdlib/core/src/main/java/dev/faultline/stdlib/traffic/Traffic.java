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
 * <p>The schedule runs on the event loop of the traffic's {@link HttpSender}, woken by a timer at
 * each due time (sending every overdue request at once when it falls behind); responses complete
 * on the same thread. Figures are read from the {@link SampleLog} by any thread: playbook members,
 * guards, the REPL ({@link LiveTraffic}) and the SLO verdicts.
 *
 * <p>Lifecycle: it starts when created and stops when its {@code for} duration has passed, when
 * {@code stop()} is called, or when the scope that started it ends (it is a resource of that
 * scope). Stopping waits for the requests in flight, at most their timeout; whatever is still
 * unanswered then counts as failed.
 */
@HostType(name = "traffic", doc = "Background HTTP traffic at a fixed rate, with live figures: requests, errors, error_rate,"
    + " availability, p50/p95/p99/max latency, throughput.")
public final class Traffic implements HostValue, LiveTraffic, AutoCloseable {
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
  /** The next request of the schedule; event loop only. */
  private long next;
  /** Whether the schedule has ended; event loop only. */
  private boolean ended;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Histogram sendErrors = new Histogram(60_000_000L, 3);
  /** Latency from the actual send, in microseconds: what a closed-model tool such as wrk reports, for the benchmark. */
  private final Histogram fromSend = new Histogram(3_600_000_000L, 3);
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
    http.loop().execute(this::tick);
  }

  // ------------------------------------------------------------ sending

  /**
   * Runs on the event loop: sends every request that is due (all at once when the loop fell
   * behind), then sets a timer for the next due time. Rationale: one thread for the schedule and
   * the connections, woken by a timer with microsecond resolution, needs no hand-over between
   * threads and is the one thing a busy machine must schedule on time.
   */
  private void tick() {
    long now = System.nanoTime();
    while (!stopping && !ended) {
      if (next >= SampleLog.CAPACITY) {
        lastError = "stopped after " + SampleLog.CAPACITY + " requests, the most one traffic keeps";
        break;
      }
      long due = log.dueNanos(next);
      if (due >= endNanos) break;
      if (due > now) {
        now = System.nanoTime();
        if (due > now) {
          http.loop().schedule(this::tick, due - now, TimeUnit.NANOSECONDS);
          return;
        }
      }
      long error = now - due;
      synchronized (sendErrors) {
        sendErrors.recordValue(Math.min(60_000_000L, error / 1000));
      }
      log.dispatched(next);
      dispatch(next, due, now, error > SampleLog.LATE_NANOS);
      next++;
    }
    if (ended) return; // a stop's tick after the schedule had ended by itself
    ended = true;
    log.close();
    // Waiting for the requests in flight must not block the loop that completes them.
    Thread finisher = new Thread(this::finish, "faultline-traffic-end-" + name);
    finisher.setDaemon(true);
    finisher.start();
  }

  private void dispatch(long index, long due, long sent, boolean late) {
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
        long end = System.nanoTime();
        long latency = end - due;
        synchronized (fromSend) {
          fromSend.recordValue(Math.max(0, Math.min(3_600_000_000L, (end - sent) / 1000)));
        }
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
    requestStop();
    try {
      if (!done.await(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("traffic \"" + name + "\" did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the schedule at its next tick, which is now. */
  @Override
  public void halt() {
    requestStop();
  }

  private void requestStop() {
    stopping = true;
    try {
      http.loop().execute(this::tick);
    } catch (java.util.concurrent.RejectedExecutionException ended) {
      // the loop has shut down: the schedule ended already
    }
  }

  /** Send-time errors in microseconds (how late each request went out), for the benchmark. */
  public Histogram latenciesFromSend() {
    synchronized (fromSend) {
      return fromSend.copy();
    }
  }

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
    requestStop();
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
