package dev.faultline.host;

/**
 * A host function's failure that a person can act on ("connection refused by 127.0.0.1:8080").
 * The evaluator shows it at the calling statement with the step; any other exception from host
 * code is treated as a bug in that host function.
 */
public class HostError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String help;

  public HostError(String message) {
    this(message, null, null);
  }

  public HostError(String message, String help) {
    this(message, help, null);
  }

  public HostError(String message, String help, Throwable cause) {
    super(message, cause);
    this.help = help;
  }

  /**
   * A stack worth showing with {@code --debug} (a JavaScript hook's error, with its frames), or
   * null: a HostError is a user's problem, and its stack is no use to them by default.
   */
  public Throwable debugDetail() {
    return null;
  }

  /** What to do about it, or null. */
  public String help() {
    return help;
  }
}
