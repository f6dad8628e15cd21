package dev.faultline.eval;

/**
 * An operation the values do not support ("cannot add a duration and a percentage"). The evaluator
 * turns it into a diagnostic at the operator; the message is already in the playbook's words.
 */
public final class ArithmeticError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String help;

  public ArithmeticError(String message, String help) {
    super(message, null, false, false);
    this.help = help;
  }

  public String help() {
    return help;
  }
}
