package dev.faultline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code faultline repl} in a pseudo-terminal: a tmux session on a server of its own
 * ({@code tmux -L}), driven with {@code send-keys} and read with {@code capture-pane}. Every wait
 * polls the screen until a deadline, so that a test never hangs. The command runs this module's
 * test class path in a child JVM; its exit code is written to a file when it ends.
 *
 * <p>Tests that use it are skipped when {@code -Dfaultline.skip.tmux=true} (run-tests passes it
 * when tmux is missing and it may not install it).
 */
final class Tmux implements AutoCloseable {
  private static final long DEADLINE_SECONDS = 30;

  private final String socket;
  private final Path exitFile;

  private Tmux(String socket, Path exitFile) {
    this.socket = socket;
    this.exitFile = exitFile;
  }

  static void assumeAvailable() {
    Assumptions.assumeFalse(Boolean.getBoolean("faultline.skip.tmux"), "tmux tests are skipped (-Dfaultline.skip.tmux=true)");
  }

  /** Starts {@code faultline repl args…} in {@code dir} in a 160x40 terminal. */
  static Tmux repl(Path dir, String... args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path exit = dir.resolve("repl.exit");
    // The shell survives Ctrl-C (a trap, not an ignored signal, which the JVM would inherit) to record the exit code.
    StringBuilder script = new StringBuilder("#!/bin/sh\ntrap 'true' INT\ncd '" + dir + "'\n'" + java + "' -XX:TieredStopAtLevel=1 -cp '" + cp
        + "' dev.faultline.cli.Main repl");
    for (String a : args) script.append(" '").append(a.replace("'", "'\\''")).append('\'');
    script.append("\necho $? > '").append(exit).append("'\nsleep 120\n");
    Path sh = dir.resolve("repl.sh");
    Files.writeString(sh, script.toString(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwx------"));
    Tmux t = new Tmux("faultline-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), exit);
    t.tmux("new-session", "-d", "-s", "repl", "-x", "160", "-y", "40", "env TERM=xterm-256color HOME='" + dir + "' " + sh);
    return t;
  }

  /** Types {@code text} literally, then Enter. */
  void line(String text) throws IOException, InterruptedException {
    tmux("send-keys", "-t", "repl", "-l", text);
    tmux("send-keys", "-t", "repl", "Enter");
  }

  /** Types {@code text} literally without Enter. */
  void type(String text) throws IOException, InterruptedException {
    tmux("send-keys", "-t", "repl", "-l", text);
  }

  /** Sends keys by their tmux names: {@code C-c}, {@code C-d}, {@code Tab}, {@code C-u}. */
  void keys(String... names) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("send-keys", "-t", "repl"));
    cmd.addAll(List.of(names));
    tmux(cmd.toArray(new String[0]));
  }

  /** The screen and its scroll-back, wrapped lines joined. */
  String screen() throws IOException, InterruptedException {
    return tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", "repl");
  }

  /** Waits until the screen holds {@code text} {@code times} times; returns the screen. */
  String waitFor(String text, int times) throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    String screen = "";
    while (System.nanoTime() < end) {
      screen = screen();
      if (count(screen, text) >= times) return screen;
      Thread.sleep(50);
    }
    throw new AssertionError("the screen never showed '" + text + "' " + times + " time(s):\n" + screen);
  }

  String waitFor(String text) throws IOException, InterruptedException {
    return waitFor(text, 1);
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) n++;
    return n;
  }

  /** Waits for the command to end and returns its exit code. */
  int exitCode() throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (System.nanoTime() < end) {
      if (Files.exists(exitFile)) {
        String s = Files.readString(exitFile).strip();
        if (!s.isEmpty()) return Integer.parseInt(s);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the REPL did not end:\n" + screen());
  }

  /** Closes the terminal, as closing a window does: the REPL gets SIGHUP. */
  void killSession() throws IOException, InterruptedException {
    tmux("kill-server");
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux " + String.join(" ", args) + " did not end");
    }
    return out;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    tmux("kill-server");
  }
}
