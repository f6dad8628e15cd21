package dev.faultline.stdlib.process;

import java.util.Map;
import java.util.Optional;

/**
 * One process, told apart from any later process that reuses its PID: the PID, its start time in
 * clock ticks since boot ({@code /proc/<pid>/stat} field 22), the boot it belongs to, and its
 * command line at the time it was looked at. Immutable.
 */
record Identity(long pid, long startTicks, String bootId, String command) {

  enum Status {
    /** The process is still there (it may be stopped). */
    SAME,
    /** It has exited (or is a zombie), or the machine has rebooted since. */
    GONE,
    /** Its PID now belongs to another process. */
    REUSED
  }

  /** The process now running as {@code pid}, or empty when there is none. */
  static Optional<Identity> of(long pid) {
    Optional<ProcFs.Stat> stat = ProcFs.stat(pid);
    if (stat.isEmpty() || stat.get().isDead()) return Optional.empty();
    String command = ProcFs.commandLine(pid);
    return Optional.of(new Identity(pid, stat.get().startTicks(), ProcFs.bootId(), command == null ? "" : command));
  }

  Status status() {
    if (!bootId.isEmpty() && !bootId.equals(ProcFs.bootId())) return Status.GONE;
    Optional<ProcFs.Stat> stat = ProcFs.stat(pid);
    if (stat.isEmpty()) return Status.GONE;
    if (stat.get().startTicks() != startTicks) return Status.REUSED;
    return stat.get().isDead() ? Status.GONE : Status.SAME;
  }

  /** The current state letter when this process is still there, else empty. */
  Optional<ProcFs.Stat> stat() {
    Optional<ProcFs.Stat> stat = ProcFs.stat(pid);
    return stat.filter(s -> s.startTicks() == startTicks && (bootId.isEmpty() || bootId.equals(ProcFs.bootId())));
  }

  void into(Map<String, Object> record) {
    record.put("pid", pid);
    record.put("start_time", startTicks);
    record.put("boot_id", bootId);
    record.put("command", command);
  }

  static Identity from(Map<String, Object> record) {
    Object pid = record.get("pid");
    Object start = record.get("start_time");
    if (!(pid instanceof Number) || !(start instanceof Number)) {
      throw new IllegalArgumentException("not a process fault's undo record (it needs pid and start_time): " + record.keySet());
    }
    Object boot = record.get("boot_id");
    Object command = record.get("command");
    return new Identity(((Number) pid).longValue(), ((Number) start).longValue(),
        boot == null ? "" : boot.toString(), command == null ? "" : command.toString());
  }

  /** {@code process 1234 (sleep 60)}. */
  String show() {
    return "process " + pid + (command.isEmpty() ? "" : " (" + command + ")");
  }
}
