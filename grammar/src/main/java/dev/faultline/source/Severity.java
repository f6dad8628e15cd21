package dev.faultline.source;

/** How bad a {@link Diagnostic} is: errors stop a run before it starts, warnings do not. */
public enum Severity {
  ERROR("error"),
  WARNING("warning");

  private final String word;

  Severity(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }
}
