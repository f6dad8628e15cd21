package dev.faultline.run;

import dev.faultline.source.Diagnostic;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How one step ended. {@code message} says why it failed, was skipped or aborted; empty when passed.
 * Immutable.
 *
 * @param name the step's name
 * @param status how it ended
 * @param start when it started
 * @param duration how long it took; zero when skipped
 * @param message why it failed, aborted or was skipped; empty when it passed
 * @param at where the step failed (the statement), or the step itself
 * @param error the failure as a diagnostic, pointing at the statement with its help line, when the
 *     step failed or aborted at a known place; reports render it like a parse error
 */
public record StepResult(String name, Status status, Instant start, Duration duration, String message, String at,
    Optional<Diagnostic> error) {

  /**
   * A result without a diagnostic.
   *
   * @param name the step's name
   * @param status how it ended
   * @param start when it started
   * @param duration how long it took
   * @param message why it failed, aborted or was skipped
   * @param at where it failed, or the step itself
   */
  public StepResult(String name, Status status, Instant start, Duration duration, String message, String at) {
    this(name, status, start, duration, message, at, Optional.empty());
  }
}
