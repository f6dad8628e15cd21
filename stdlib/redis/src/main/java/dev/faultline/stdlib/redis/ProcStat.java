package dev.faultline.stdlib.redis;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What Linux says about one process ({@code /proc/<pid>/stat}, {@code cmdline}, the boot id) and
 * how to send it a signal. Rationale: Java can send only TERM and KILL; pausing a server needs STOP
 * and CONT, which procps {@code kill} sends. Stateless.
 */
final class ProcStat {
  private ProcStat() {}

  /** The fields of {@code /proc/<pid>/stat} after the command name: [0] is the state letter. */
  private static Optional<String[]> fields(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = s.lastIndexOf(')');
      if (close < 0) return Optional.empty();
      return Optional.of(s.substring(close + 2).strip().split("\\s+"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Its start time in clock ticks since boot (field 22), which tells it apart from a later process with its PID. */
  static Optional<Long> startTicks(long pid) {
    return fields(pid).filter(f -> f.length > 19).map(f -> Long.parseLong(f[19]));
  }

  /** The state letter: R, S, D, T (stopped), Z (zombie)… */
  static Optional<Character> state(long pid) {
    return fields(pid).map(f -> f[0].charAt(0));
  }

  static boolean isStopped(long pid) {
    return state(pid).map(c -> c == 'T' || c == 't').orElse(false);
  }

  /** Alive and not a zombie. */
  static boolean isAlive(long pid) {
    return state(pid).map(c -> c != 'Z' && c != 'X').orElse(false);
  }

  static String bootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** The command line, arguments joined by spaces; empty when it cannot be read. */
  static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** Sends {@code signal} (STOP, CONT, KILL, TERM); false when there is no such process. */
  static boolean signal(long pid, String signal) throws IOException {
    Process p = new ProcessBuilder(killBinary(), "-s", signal, Long.toString(pid))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("kill -s " + signal + " " + pid + " did not finish within 5s");
      }
      if (p.exitValue() == 0) return true;
      if (out.toLowerCase(Locale.ROOT).contains("no such process")) return false;
      throw new IOException("kill -s " + signal + " " + pid + " failed: " + (out.isEmpty() ? "exit status " + p.exitValue() : out));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while sending SIG" + signal + " to " + pid);
    }
  }

  private static String killBinary() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(dir, "kill");
      if (Files.isExecutable(p)) return p.toString();
    }
    return "kill";
  }

  /** {@code setsid} when installed, so that a started server is in a session of its own (a Ctrl-C in the terminal does not reach it). */
  static Optional<String> setsid() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(dir, "setsid");
      if (Files.isExecutable(p)) return Optional.of(p.toString());
    }
    return Optional.empty();
  }
}
