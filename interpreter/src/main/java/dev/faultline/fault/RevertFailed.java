package dev.faultline.fault;

/** A fault whose revert did not succeed: it may still be in place. */
public final class RevertFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The fault that may remain; not serialized. */
  private final transient ActiveFault fault;

  /**
   * A failed revert.
   *
   * @param fault the fault that may remain
   * @param cause why its revert failed
   */
  public RevertFailed(ActiveFault fault, Throwable cause) {
    super("could not revert " + fault.fault().describe() + ": " + message(cause), cause);
    this.fault = fault;
  }

  /** {@return the fault that may still be in place}; null after deserialization */
  public ActiveFault fault() {
    return fault;
  }

  private static String message(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
