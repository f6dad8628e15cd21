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
  /** {@return what this fault does, for output and reports}: "latency 500ms on link db" */
  String describe();

  /** {@return what it acts on}: a link, a file, a process; empty by default */
  default String target() {
    return "";
  }

  /**
   * {@return a short kind for metrics, reports and the journal}: "latency", "file.replace"; the
   * {@link FaultRecoverer} for this kind undoes it after a crash. The class's simple name by default.
   */
  default String kind() {
    return getClass().getSimpleName();
  }

  /** {@return what a dry run prints instead of injecting}; {@link #describe()} by default */
  default String plan() {
    return describe();
  }

  /**
   * Puts the fault in place. Called once by the lifecycle, after the journal holds the fault's
   * record, on the evaluating thread; it may be called again on a retry, so it must be idempotent.
   *
   * @param context the run's context: blast radius, permissions, interruptible sleeps
   * @throws Exception when the fault could not be put in place; the lifecycle then reverts it
   *     anyway (it may be half-way in) and fails the step
   */
  void inject(CallContext context) throws Exception;

  /**
   * Takes the fault away. Called once when its scope ends (or at a guard breach, an abort, a
   * signal), possibly on another thread than {@link #inject}, and retried on failure; it must be
   * idempotent and work after a half-done {@code inject}. Bounded by {@code --revert-timeout}.
   *
   * @param context the run's context
   * @throws Exception when the fault could not be taken away; it is then reported as possibly
   *     still in place (exit code 4) and kept in the journal for {@code faultline recover}
   */
  void revert(CallContext context) throws Exception;

  /**
   * What the fault journal must keep to undo this fault from another process after a crash: plain
   * JSON-friendly values (strings, numbers, booleans, lists, maps), e.g. a file's path and original
   * content, a process's PID and start time. Read by the {@link FaultRecoverer} registered for
   * {@link #kind()}. Written to disk before {@link #inject} runs.
   * Empty means the fault cannot be undone from outside this process (a fault on an in-process
   * object such as a demo service): {@code recover} then reports it as needing no action once the
   * process that held it is gone.
   *
   * @return the record, empty by default
   */
  default java.util.Map<String, Object> undoRecord() {
    return java.util.Map.of();
  }
}
