package dev.faultline.demoapp;

/** A dependency cannot serve the request now: answered with 503 and the message as JSON. */
final class Unavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Unavailable(String message) {
    super(message);
  }

  Unavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
