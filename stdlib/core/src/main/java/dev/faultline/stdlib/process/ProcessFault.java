package dev.faultline.stdlib.process;

import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A stop (SIGSTOP, reverted with SIGCONT) or a kill (a signal, reverted by running a restart
 * command) of one local process. Built by a {@link ProcessTarget} injector without touching
 * anything; the process is looked up once, on the first of {@link #undoRecord()} or {@link #inject},
 * and from then on the fault acts on that process only (PID and start time), never on a later
 * process that reuses the PID. Thread-safe.
 */
final class ProcessFault implements Fault {
  enum Op {
    STOP("process.stop"), KILL("process.kill");

    final String kind;

    Op(String kind) {
      this.kind = kind;
    }
  }

  private final ProcessTarget target;
  private final Op op;
  private final String signal;
  private final String restart;
  private final Duration timeout;
  private Map<String, Object> record;
  /** Set just before the signal goes out: from then on the fault may be in place. */
  private volatile boolean signalled;

  ProcessFault(ProcessTarget target, Op op, String signal, String restart, Duration timeout) {
    this.target = target;
    this.op = op;
    this.signal = signal;
    this.restart = restart;
    this.timeout = timeout;
  }

  private synchronized Map<String, Object> record() {
    if (record == null) {
      Identity id = target.identityForFault(op == Op.STOP ? "stop" : "kill");
      if (op == Op.KILL && !restart.isBlank() && id.command().isEmpty()) {
        throw new HostError(id.show() + " has no command line, so its restart could not be recognised",
            "restart it with a service instead");
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("version", 1);
      r.put("kind", op.kind);
      id.into(r);
      if (op == Op.STOP) r.put("was_stopped", id.stat().map(ProcFs.Stat::isStopped).orElse(false));
      if (op == Op.KILL) {
        r.put("signal", signal);
        r.put("restart", restart);
        r.put("cwd", System.getProperty("user.dir"));
        r.put("timeout_ms", timeout.toMillis());
      }
      record = Collections.unmodifiableMap(r);
    }
    return record;
  }

  private synchronized Map<String, Object> recordIfTaken() {
    return record;
  }

  @Override
  public String kind() {
    return op.kind;
  }

  @Override
  public String target() {
    Map<String, Object> r = recordIfTaken();
    return r == null ? target.describeName() : Identity.from(r).show();
  }

  @Override
  public String describe() {
    return switch (op) {
      case STOP -> "stop " + target() + " with SIGSTOP";
      case KILL -> "kill " + target() + " with SIG" + signal
          + (restart.isBlank() ? " (no restart command)" : "; restart it with '" + restart + "'");
    };
  }

  @Override
  public String plan() {
    return describe() + (op == Op.STOP ? "; resumed with SIGCONT when the scope ends" : restart.isBlank() ? "" : " when the scope ends");
  }

  @Override
  public Map<String, Object> undoRecord() {
    return record();
  }

  @Override
  public void inject(CallContext context) throws Exception {
    Identity id = Identity.from(record());
    if (op == Op.STOP) stop(id);
    else kill(id, context);
  }

  private void stop(Identity id) throws IOException {
    Optional<ProcFs.Stat> now = id.stat();
    if (signalled && now.map(ProcFs.Stat::isStopped).orElse(false)) return;
    requireSame(id, "stopped");
    if (now.map(ProcFs.Stat::isStopped).orElse(false)) {
      // Rationale: reverting would resume a process that someone else stopped on purpose.
      throw new HostError(id.show() + " is already stopped", "resume it first (kill -CONT " + id.pid() + ") if that was not meant");
    }
    signalled = true;
    if (!ProcessUndo.signal(id.pid(), "STOP")) throw new HostError(id.show() + " has exited; nothing was stopped");
    boolean stopped = ProcessUndo.waitUntil(() -> id.stat().map(ProcFs.Stat::isStopped).orElse(true), ProcessUndo.SIGNAL_WAIT, true);
    if (!stopped) throw new HostError(id.show() + " did not stop within " + ProcessUndo.SIGNAL_WAIT.toSeconds() + "s of SIGSTOP");
  }

  private void kill(Identity id, CallContext context) throws IOException {
    if (signalled) return;
    requireSame(id, "killed");
    signalled = true;
    if (!ProcessUndo.signal(id.pid(), signal)) throw new HostError(id.show() + " has exited; nothing was killed");
    Duration wait = signal.equals("KILL") ? ProcessUndo.SIGNAL_WAIT : Duration.ofSeconds(1);
    boolean gone = ProcessUndo.waitUntil(() -> id.status() != Identity.Status.SAME, wait, true);
    if (!gone) {
      if (signal.equals("KILL")) throw new HostError(id.show() + " is still there " + wait.toSeconds() + "s after SIGKILL");
      context.log(id.show() + " is still running 1s after SIG" + signal);
    }
  }

  private static void requireSame(Identity id, String verb) {
    switch (id.status()) {
      case GONE -> throw new HostError(id.show() + " has exited; nothing was " + verb);
      case REUSED -> throw new HostError("PID " + id.pid() + " now belongs to another process; nothing was " + verb);
      default -> { }
    }
  }

  @Override
  public void revert(CallContext context) throws Exception {
    Map<String, Object> r = recordIfTaken();
    if (r == null) return; // never looked up, so never touched
    if (!signalled) return; // refused before any signal: the process is as it was
    if (op == Op.STOP) {
      try {
        ProcessUndo.revertStop(r, context::log);
      } catch (TargetChanged changed) {
        throw new HostError(changed.getMessage(), "the stopped process is gone; check PID " + r.get("pid") + " by hand", changed);
      }
      return;
    }
    Optional<Process> restarted = ProcessUndo.revertKill(r, context::log);
    if (restarted.isPresent() && target.spawned() != null) target.spawned().adopt(restarted.get(), Identity.from(r).command());
  }

  @Override
  public String toString() {
    return describe();
  }
}
