package dev.faultline.value;

/** A percentage: {@code 30%} is {@code new Percent(30)}. {@link #fraction()} gives 0.3. */
public record Percent(double points) implements Comparable<Percent> {
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
