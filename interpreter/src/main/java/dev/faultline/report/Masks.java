package dev.faultline.report;

import java.util.regex.Pattern;

/**
 * Placeholders for what changes from one run to the next (timestamps, elapsed times), so that a
 * run's output and report can be compared with a golden file. Stateless.
 */
final class Masks {
  private Masks() {}

  static final String DURATION = "<dur>";
  static final String TIME = "<time>";

  /** A duration as {@link dev.faultline.value.Values#show} prints it: {@code 250us}, {@code 1.5ms}, {@code -2s}. */
  private static final Pattern DURATION_TEXT = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:ns|us|ms|s|m|h)");
  /** The same inside longer text, not glued to other words, numbers or units. */
  private static final Pattern DURATION_TOKEN = Pattern.compile("(?<![\\w.])" + DURATION_TEXT.pattern() + "(?![\\w.%/])");

  /** Whether a printed value is a duration. */
  static boolean isDuration(String shown) {
    return DURATION_TEXT.matcher(shown).matches();
  }

  /** Replaces every duration inside {@code text} with the placeholder. */
  static String durationsIn(String text) {
    return DURATION_TOKEN.matcher(text).replaceAll(DURATION);
  }
}
