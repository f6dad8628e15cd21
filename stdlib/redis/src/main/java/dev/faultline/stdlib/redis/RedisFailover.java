package dev.faultline.stdlib.redis;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;

/**
 * What a forced Sentinel failover did: the master before and after, as Sentinel names it, and how
 * long the switch took. A failover is a change of state, not a fault: nothing reverts it. Immutable.
 */
@HostType(name = "redis_failover", doc = "A forced Sentinel failover: from, to, took, ok, error. Not a fault: nothing reverts it.")
public final class RedisFailover implements HostValue {
  private final String from;
  private final String to;
  private final Duration took;
  private final String error;

  RedisFailover(String from, String to, Duration took, String error) {
    this.from = from;
    this.to = to;
    this.took = took;
    this.error = error;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether Sentinel named another master within the wait.")
  public boolean ok() {
    return error.isEmpty();
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why the failover did not finish within the wait; empty when it did.")
  public String error() {
    return error;
  }

  @HostFunction(name = "from", effect = Effect.PURE, doc = "\"host:port\" of the master before.")
  public String from() {
    return from;
  }

  @HostFunction(name = "to", effect = Effect.PURE, doc = "\"host:port\" of the master Sentinel names after (the same as from when it did not finish).")
  public String to() {
    return to;
  }

  @HostFunction(name = "took", effect = Effect.PURE, doc = "From SENTINEL FAILOVER to Sentinel naming the new master.")
  public Duration took() {
    return took;
  }

  @Override
  public String show() {
    return ok() ? "redis_failover " + from + " -> " + to + " in " + Values.show(took)
        : "redis_failover of " + from + " not finished (" + error + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
