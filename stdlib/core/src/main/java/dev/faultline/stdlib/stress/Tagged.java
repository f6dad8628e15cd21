package dev.faultline.stdlib.stress;

import dev.faultline.stdlib.process.ProcessUndo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one stress fault: those with a tag in their environment
 * ({@code FAULTLINE_STRESS=<tag>}), and their descendants (stress-ng's stressors overwrite their
 * command line and environment when they rename themselves). Rationale: the journal's record
 * is written before the workers start, so it cannot hold their PIDs; a tag drawn at random is
 * unique, so a reused PID is never mistaken for a worker. Linux only. Stateless.
 */
final class Tagged {
  static final String VARIABLE = "FAULTLINE_STRESS";
  private static final Path PROC = Path.of("/proc");

  private Tagged() {}

  /** Live processes carrying the tag and their descendants, this JVM excluded. */
  static List<Long> find(String tag) {
    java.util.Set<Long> out = new java.util.LinkedHashSet<>();
    for (long root : roots(tag)) {
      out.add(root);
      ProcessHandle.of(root).ifPresent(h -> h.descendants().forEach(d -> {
        if (!isZombie(d.pid())) out.add(d.pid());
      }));
    }
    return new ArrayList<>(out);
  }

  private static List<Long> roots(String tag) {
    byte[] needle = (VARIABLE + "=" + tag).getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    List<Long> out = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      if (p.pid() == self) return;
      try {
        byte[] env = Files.readAllBytes(PROC.resolve(Long.toString(p.pid())).resolve("environ"));
        if (contains(env, needle) && !isZombie(p.pid())) out.add(p.pid());
      } catch (IOException | SecurityException e) {
        // gone, or not ours to read
      }
    });
    return out;
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      int close = stat.lastIndexOf(')');
      char state = stat.charAt(close + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** Whether {@code env} holds {@code needle} as one whole NUL-separated entry. */
  private static boolean contains(byte[] env, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) continue;
      for (int j = 0; j < needle.length; j++) if (env[i + j] != needle[j]) continue outer;
      if (i + needle.length == env.length || env[i + needle.length] == 0) return true;
    }
    return false;
  }

  /** Resident memory of the tagged processes, in bytes ({@code VmRSS} summed). */
  static long residentBytes(String tag) {
    long total = 0;
    for (long pid : find(tag)) {
      try {
        for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
          if (line.startsWith("VmRSS:")) total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      } catch (IOException | NumberFormatException e) {
        // exited meanwhile
      }
    }
    return total;
  }

  /**
   * Ends every tagged process: SIGTERM (stress-ng then stops its stressors), SIGKILL to what is left
   * after {@code grace}. Returns how many there were. Idempotent: none left, nothing done.
   */
  static int end(String tag, Duration grace) throws IOException {
    List<Long> found = find(tag);
    if (found.isEmpty()) return 0;
    for (long pid : found) ProcessUndo.signal(pid, "TERM");
    long stop = System.nanoTime() + grace.toNanos();
    boolean interrupted = false;
    while (!find(tag).isEmpty() && System.nanoTime() - stop < 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        interrupted = true; // a revert finishes; the interrupt is kept for the caller
      }
    }
    for (long pid : find(tag)) ProcessUndo.signal(pid, "KILL");
    if (interrupted) Thread.currentThread().interrupt();
    long killed = System.nanoTime() + grace.toNanos();
    while (!find(tag).isEmpty() && System.nanoTime() - killed < 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Long> left = find(tag);
    if (!left.isEmpty()) throw new IOException("stress processes " + left + " are still there after SIGKILL");
    return found.size();
  }
}
