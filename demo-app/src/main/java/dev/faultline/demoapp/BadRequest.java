package dev.faultline.demoapp;

/** The client sent something the API cannot take: answered with 400 and the message as JSON. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message);
  }
}
