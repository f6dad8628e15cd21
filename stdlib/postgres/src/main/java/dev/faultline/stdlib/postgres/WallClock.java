package dev.faultline.stdlib.postgres;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall-clock times of moments measured with System.nanoTime(), and timestamps as PostgreSQL and
 * playbooks write them. Rationale: a moment is converted against the wall clock read at conversion
 * time, so clock adjustments made long before do not shift it; the servers read the same system
 * clock, so a time from clock_timestamp() and one from here compare to within microseconds.
 */
final class WallClock {
  private static final Pattern PG_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})?$");

  private WallClock() {}

  static Instant at(long nanoTime) {
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    return now.minusNanos(nowNanos - nanoTime);
  }

  /** The System.nanoTime() value of this process at wall-clock time {@code t}: the inverse of {@link #at}. */
  static long nanoTimeOf(Instant t) {
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    return nowNanos - java.time.Duration.between(t, now).toNanos();
  }

  /** An instant from seconds since the epoch as PostgreSQL's {@code extract(epoch from …)} writes them: {@code 1795420800.123456}. */
  static Instant fromEpoch(String seconds) {
    java.math.BigDecimal epoch = new java.math.BigDecimal(seconds);
    return Instant.ofEpochSecond(epoch.longValue(), epoch.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
  }

  /** ISO-8601 in UTC with microseconds, {@code 2026-11-23T07:45:00.123456Z}: PostgreSQL reads it as a timestamptz. */
  static String iso(Instant t) {
    return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC).format(t);
  }

  /** PostgreSQL's own text form in UTC, {@code 2026-11-23 07:45:00.123456+00}, which recovery_target_time takes. */
  static String pg(Instant t) {
    return DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC).format(t);
  }

  /**
   * A timestamp with a time zone as a playbook or PostgreSQL writes it: ISO-8601
   * ({@code 2026-11-23T07:45:00Z}, {@code …+01:00}) or PostgreSQL's text form ({@code 2026-11-23
   * 07:45:00.123456+00}). Empty when it is neither (a time without a zone is ambiguous).
   */
  static java.util.Optional<Instant> parse(String text) {
    String s = text.strip().replace(' ', 'T');
    if (s.endsWith("Z") || s.endsWith("z")) s = s.substring(0, s.length() - 1) + "+00:00";
    Matcher m = PG_OFFSET.matcher(s);
    if (m.find() && s.indexOf('T') > 0 && m.start() > s.indexOf('T')) {
      s = s.substring(0, m.start()) + m.group(1) + ":" + (m.group(2) == null ? "00" : m.group(2));
    }
    try {
      return java.util.Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      return java.util.Optional.empty();
    }
  }
}
