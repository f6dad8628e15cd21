package dev.faultline.value;

/**
 * A percentage: {@code 30%} is {@code new Percent(30)}. {@link #fraction()} gives 0.3. Immutable.
 *
 * @param points the percentage's number: 30 for 30%
 */
public record Percent(double points) implements Comparable<Percent> {
  /** {@return the share as a fraction}: 0.3 for 30% */
  public double fraction() {
    return points / 100.0;
  }

  @Override
  public int compareTo(Percent o) {
    return Double.compare(points, o.points);
  }

  @Override
  public String toString() {
    return Values.decimal(points) + "%";
  }
}
