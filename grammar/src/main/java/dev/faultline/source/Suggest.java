package dev.faultline.source;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Did-you-mean: the closest candidate by case-insensitive edit distance, accepted when it is at
 * most about one edit per two letters of the shorter word away.
 * Rationale: a larger allowance suggests unrelated names and makes the hint noise.
 */
public final class Suggest {
  private Suggest() {}

  public static Optional<String> closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate.equals(word)) continue;
      String c = candidate.toLowerCase(Locale.ROOT);
      int limit = Math.max(1, Math.min(w.length(), c.length()) / 2);
      int d = distance(w, c, limit);
      if (d <= limit && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The help line for {@link Diagnostic#withHelp}, or null when nothing is close. */
  public static String didYouMean(String word, Collection<String> candidates) {
    return closest(word, candidates).map(s -> "did you mean '" + s + "'?").orElse(null);
  }

  /** Damerau-Levenshtein (adjacent transpositions) with an early exit above {@code limit}. */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) return limit + 1;
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      int rowMin = Integer.MAX_VALUE;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > limit) return limit + 1;
    }
    return d[a.length()][b.length()];
  }
}
