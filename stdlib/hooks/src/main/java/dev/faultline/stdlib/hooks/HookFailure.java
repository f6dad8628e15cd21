package dev.faultline.stdlib.hooks;

import dev.faultline.host.HostError;
import dev.faultline.source.Position;

/** A hook call that failed in JavaScript, with where in the hook it failed (null when unknown). */
final class HookFailure extends HostError {
  private static final long serialVersionUID = 1L;
  private final transient Position at;

  HookFailure(String message, String help, Position at, Throwable cause) {
    super(message, help, cause);
    this.at = at;
  }

  Position at() {
    return at;
  }

  /** The JavaScript error with its stack, for {@code --debug}. */
  @Override
  public Throwable debugDetail() {
    return getCause();
  }
}
