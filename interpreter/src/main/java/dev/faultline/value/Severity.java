package dev.faultline.value;

/** Incident severities from the seed runbooks: P1 system down … P4 expected behaviour. */
public enum Severity {
  /** System down. */
  P1("system down"),
  /** Degraded performance. */
  P2("degraded performance"),
  /** A minor deviation. */
  P3("minor deviation"),
  /** Expected behaviour. */
  P4("expected behaviour");

  private final String meaning;

  Severity(String meaning) {
    this.meaning = meaning;
  }

  /** {@return what the severity means, in words} */
  public String meaning() {
    return meaning;
  }

  /**
   * {@return the severity of a level}
   *
   * @param level 1 to 4
   * @throws ArrayIndexOutOfBoundsException for another level
   */
  public static Severity of(int level) {
    return values()[level - 1];
  }
}
