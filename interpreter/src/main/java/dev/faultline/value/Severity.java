package dev.faultline.value;

/** Incident severities from the seed runbooks: P1 system down … P4 expected behaviour. */
public enum Severity {
  P1("system down"), P2("degraded performance"), P3("minor deviation"), P4("expected behaviour");

  private final String meaning;

  Severity(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }

  public static Severity of(int level) {
    return values()[level - 1];
  }
}
