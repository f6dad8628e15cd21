package dev.faultline.fault;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import java.time.Instant;

/**
 * The handle of an injected fault, as playbooks hold it ({@code let f = inject …; revert f}).
 * Its state moves ACTIVE → REVERTED, or ACTIVE → REVERT_FAILED; only the {@link RollbackStack}
 * that owns it changes it. Thread-safe: timers and guards may revert from other threads.
 */
@HostType(name = "fault", doc = "An injected fault: what it does, where, and whether it is still active.")
public final class ActiveFault implements HostValue {
  /** PLANNED: a dry run's handle for a fault it only described; never injected, never reverted. */
  public enum State { ACTIVE, REVERTED, REVERT_FAILED, PLANNED }

  private final long id;
  private final Fault fault;
  private final String scope;
  private final Instant injectedAt;
  private final long injectedNanos;
  private volatile State state = State.ACTIVE;

  public ActiveFault(long id, Fault fault, String scope, Instant injectedAt, long injectedNanos) {
    this.id = id;
    this.fault = fault;
    this.scope = scope;
    this.injectedAt = injectedAt;
    this.injectedNanos = injectedNanos;
  }

  /** The handle a dry run returns from {@code inject}: {@code active} is false and nothing reverts it. */
  public static ActiveFault planned(long id, Fault fault, String scope) {
    ActiveFault handle = new ActiveFault(id, fault, scope, Instant.now(), System.nanoTime());
    handle.state = State.PLANNED;
    return handle;
  }

  public long id() { return id; }
  public Fault fault() { return fault; }
  public String scope() { return scope; }
  public Instant injectedAt() { return injectedAt; }
  public long injectedNanos() { return injectedNanos; }
  public State state() { return state; }

  void state(State newState) {
    this.state = newState;
  }

  @HostFunction(name = "description", effect = Effect.PURE, doc = "What the fault does.")
  public String description() {
    return fault.describe();
  }

  @HostFunction(name = "active", effect = Effect.PURE, doc = "Whether the fault is still injected.")
  public boolean active() {
    return state == State.ACTIVE;
  }

  @HostFunction(name = "target", effect = Effect.PURE, doc = "What the fault acts on.")
  public String targetName() {
    return fault.target();
  }

  @Override
  public String show() {
    return "fault #" + id + " " + fault.describe() + " (" + state.name().toLowerCase().replace('_', ' ') + ")";
  }
}
