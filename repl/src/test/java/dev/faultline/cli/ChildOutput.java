package dev.faultline.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Collects a child process's output lines on a daemon thread, for tests that signal real processes. */
final class ChildOutput {
  private ChildOutput() {}

  /** Appends each line of {@code in} to {@code lines} (synchronized on it) until the child ends. */
  static void pump(InputStream in, List<String> lines) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // The child ended.
      }
    });
    t.setDaemon(true);
    t.start();
  }
}
