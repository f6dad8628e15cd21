package dev.faultline.host;

/**
 * Unwinds evaluation when the run is interrupted from another thread (step timeout, guard breach,
 * Ctrl-C). Host code must let it pass; the run decides what the interruption means.
 */
public class Interrupted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Interrupted(String reason) {
    super(reason, null, false, false);
  }
}
