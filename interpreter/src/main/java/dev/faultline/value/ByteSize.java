package dev.faultline.value;

/**
 * A size in bytes: {@code 256MB} is 256,000,000 bytes, {@code 1GiB} is 2^30 bytes. Immutable.
 *
 * @param bytes the size in bytes
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
  @Override
  public int compareTo(ByteSize o) {
    return Long.compare(bytes, o.bytes);
  }

  /** The unit that shows the size exactly with the smallest number: 256MB, 1GiB, 1500B. */
  @Override
  public String toString() {
    long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10, 1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    String[] names = {"TiB", "GiB", "MiB", "KiB", "TB", "GB", "MB", "KB"};
    long best = bytes;
    String unit = "B";
    for (int i = 0; i < factors.length; i++) {
      if (bytes != 0 && bytes % factors[i] == 0 && Math.abs(bytes / factors[i]) < Math.abs(best)) {
        best = bytes / factors[i];
        unit = names[i];
      }
    }
    return best + unit;
  }
}
