package dev.faultline.stdlib.redis;

import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Redis server or Sentinel frozen with SIGSTOP, resumed with SIGCONT. The process is looked up
 * once, on the first of {@link #undoRecord} or {@link #inject}, and from then on the fault acts on
 * that process only (its PID and start time), never on a later one that reuses the PID. The same
 * resume runs in {@link RedisRecoverer}. Thread-safe.
 */
final class InstancePause implements Fault {
  static final String KIND = "redis.pause";

  private final RedisNode node;
  private Map<String, Object> record;
  private volatile boolean signalled;

  InstancePause(RedisNode node) {
    this.node = node;
  }

  private synchronized Map<String, Object> record() {
    if (record == null) {
      LocalInstance i = node.instance();
      long pid = i.pid().orElseThrow(() -> new HostError(target() + " is not running; nothing was paused"));
      if (ProcStat.isStopped(pid)) {
        throw new HostError(target() + " is already paused", "resume it first (kill -CONT " + pid + ") if that was not meant");
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("version", 1);
      r.put("kind", KIND);
      r.put("name", i.name);
      r.put("address", i.address());
      r.put("pid", pid);
      r.put("start_time", ProcStat.startTicks(pid).orElse(-1L));
      r.put("boot_id", ProcStat.bootId());
      record = Collections.unmodifiableMap(r);
    }
    return record;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String target() {
    return node.name() + " (" + node.address() + ")";
  }

  @Override
  public String describe() {
    return "pause " + node.kind() + " " + target() + " with SIGSTOP";
  }

  @Override
  public String plan() {
    return describe() + "; resumed with SIGCONT when the scope ends";
  }

  @Override
  public Map<String, Object> undoRecord() {
    return record();
  }

  @Override
  public void inject(CallContext context) throws Exception {
    Map<String, Object> r = record();
    long pid = ((Number) r.get("pid")).longValue();
    if (signalled) return;
    if (!sameProcess(r)) throw new HostError(target() + " has exited; nothing was paused");
    signalled = true;
    if (!ProcStat.signal(pid, "STOP")) throw new HostError(target() + " has exited; nothing was paused");
    long end = System.nanoTime() + 5_000_000_000L;
    while (!ProcStat.isStopped(pid)) {
      if (System.nanoTime() > end) throw new HostError(target() + " did not stop within 5s of SIGSTOP");
      context.sleep(java.time.Duration.ofMillis(5));
    }
  }

  @Override
  public void revert(CallContext context) throws Exception {
    Map<String, Object> r;
    synchronized (this) {
      r = record;
    }
    if (r == null || !signalled) return;
    try {
      resume(r);
    } catch (TargetChanged changed) {
      throw new HostError(changed.getMessage(), "check PID " + r.get("pid") + " by hand", changed);
    }
  }

  static boolean sameProcess(Map<String, Object> r) {
    long pid = ((Number) r.get("pid")).longValue();
    long start = ((Number) r.get("start_time")).longValue();
    String boot = String.valueOf(r.getOrDefault("boot_id", ""));
    if (!boot.isEmpty() && !boot.equals(ProcStat.bootId())) return false;
    return ProcStat.isAlive(pid) && ProcStat.startTicks(pid).map(t -> t == start).orElse(false);
  }

  /** SIGCONT when the paused process is still there; nothing when it has gone; TargetChanged when its PID is another process's. */
  static void resume(Map<String, Object> r) throws IOException, TargetChanged {
    long pid = ((Number) r.get("pid")).longValue();
    if (!sameProcess(r)) {
      if (ProcStat.isAlive(pid) && String.valueOf(r.getOrDefault("boot_id", "")).equals(ProcStat.bootId())) {
        throw new TargetChanged("PID " + pid + " now belongs to another process than the paused " + r.get("name") + "; it was not resumed");
      }
      return; // gone: nothing to resume
    }
    if (!ProcStat.isStopped(pid)) return;
    ProcStat.signal(pid, "CONT");
    long end = System.nanoTime() + 5_000_000_000L;
    while (ProcStat.isStopped(pid)) {
      if (System.nanoTime() > end) throw new IOException(r.get("name") + " (PID " + pid + ") is still stopped 5s after SIGCONT");
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while resuming PID " + pid);
      }
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
