package dev.faultline.ast;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/**
 * The unit suffix of a quantity literal ({@code 500ms}, {@code 30%}, {@code 256MB}, {@code 50/s}),
 * with its dimension and its factor to the dimension's base (nanoseconds, percent points, bytes,
 * events per second).
 * Rationale: decimal sizes (KB = 1000 B) and binary sizes (KiB = 1024 B) are both common in
 * runbooks, so both are accepted and kept apart rather than guessed.
 */
public enum Unit {
  MICROSECONDS("us", Dimension.DURATION, new BigDecimal(1_000)),
  MILLISECONDS("ms", Dimension.DURATION, new BigDecimal(1_000_000)),
  SECONDS("s", Dimension.DURATION, new BigDecimal(1_000_000_000L)),
  MINUTES("m", Dimension.DURATION, new BigDecimal(60_000_000_000L)),
  HOURS("h", Dimension.DURATION, new BigDecimal(3_600_000_000_000L)),
  DAYS("d", Dimension.DURATION, new BigDecimal(86_400_000_000_000L)),
  PERCENT("%", Dimension.PERCENTAGE, BigDecimal.ONE),
  BYTES("B", Dimension.SIZE, BigDecimal.ONE),
  KB("KB", Dimension.SIZE, new BigDecimal(1_000)),
  MB("MB", Dimension.SIZE, new BigDecimal(1_000_000)),
  GB("GB", Dimension.SIZE, new BigDecimal(1_000_000_000L)),
  TB("TB", Dimension.SIZE, new BigDecimal(1_000_000_000_000L)),
  KIB("KiB", Dimension.SIZE, new BigDecimal(1L << 10)),
  MIB("MiB", Dimension.SIZE, new BigDecimal(1L << 20)),
  GIB("GiB", Dimension.SIZE, new BigDecimal(1L << 30)),
  TIB("TiB", Dimension.SIZE, new BigDecimal(1L << 40)),
  PER_SECOND("/s", Dimension.RATE, BigDecimal.ONE),
  PER_MINUTE("/m", Dimension.RATE, BigDecimal.ONE.divide(new BigDecimal(60), java.math.MathContext.DECIMAL64)),
  PER_HOUR("/h", Dimension.RATE, BigDecimal.ONE.divide(new BigDecimal(3600), java.math.MathContext.DECIMAL64));

  /** What a quantity measures; values of different dimensions never mix. */
  public enum Dimension {
    DURATION("a duration"),
    PERCENTAGE("a percentage"),
    SIZE("a size"),
    RATE("a rate");

    private final String described;

    Dimension(String described) {
      this.described = described;
    }

    /** The playbook's word for it, with an article: "a duration". */
    public String described() {
      return described;
    }
  }

  private final String suffix;
  private final Dimension dimension;
  private final BigDecimal factor;

  Unit(String suffix, Dimension dimension, BigDecimal factor) {
    this.suffix = suffix;
    this.dimension = dimension;
    this.factor = factor;
  }

  public String suffix() {
    return suffix;
  }

  public Dimension dimension() {
    return dimension;
  }

  /** Multiplier to the base of the dimension: ns, percent points, bytes, per second. */
  public BigDecimal factor() {
    return factor;
  }

  public static Optional<Unit> bySuffix(String suffix) {
    String s = suffix.equals("µs") ? "us" : suffix.equals("min") ? "m" : suffix.equals("/min") ? "/m" : suffix;
    for (Unit u : values()) {
      if (u.suffix.equals(s)) return Optional.of(u);
    }
    return Optional.empty();
  }

  /** Every accepted suffix, for did-you-mean on a mistyped unit. */
  public static java.util.List<String> suffixes() {
    java.util.List<String> all = new java.util.ArrayList<>();
    for (Unit u : values()) all.add(u.suffix);
    all.add("min");
    return all;
  }

  @Override
  public String toString() {
    return suffix.toLowerCase(Locale.ROOT).equals(suffix) ? suffix : suffix;
  }
}
