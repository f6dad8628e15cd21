package dev.faultline.host;

import dev.faultline.fault.Capability;
import dev.faultline.source.Position;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a host function may use from the run that calls it, given as a trailing parameter. All
 * waiting must go through {@link #sleep} so that a guard breach, a step timeout or Ctrl-C can
 * interrupt it.
 *
 * <p>Implemented by the interpreter; host code only calls it. A context belongs to one call and is
 * used on the thread that makes that call; {@link #detached()} gives one for code outside any run.
 */
public interface CallContext {
  /** {@return where in the playbook the call being evaluated is}, for messages */
  Position at();

  /**
   * Sleeps, or throws {@link Interrupted} when the run is interrupted meanwhile (a guard breach, a
   * step timeout, Ctrl-C).
   *
   * @param duration how long to sleep
   */
  void sleep(Duration duration);

  /** Throws {@link Interrupted} if the run has been interrupted; call it in long loops. */
  void checkInterrupted();

  /**
   * Writes a line to the run's output and report, as {@code log} in a playbook does.
   *
   * @param message the line; secrets in it are masked by the run
   */
  void log(String message);

  /**
   * Ties a resource (a started server, a proxy) to the scope that created it: it is closed when
   * that scope ends, after the scope's faults are reverted.
   *
   * @param resource closed once, when the scope ends; a failure to close is reported, not thrown
   * @param description what it is, for messages ({@code "demo service on 127.0.0.1:8080"})
   */
  void own(AutoCloseable resource, String description);

  /**
   * Whether the call is part of a dry run ({@code --dry-run=probes}): only PURE and PROBE functions
   * are called then, and a probe must still change nothing.
   *
   * @return true in a dry run
   */
  default boolean isDryRun() {
    return false;
  }

  /**
   * The capabilities the run was granted ({@code --allow}); all of them in a dry run. Code that runs
   * outside any playbook run (tests, tools) acts for the Java caller, who needs no permission.
   *
   * @return the granted capabilities
   */
  default Set<Capability> granted() {
    return EnumSet.allOf(Capability.class);
  }

  /**
   * Throws {@link HostError} for the first capability in {@code needed} that was not granted, before
   * anything is done. {@code what} names the call ({@code replace()}); a run may name it better.
   *
   * @param needed the capabilities the action needs
   * @param what the call, for the message
   * @throws HostError naming the capability and the {@code --allow} flag that grants it
   */
  default void require(Set<Capability> needed, String what) {
    for (Capability c : Capability.values()) {
      if (needed.contains(c) && !granted().contains(c)) throw new HostError(c.refusal(what), "run with " + c.flag());
    }
  }

  /**
   * The run's blast radius limit. An injector whose target is a selection from a group calls
   * {@code context.blastRadius().check(selected, of, "containers labelled tier=backend")} in its
   * {@code inject}, before touching anything; above the limit it throws and nothing is injected.
   *
   * @return the limit; {@link dev.faultline.fault.BlastRadius#UNLIMITED} outside a run
   */
  default dev.faultline.fault.BlastRadius blastRadius() {
    return dev.faultline.fault.BlastRadius.UNLIMITED;
  }

  /** {@return the run's params as bound} (secret ones masked as {@code "***"}); empty outside a run. For hooks. */
  default java.util.Map<String, Object> params() {
    return java.util.Map.of();
  }

  /** {@return the values {@code record} has stored so far} (the playbook's, then the current scenario's); for hooks. */
  default java.util.Map<String, Object> recorded() {
    return java.util.Map.of();
  }

  /**
   * A host function of the run by its full name ({@code http.get}, {@code demo.service}), bound and
   * ready to call; empty when there is none. For hooks, which call the playbook's functions.
   *
   * @param name the function's full name
   * @return the bound function, or empty
   */
  default java.util.Optional<dev.faultline.value.Function> function(String name) {
    return java.util.Optional.empty();
  }

  /**
   * The run's measurements: where probes report their samples and traffic generators register
   * while they run. Outside a run (and in a guard's condition) nothing is reported.
   *
   * @return the run's measurements, or detached ones that keep nothing
   */
  default dev.faultline.measure.Measurements measurements() {
    return dev.faultline.measure.Measurements.detached();
  }

  /**
   * {@return a context for code that runs outside any playbook} (tests, tools): it sleeps with
   * {@link Thread#sleep}, logs nothing, owns nothing and grants every capability
   */
  static CallContext detached() {
    return new CallContext() {
      public Position at() { return Position.NONE; }
      public void sleep(Duration d) {
        try {
          Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Interrupted("interrupted");
        }
      }
      public void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) throw new Interrupted("interrupted");
      }
      public void log(String message) {}
      public void own(AutoCloseable resource, String description) {}
    };
  }
}
