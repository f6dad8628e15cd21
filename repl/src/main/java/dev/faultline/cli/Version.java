package dev.faultline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The version of this build, from a resource that Maven fills in. Kept free of picocli so that
 * {@code faultline --version} starts no more of the JVM than it needs.
 */
final class Version {
  private Version() {}

  static String get() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) return "unknown";
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("version=")) return line.substring(8).strip();
      }
    } catch (IOException e) {
      // A jar we cannot read from is reported by whatever reads it next; the version is not worth failing for.
    }
    return "unknown";
  }

  /**
   * {@code faultline 0.1.0}. Rationale: {@code concat}, not {@code +}, which on first use spins up
   * the invokedynamic string concatenation machinery, a visible part of this path's start-up time.
   */
  static String line() {
    return "faultline ".concat(get());
  }
}
