package dev.faultline.stdlib.http;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;

/**
 * What one TCP connect probe saw. Immutable. Like {@link HttpResult}, a failed connect is a result
 * ({@code ok} false, {@code error} set), never an error of the step.
 */
@HostType(name = "tcp_result", doc = "The result of a TCP connect probe: whether it connected, how fast, and why not.")
public final class TcpResult implements HostValue {
  private final String address;
  private final Duration latency;
  private final String error;

  TcpResult(String address, Duration latency, String error) {
    this.address = address;
    this.latency = latency;
    this.error = error;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the connection was established.")
  public boolean ok() {
    return error.isEmpty();
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long the connect took, or how long until it failed.")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why the connect failed (refused, timed out, unknown host); empty when it succeeded.")
  public String error() {
    return error;
  }

  @HostFunction(name = "address", effect = Effect.PURE, doc = "The address that was probed, host:port.")
  public String address() {
    return address;
  }

  @Override
  public String show() {
    return "tcp_result " + (ok() ? "connected" : "failed (" + error + ")") + " to " + address + " in " + Values.show(latency);
  }
}
