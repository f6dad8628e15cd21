package dev.faultline.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What one call of the command works with: its output streams, its environment variables, whether
 * standard output is a terminal, and whether it owns the process (and may install a shutdown hook).
 * Immutable. Tests make one with {@code terminal} and {@code ownsProcess} false.
 */
record Invocation(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal, boolean ownsProcess) {

  Invocation {
    env = Map.copyOf(env);
  }

  /**
   * Colour only on a terminal, never when {@code NO_COLOR} is set (https://no-color.org) or the
   * terminal is dumb, and never when the user said {@code --no-color}.
   */
  boolean colour(boolean noColorOption) {
    if (noColorOption || !terminal) return false;
    String noColor = env.get("NO_COLOR");
    if (noColor != null && !noColor.isEmpty()) return false;
    return !"dumb".equals(env.get("TERM"));
  }
}
