package dev.faultline.host;

/**
 * A host function's failure that a person can act on ("connection refused by 127.0.0.1:8080").
 * The evaluator shows it at the calling statement with the step; any other exception from host
 * code is treated as a bug in that host function.
 */
public class HostError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** What to do about the failure, or null. */
  private final String help;

  /**
   * A failure without advice.
   *
   * @param message what went wrong, in the playbook's words: lower case, no final period
   */
  public HostError(String message) {
    this(message, null, null);
  }

  /**
   * A failure with advice, shown as {@code = help: ...} under it.
   *
   * @param message what went wrong
   * @param help what the person can do about it, or null
   */
  public HostError(String message, String help) {
    this(message, help, null);
  }

  /**
   * A failure with advice and the exception behind it (kept for {@code --debug}).
   *
   * @param message what went wrong
   * @param help what the person can do about it, or null
   * @param cause the exception that caused it, or null
   */
  public HostError(String message, String help, Throwable cause) {
    super(message, cause);
    this.help = help;
  }

  /**
   * A stack worth showing with {@code --debug} (a JavaScript hook's error, with its frames), or
   * null: a HostError is a user's problem, and its stack is no use to them by default.
   *
   * @return the detail to show with {@code --debug}, or null
   */
  public Throwable debugDetail() {
    return null;
  }

  /** {@return what to do about the failure, or null} */
  public String help() {
    return help;
  }
}
