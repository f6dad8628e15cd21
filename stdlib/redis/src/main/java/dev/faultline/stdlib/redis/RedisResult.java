package dev.faultline.stdlib.redis;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;

/** What one command got: its reply or why there was none, and how long it took. Immutable. */
@HostType(name = "redis_result", doc = "The answer to one Redis command: ok, value, error, latency, address.")
public final class RedisResult implements HostValue {
  private final boolean ok;
  private final String error;
  private final Object value;
  private final Duration latency;
  private final String where;

  RedisResult(boolean ok, String error, Object value, Duration latency, String where) {
    this.ok = ok;
    this.error = error;
    this.value = value;
    this.latency = latency;
    this.where = where;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the server answered without an error.")
  public boolean ok() {
    return ok;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why there is no answer (refused, timed out, an error reply such as"
      + " READONLY or LOADING, no master known); empty when ok.")
  public String error() {
    return error;
  }

  @HostFunction(name = "value", effect = Effect.PURE, doc = "The reply: a string, a number, a list, a map (info) or null"
      + " (a missing key, or no answer).")
  public Object value() {
    return value;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long the command took, connecting included when it had to.")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "address", effect = Effect.PURE, doc = "\"host:port\" the command was sent to.")
  public String where() {
    return where;
  }

  @Override
  public String show() {
    return ok ? "redis_result " + Values.show(value) + " in " + Values.show(latency) : "redis_result failed (" + error + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
