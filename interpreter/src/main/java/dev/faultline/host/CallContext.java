package dev.faultline.host;

import dev.faultline.source.Position;
import java.time.Duration;

/**
 * What a host function may use from the run that calls it, given as a trailing parameter. All
 * waiting must go through {@link #sleep} so that a guard breach, a step timeout or Ctrl-C can
 * interrupt it.
 */
public interface CallContext {
  /** The call being evaluated, for messages. */
  Position at();

  /** Sleeps, or throws {@link Interrupted} when the run is interrupted meanwhile. */
  void sleep(Duration duration);

  /** Throws {@link Interrupted} if the run has been interrupted; call it in long loops. */
  void checkInterrupted();

  /** A line for the run's output and report. */
  void log(String message);

  /**
   * Ties a resource (a started server, a proxy) to the scope that created it: it is closed when
   * that scope ends, after the scope's faults are reverted.
   */
  void own(AutoCloseable resource, String description);

  /**
   * The run's blast radius limit. An injector whose target is a selection from a group calls
   * {@code context.blastRadius().check(selected, of, "containers labelled tier=backend")} in its
   * {@code inject}, before touching anything; above the limit it throws and nothing is injected.
   */
  default dev.faultline.fault.BlastRadius blastRadius() {
    return dev.faultline.fault.BlastRadius.UNLIMITED;
  }

  /** A context for code that runs outside any playbook (tests, tools). */
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
