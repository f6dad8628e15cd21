package dev.faultline.stdlib.docker;

import dev.faultline.host.HostError;
import dev.faultline.value.Percent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How many members of a group a fault takes ({@code count: 2} or {@code percent: 30%}), and which:
 * a random choice that the seed makes reproducible. The same seed over the same group (the same
 * container names) picks the same containers. Immutable.
 */
record Selection(Integer count, Percent percent, long seed) {

  Selection {
    if (count != null && percent != null) {
      throw new HostError("give either 'count' or 'percent', not both", "e.g. kill(count: 1) or kill(percent: 30%)");
    }
    if (count != null && count < 1) throw new HostError("'count' must be at least 1, got " + count);
    if (percent != null && (percent.points() <= 0 || percent.points() > 100)) {
      throw new HostError("'percent' must be above 0% and at most 100%, got " + percent.points() + "%");
    }
  }

  /**
   * How many of a group of {@code size} to take: {@code count}; or {@code percent} of the group,
   * rounded down but at least one; or one when neither is given. Rationale: rounding down never
   * goes past what was asked, and "30% of 3" meaning nobody would make the experiment a no-op.
   */
  int howMany(int size) {
    if (count != null) return count;
    if (percent != null) return Math.max(1, (int) Math.floor(percent.points() * size / 100.0 + 1e-9));
    return 1;
  }

  /** In words, for descriptions: "1", "30%". */
  String words() {
    if (count != null) return Integer.toString(count);
    if (percent != null) return dev.faultline.value.Values.show(percent);
    return "1";
  }

  /** {@code k} of {@code candidates} (sorted by name by the caller), chosen with the seed. */
  <T> List<T> choose(List<T> candidates, int k) {
    List<T> shuffled = new ArrayList<>(candidates);
    java.util.Collections.shuffle(shuffled, new Random(seed));
    return List.copyOf(shuffled.subList(0, Math.min(k, shuffled.size())));
  }
}
