package dev.faultline.stdlib.process;

import dev.faultline.host.HostError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Linux's {@code /proc} says about a process: its state, its start time and its command line.
 * Rationale: Java's {@link ProcessHandle} has neither the state (stopped or not) nor a start time
 * precise and stable enough to tell a reused PID from the original ({@code /proc/<pid>/stat} field 22
 * counts clock ticks since boot and never changes for a process). Stateless.
 */
final class ProcFs {
  private static final Path PROC = Path.of("/proc");

  private ProcFs() {}

  /** Fields 3 and 22 of {@code /proc/<pid>/stat}. */
  record Stat(long pid, char state, long startTicks) {
    boolean isStopped() {
      return state == 'T';
    }

    /** Zombie or dead: the process has exited and only waits to be reaped. */
    boolean isDead() {
      return state == 'Z' || state == 'X' || state == 'x';
    }
  }

  static void requireProc() {
    if (!Files.isDirectory(PROC.resolve("self"))) {
      throw new HostError("process faults need Linux's /proc, which this machine does not have");
    }
  }

  /** The process's stat, or empty when there is no such process. */
  static Optional<Stat> stat(long pid) {
    String text;
    try {
      text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // The process exited while being read (ESRCH), or /proc is not readable.
      return Optional.empty();
    }
    return Optional.of(parseStat(pid, text));
  }

  /**
   * Parses {@code pid (comm) state ppid … starttime …}. The command name may hold spaces and
   * parentheses, so fields are counted from the last {@code ')'}.
   */
  static Stat parseStat(long pid, String text) {
    int close = text.lastIndexOf(')');
    if (close < 0) throw new IllegalStateException("unexpected /proc/" + pid + "/stat: " + text);
    String[] rest = text.substring(close + 1).strip().split(" ");
    // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
    if (rest.length < 20) throw new IllegalStateException("unexpected /proc/" + pid + "/stat: " + text);
    return new Stat(pid, rest[0].charAt(0), Long.parseLong(rest[19]));
  }

  /** The arguments the process was started with; empty for kernel threads and zombies, null when it is gone. */
  static List<String> argv(long pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
    } catch (IOException e) {
      return null;
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < raw.length) out.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
    return out;
  }

  /** The command line as one string, arguments joined by single spaces: {@code sleep 60}. Null when gone. */
  static String commandLine(long pid) {
    List<String> argv = argv(pid);
    return argv == null ? null : String.join(" ", argv);
  }

  /** Whether {@code pid}'s command line is exactly {@code command}, as {@code /proc} or Java tells it. */
  static boolean runs(ProcessHandle p, String command) {
    String line = commandLine(p.pid());
    if (line == null || line.isEmpty()) return false;
    if (line.equals(command)) return true;
    // Java's form starts with the resolved executable (/usr/bin/sleep 60). Rationale: asking Java
    // reads several files per process, so only a command written in that form is compared so.
    if (!command.startsWith("/")) return false;
    return p.info().commandLine().map(command::equals).orElse(false);
  }

  /** Live processes (not zombies) whose command line is exactly {@code command}, this JVM excluded. */
  static List<Long> find(String command) {
    long self = ProcessHandle.current().pid();
    List<Long> found = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      if (p.pid() == self || !runs(p, command)) return;
      Optional<Stat> s = stat(p.pid());
      if (s.isPresent() && !s.get().isDead()) found.add(p.pid());
    });
    return found;
  }

  /** Changes at each boot; start times only compare within one boot. Empty when unknown. */
  static String bootId() {
    try {
      return Files.readString(PROC.resolve("sys/kernel/random/boot_id")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** A state letter in words, for playbooks: "running", "sleeping", "stopped". */
  static String stateWord(char state) {
    return switch (state) {
      case 'R' -> "running";
      case 'S' -> "sleeping";
      case 'D' -> "waiting";
      case 'I' -> "idle";
      case 'T' -> "stopped";
      case 't' -> "traced";
      case 'Z' -> "zombie";
      case 'X', 'x' -> "dead";
      default -> String.valueOf(state);
    };
  }
}
