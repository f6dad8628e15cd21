package dev.faultline.stdlib.process;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.Values;
import dev.faultline.value.HostValue;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A local process, as playbooks hold it. Named three ways:
 * <ul>
 *   <li>by PID ({@code process(1234)}): the process running as 1234 when it is first looked at; a later
 *       process that reuses the PID is not it;</li>
 *   <li>by command line ({@code process(command: "sleep 60")}): whichever process runs exactly that
 *       command line when it is looked at, so it follows restarts; a fault pins the one it acted on;</li>
 *   <li>by {@code spawn()}: the process it started, and the one a {@code kill(restart: …)} brought back.</li>
 * </ul>
 * Naming touches nothing; readers look at {@code /proc} each time. Thread-safe.
 */
@HostType(name = "process", doc = "A local process named by process(pid), process(command: …) or spawn(): read its state, stop it, kill it.")
public final class ProcessTarget implements HostValue {
  private final Long pid;
  private final String command;
  private final Spawned spawned;
  /** By PID: the process seen at the first look, or null until one was seen. */
  private volatile Identity pinned;

  private ProcessTarget(Long pid, String command, Spawned spawned) {
    this.pid = pid;
    this.command = command;
    this.spawned = spawned;
  }

  static ProcessTarget byPid(long pid) {
    return new ProcessTarget(pid, null, null);
  }

  static ProcessTarget byCommand(String command) {
    return new ProcessTarget(null, command, null);
  }

  static ProcessTarget spawned(Spawned spawned) {
    return new ProcessTarget(null, null, spawned);
  }

  Spawned spawned() {
    return spawned;
  }

  /** How messages name it before it is looked up. */
  String describeName() {
    if (spawned != null) return spawned.identity().show();
    if (pid != null) return "process " + pid;
    return "the process running '" + command + "'";
  }

  /** The process this value names now, or empty when there is none. */
  private Optional<Identity> current() {
    ProcFs.requireProc();
    if (spawned != null) return Optional.of(spawned.identity());
    if (pid != null) {
      Identity p = pinned;
      if (p == null) {
        p = Identity.of(pid).orElse(null);
        if (p != null) pinned = p;
      }
      return Optional.ofNullable(p);
    }
    List<Long> found = ProcFs.find(command);
    if (found.isEmpty()) return Optional.empty();
    if (found.size() > 1) {
      throw new HostError(found.size() + " processes run '" + command + "': PIDs " + found,
          "name one of them with process(pid), or make the command line unique");
    }
    return Identity.of(found.get(0));
  }

  /** The process a fault acts on; a HostError when there is none. */
  Identity identityForFault(String verb) {
    Identity id = current().orElseThrow(() -> new HostError("cannot " + verb + " " + describeName() + ": no such process"));
    if (id.status() != Identity.Status.SAME) throw new HostError("cannot " + verb + " " + id.show() + ": it has exited");
    return id;
  }

  // ------------------------------------------------------------ readers

  @HostFunction(name = "pid", effect = Effect.PROBE, doc = "The process ID; for a process named by command line, that of"
      + " the one process running it now.")
  public long pid() {
    if (pid != null && spawned == null) return pid;
    return current().map(Identity::pid).orElseThrow(() -> new HostError("pid: no process runs '" + command + "'"));
  }

  @HostFunction(name = "command", effect = Effect.PROBE, doc = "The command line, arguments joined by spaces: \"sleep 60\".")
  public String command() {
    if (command != null) return command;
    return current().map(Identity::command).orElse("");
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "Whether the process exists and runs: false when it has"
      + " exited, is stopped (SIGSTOP) or is a zombie, or when its PID now belongs to another process.")
  public boolean running() {
    ProcFs.requireProc();
    if (command != null) {
      return ProcFs.find(command).stream().anyMatch(p -> ProcFs.stat(p).map(s -> !s.isStopped() && !s.isDead()).orElse(false));
    }
    return current().flatMap(Identity::stat).map(s -> !s.isStopped() && !s.isDead()).orElse(false);
  }

  @HostFunction(name = "state", effect = Effect.PROBE, doc = "What the process is doing: \"running\", \"sleeping\","
      + " \"stopped\", \"zombie\", … or \"gone\".")
  public String state() {
    Optional<Identity> id = current();
    return id.flatMap(Identity::stat).map(s -> ProcFs.stateWord(s.state())).orElse("gone");
  }

  // ------------------------------------------------------------ injectors

  @Injector(name = "stop", requires = Capability.EXEC, doc = "Freezes the process with SIGSTOP; reverted with SIGCONT."
      + " A process that is already stopped is refused, since the revert would resume it.")
  public Fault stop() {
    return new ProcessFault(this, ProcessFault.Op.STOP, "STOP", "", Duration.ZERO);
  }

  @Injector(name = "kill", requires = Capability.EXEC, doc = "Sends `signal` (KILL by default) and, for KILL, waits until the"
      + " process is gone. The revert runs `restart` (a shell command, detached) and waits until a process with the"
      + " killed one's command line runs again; without `restart` the revert does nothing.")
  public Fault kill(
      @Arg(name = "signal", doc = "KILL, TERM, INT, HUP, QUIT, ABRT, USR1 or USR2 (with or without SIG)", byDefault = "\"KILL\"") String signal,
      @Arg(name = "restart", doc = "a shell command that brings the process back, run in the working directory;"
          + " empty for none", byDefault = "\"\"") String restart,
      @Arg(name = "timeout", doc = "how long the revert waits for the restarted process", byDefault = "10s") Duration timeout) {
    String s = signal.strip().toUpperCase(Locale.ROOT);
    if (s.startsWith("SIG")) s = s.substring(3);
    if (!ProcessUndo.SIGNALS.contains(s)) {
      throw new HostError("kill() cannot send " + Values.showNested(signal),
          s.equals("STOP") || s.equals("CONT") ? "use stop(), which is reverted with SIGCONT" : "signals are KILL, TERM, INT, HUP, QUIT, ABRT, USR1 and USR2");
    }
    if (timeout.isNegative() || timeout.isZero()) throw new HostError("kill() needs a positive 'timeout', got " + Values.show(timeout));
    return new ProcessFault(this, ProcessFault.Op.KILL, s, restart, timeout);
  }

  @Override
  public String show() {
    if (command != null) return "process running '" + command + "'";
    return current().map(Identity::show).orElse(describeName() + " (gone)");
  }
}
