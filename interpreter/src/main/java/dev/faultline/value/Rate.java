package dev.faultline.value;

/**
 * Events per second: {@code 50/s}; {@code 120/m} is 2 per second. Immutable.
 *
 * @param perSecond how many events per second
 */
public record Rate(double perSecond) implements Comparable<Rate> {
  @Override
  public int compareTo(Rate o) {
    return Double.compare(perSecond, o.perSecond);
  }

  @Override
  public String toString() {
    return Values.decimal(perSecond) + "/s";
  }
}
