package dev.faultline.fault;

import dev.faultline.host.CallContext;

/**
 * Something injected that must be undone. An injector method returns one without touching
 * anything; the lifecycle then injects it, registers it on the rollback stack of the enclosing
 * scope and reverts it, LIFO, when that scope ends, fails or aborts.
 *
 * <p>Contract: {@link #inject} and {@link #revert} must both be safe to run twice, and
 * {@link #revert} must work on a fault whose {@code inject} failed half-way.
 */
public interface Fault {
  /** What this fault does, for output and reports: "latency 500ms on link db". */
  String describe();

  /** What it acts on: a link, a file, a process. */
  default String target() {
    return "";
  }

  /** A short kind for metrics and reports: "latency", "file.replace". */
  default String kind() {
    return getClass().getSimpleName();
  }

  /** What a dry run prints instead of injecting. */
  default String plan() {
    return describe();
  }

  void inject(CallContext context) throws Exception;

  void revert(CallContext context) throws Exception;

  /**
   * What the fault journal must keep to undo this fault from another process after a crash: plain
   * JSON-friendly values (strings, numbers, booleans, lists, maps), e.g. a file's path and original
   * content, a process's PID and start time. Read by the {@link FaultRecoverer} registered for
   * {@link #kind()}. Written to disk before {@link #inject} runs.
   * Empty means the fault cannot be undone from outside this process (a fault on an in-process
   * object such as a demo service): {@code recover} then reports it as needing no action once the
   * process that held it is gone.
   */
  default java.util.Map<String, Object> undoRecord() {
    return java.util.Map.of();
  }
}
