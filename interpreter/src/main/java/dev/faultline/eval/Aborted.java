package dev.faultline.eval;

import dev.faultline.source.Position;
import dev.faultline.value.Severity;

/** {@code abort P2 "reason"}, a guard breach or a signal: ends the run as aborted (exit 3). */
public final class Aborted extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Severity severity;
  private final transient Position at;

  public Aborted(Severity severity, String reason, Position at) {
    super(reason, null, false, false);
    this.severity = severity;
    this.at = at;
  }

  public Severity severity() {
    return severity;
  }

  public Position at() {
    return at;
  }
}
