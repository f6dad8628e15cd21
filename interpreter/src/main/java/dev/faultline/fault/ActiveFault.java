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
  /** Where a fault is in its life. */
  public enum State {
    /** Injected and not yet reverted. */
    ACTIVE,
    /** Reverted: no longer in place. */
    REVERTED,
    /** Its revert failed: it may still be in place. */
    REVERT_FAILED,
    /** A dry run's handle for a fault it only described; never injected, never reverted. */
    PLANNED
  }

  private final long id;
  private final Fault fault;
  private final String scope;
  private final Instant injectedAt;
  private final long injectedNanos;
  private volatile State state = State.ACTIVE;

  /**
   * The handle of a fault just injected, {@link State#ACTIVE}.
   *
   * @param id the fault's number in its run, from 1
   * @param fault what was injected
   * @param scope the owning scope's name ({@code step "inject latency"})
   * @param injectedAt when, on the wall clock
   * @param injectedNanos when, on {@link System#nanoTime()}, for durations
   */
  public ActiveFault(long id, Fault fault, String scope, Instant injectedAt, long injectedNanos) {
    this.id = id;
    this.fault = fault;
    this.scope = scope;
    this.injectedAt = injectedAt;
    this.injectedNanos = injectedNanos;
  }

  /**
   * The handle a dry run returns from {@code inject}: {@code active} is false and nothing reverts it.
   *
   * @param id the fault's number in its run
   * @param fault what would be injected
   * @param scope the scope that would own it
   * @return a {@link State#PLANNED} handle
   */
  public static ActiveFault planned(long id, Fault fault, String scope) {
    ActiveFault handle = new ActiveFault(id, fault, scope, Instant.now(), System.nanoTime());
    handle.state = State.PLANNED;
    return handle;
  }

  /** {@return the fault's number in its run}, from 1 */
  public long id() { return id; }

  /** {@return what was injected} */
  public Fault fault() { return fault; }

  /** {@return the owning scope's name} */
  public String scope() { return scope; }

  /** {@return when it was injected, on the wall clock} */
  public Instant injectedAt() { return injectedAt; }

  /** {@return when it was injected, on {@link System#nanoTime()}} */
  public long injectedNanos() { return injectedNanos; }

  /** {@return where the fault is in its life now} */
  public State state() { return state; }

  void state(State newState) {
    this.state = newState;
  }

  /** {@return what the fault does}; {@code f.description} in a playbook */
  @HostFunction(name = "description", effect = Effect.PURE, doc = "What the fault does.")
  public String description() {
    return fault.describe();
  }

  /** {@return whether the fault is still injected}; {@code f.active} in a playbook */
  @HostFunction(name = "active", effect = Effect.PURE, doc = "Whether the fault is still injected.")
  public boolean active() {
    return state == State.ACTIVE;
  }

  /** {@return what the fault acts on}; {@code f.target} in a playbook */
  @HostFunction(name = "target", effect = Effect.PURE, doc = "What the fault acts on.")
  public String targetName() {
    return fault.target();
  }

  @Override
  public String show() {
    return "fault #" + id + " " + fault.describe() + " (" + state.name().toLowerCase().replace('_', ' ') + ")";
  }
}
