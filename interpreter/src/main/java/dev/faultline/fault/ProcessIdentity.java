package dev.faultline.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which process wrote a journal record, precisely enough to tell a live run from a dead one: its
 * PID, when that process started, and which boot of the machine it ran in. Immutable.
 *
 * <p>Rationale: a PID alone is not an identity. The kernel hands a freed PID to the next process,
 * so a record whose PID is alive may belong to a run that died long ago; the start time (field 22
 * of {@code /proc/<pid>/stat}, clock ticks since boot) tells the original from the newcomer, and
 * the boot id ({@code /proc/sys/kernel/random/boot_id}) makes every record written before a reboot
 * dead, even when the same PID happens to start at the same tick after it.
 *
 * <p>Without {@code /proc} (not Linux) the start time comes from {@link ProcessHandle.Info} and
 * the boot is not known; both sides of a comparison are always computed the same way on one machine.
 *
 * @param pid the process id
 * @param start when it started ({@code "ticks:<n>"} or {@code "ms:<epoch millis>"}); empty when not known
 * @param boot the machine's boot id; empty when not known
 */
public record ProcessIdentity(long pid, String start, String boot) {
  private static final Path PROC = Path.of("/proc");
  private static volatile ProcessIdentity current;

  /**
   * Null texts become empty.
   *
   * @param pid the process id
   * @param start when it started ({@code "ticks:<n>"} or {@code "ms:<epoch millis>"}); empty when not known
   * @param boot the machine's boot id; empty when not known
   */
  public ProcessIdentity {
    start = start == null ? "" : start;
    boot = boot == null ? "" : boot;
  }

  /** {@return this JVM's identity}, read once */
  public static ProcessIdentity current() {
    ProcessIdentity me = current;
    if (me == null) {
      long pid = ProcessHandle.current().pid();
      me = new ProcessIdentity(pid, startOf(pid).orElse(""), bootId());
      current = me;
    }
    return me;
  }

  /**
   * {@return the identity of the process that has {@code pid} now}, or empty when there is none (or only a zombie)
   *
   * @param pid a process id
   */
  public static Optional<ProcessIdentity> of(long pid) {
    return startOf(pid).map(s -> new ProcessIdentity(pid, s, bootId()));
  }

  /**
   * Whether the process this identity names is still running: same boot, a process with that PID
   * exists, is no zombie, and started when this one did. A process that cannot be inspected
   * counts as alive. Rationale: mistaking a live run for a dead one would revert faults under the
   * feet of a running playbook; the opposite mistake only delays recovery.
   *
   * @return whether the process still runs
   */
  public boolean isAlive() {
    if (!boot.isEmpty()) {
      String now = bootId();
      if (!now.isEmpty() && !now.equals(boot)) return false;
    }
    if (pid == ProcessHandle.current().pid()) return start.equals(current().start());
    Optional<String> now = startOf(pid);
    if (now.isEmpty()) return false;
    return start.isEmpty() || now.get().isEmpty() || now.get().equals(start);
  }

  /** {@code pid 4242}, as messages show it. */
  @Override
  public String toString() {
    return "pid " + pid;
  }

  /**
   * The start time of {@code pid}: {@code "ticks:<n>"} from {@code /proc}, else
   * {@code "ms:<epoch millis>"}; empty Optional when there is no such process or it is a zombie;
   * {@code ""} when the process exists but its start cannot be read.
   */
  static Optional<String> startOf(long pid) {
    if (Files.isDirectory(PROC.resolve("self"))) {
      String stat;
      try {
        stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
      } catch (NoSuchFileException gone) {
        return Optional.empty();
      } catch (IOException | RuntimeException unreadable) {
        // ESRCH while the process exits, or a /proc we may not read: fall back to the JDK's view.
        return viaProcessHandle(pid);
      }
      // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
      int close = stat.lastIndexOf(')');
      if (close < 0) return Optional.of("");
      String[] f = stat.substring(close + 1).strip().split("\\s+");
      // f[0] is field 3 (state), so field 22 (starttime) is f[19].
      if (f.length < 20) return Optional.of("");
      if (f[0].equals("Z") || f[0].equals("X") || f[0].equals("x")) return Optional.empty();
      return Optional.of("ticks:" + f[19]);
    }
    return viaProcessHandle(pid);
  }

  /**
   * The arguments of {@code pid} after its executable, read from {@code /proc/<pid>/cmdline}.
   * Rationale: the JDK's {@code ProcessHandle.Info.arguments()} gives nothing at all for a command
   * line over about 4 KB, which a JVM with a long class path has. Falls back to the JDK's view
   * where there is no {@code /proc}; empty when the process is gone or unreadable.
   *
   * @param pid a process id
   * @return its arguments, without the executable
   */
  public static java.util.List<String> arguments(long pid) {
    Path cmdline = PROC.resolve(Long.toString(pid)).resolve("cmdline");
    if (Files.isDirectory(PROC.resolve("self"))) {
      try {
        String all = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.Arrays.asList(all.split("\0")));
        return argv.isEmpty() ? argv : argv.subList(1, argv.size());
      } catch (IOException | RuntimeException gone) {
        return java.util.List.of();
      }
    }
    return ProcessHandle.of(pid).flatMap(h -> h.info().arguments()).map(java.util.List::of).orElse(java.util.List.of());
  }

  private static Optional<String> viaProcessHandle(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) return Optional.empty();
    return Optional.of(h.get().info().startInstant().map(i -> "ms:" + i.toEpochMilli()).orElse(""));
  }

  private static volatile String bootId;

  static String bootId() {
    String id = bootId;
    if (id == null) {
      try {
        id = Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
      } catch (IOException | RuntimeException e) {
        id = "";
      }
      bootId = id;
    }
    return id;
  }
}
