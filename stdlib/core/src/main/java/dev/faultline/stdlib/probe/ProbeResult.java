package dev.faultline.stdlib.probe;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;

/** What {@code probe()} saw: its name, outcome, latency, the checked value and why it failed. Immutable. */
@HostType(name = "probe_result", doc = "The result of probe(): name, ok, latency, value and error.")
public final class ProbeResult implements HostValue {
  private final String name;
  private final boolean ok;
  private final Duration latency;
  private final Object value;
  private final String error;

  ProbeResult(String name, boolean ok, Duration latency, Object value, String error) {
    this.name = name;
    this.ok = ok;
    this.latency = latency;
    this.value = value;
    this.error = error;
  }

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The probe's name.")
  public String name() {
    return name;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the probe succeeded.")
  public boolean ok() {
    return ok;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "The checked value's own latency, or how long the check took.")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "value", effect = Effect.PURE, doc = "What the check returned; null when it failed with an error.")
  public Object value() {
    return value;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why the check failed with an error; empty otherwise.")
  public String error() {
    return error;
  }

  @Override
  public String show() {
    return "probe_result \"" + name + "\" " + (ok ? "ok" : "failed" + (error.isEmpty() ? "" : " (" + error + ")"))
        + " in " + Values.show(latency);
  }
}
