package dev.faultline.stdlib.traffic;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.measure.TrafficFigures;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Values;
import java.time.Duration;

/** The figures of one traffic over one window, fixed when it was read ({@code load.last(10s)}). Immutable. */
@HostType(name = "traffic_window", doc = "Traffic figures over a window: requests, errors, error_rate, availability,"
    + " p50/p95/p99/max, throughput.")
public final class TrafficWindow implements HostValue {
  private final String name;
  private final TrafficFigures f;

  TrafficWindow(String name, TrafficFigures figures) {
    this.name = name;
    this.f = figures;
  }

  @HostFunction(name = "requests", effect = Effect.PURE, doc = "Requests due in the window: completed plus in flight.")
  public long requests() {
    return f.requests();
  }

  @HostFunction(name = "completed", effect = Effect.PURE, doc = "Requests that ended: answered, failed or timed out.")
  public long completed() {
    return f.completed();
  }

  @HostFunction(name = "errors", effect = Effect.PURE, doc = "Completed requests that failed.")
  public long errors() {
    return f.errors();
  }

  @HostFunction(name = "in_flight", effect = Effect.PURE, doc = "Requests due and not yet answered.")
  public long inFlight() {
    return f.inFlight();
  }

  @HostFunction(name = "late", effect = Effect.PURE, doc = "Requests sent more than 1ms after their due time.")
  public long late() {
    return f.late();
  }

  @HostFunction(name = "error_rate", effect = Effect.PURE, doc = "errors / completed, as a percentage.")
  public Percent errorRate() {
    return f.errorRate();
  }

  @HostFunction(name = "availability", effect = Effect.PURE, doc = "The share of seconds in which at least one request succeeded.")
  public Percent availability() {
    return f.availability();
  }

  @HostFunction(name = "p50", effect = Effect.PURE, doc = "Median latency.")
  public Duration p50() {
    return f.p50();
  }

  @HostFunction(name = "p95", effect = Effect.PURE, doc = "95th percentile latency.")
  public Duration p95() {
    return f.p95();
  }

  @HostFunction(name = "p99", effect = Effect.PURE, doc = "99th percentile latency.")
  public Duration p99() {
    return f.p99();
  }

  @HostFunction(name = "max", effect = Effect.PURE, doc = "The longest latency.")
  public Duration max() {
    return f.max();
  }

  @HostFunction(name = "throughput", effect = Effect.PURE, doc = "Successful responses per second.")
  public Rate throughput() {
    return f.throughput();
  }

  @Override
  public String show() {
    return "traffic_window of \"" + name + "\" over " + Values.show(f.span()) + ": " + f.requests() + " requests, "
        + f.errorRate() + " errors, p95 " + Values.show(f.p95());
  }
}
