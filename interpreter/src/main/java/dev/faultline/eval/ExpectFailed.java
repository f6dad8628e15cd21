package dev.faultline.eval;

import dev.faultline.source.Position;

/** An {@code expect} (or an {@code await}) that did not hold: fails the step, not the interpreter. */
public final class ExpectFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Position at;

  public ExpectFailed(Position at, String message) {
    super(message, null, false, false);
    this.at = at;
  }

  public Position at() {
    return at;
  }
}
