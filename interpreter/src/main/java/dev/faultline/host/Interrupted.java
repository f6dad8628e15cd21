package dev.faultline.host;

/**
 * Unwinds evaluation when the run is interrupted from another thread (step timeout, guard breach,
 * Ctrl-C). Host code must let it pass; the run decides what the interruption means.
 */
public class Interrupted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An interruption; it carries no stack trace, since it is control flow, not a bug.
   *
   * @param reason why the run was interrupted, for messages
   */
  public Interrupted(String reason) {
    super(reason, null, false, false);
  }
}
