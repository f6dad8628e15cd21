package dev.faultline.ast;

import java.util.Optional;

/** The declared type of a {@code param}: {@code param pg_port: int = 5432}. */
public enum TypeName {
  STRING("string"), INT("int"), NUMBER("number"), BOOL("bool"), DURATION("duration"),
  PERCENT("percent"), SIZE("size"), RATE("rate"), SEVERITY("severity"), LIST("list"), MAP("map");

  private final String word;

  TypeName(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  public static Optional<TypeName> byWord(String w) {
    for (TypeName t : values()) if (t.word.equals(w)) return Optional.of(t);
    return Optional.empty();
  }

  public static java.util.List<String> words() {
    return java.util.Arrays.stream(values()).map(TypeName::word).toList();
  }
}
