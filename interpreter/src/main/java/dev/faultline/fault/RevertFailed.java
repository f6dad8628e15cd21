package dev.faultline.fault;

/** A fault whose revert did not succeed: it may still be in place. */
public final class RevertFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ActiveFault fault;

  public RevertFailed(ActiveFault fault, Throwable cause) {
    super("could not revert " + fault.fault().describe() + ": " + message(cause), cause);
    this.fault = fault;
  }

  public ActiveFault fault() {
    return fault;
  }

  private static String message(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
