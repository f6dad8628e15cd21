package dev.faultline.fault;

import java.util.Map;
import java.util.Set;

/**
 * Undoes faults from their journal records, in a process that did not inject them: {@code faultline
 * recover} and the watchdog. Libraries register one per area in
 * {@code META-INF/services/dev.faultline.fault.FaultRecoverer}.
 *
 * <p>Contract: {@link #revert} must be idempotent and must recognise a target that is no longer the
 * one the record describes (a reused PID, a recreated container): it then leaves it alone and says so
 * by throwing {@link TargetChanged}.
 */
public interface FaultRecoverer {
  /** The {@link Fault#kind()}s this recoverer understands. */
  Set<String> kinds();

  /** Undoes one fault from its {@link Fault#undoRecord()}. */
  void revert(String kind, Map<String, Object> undo) throws Exception;

  /**
   * Nothing in this process can undo the fault (a JavaScript hook without a {@code recover}
   * function): a person must. Recovery reports it as needing a manual revert and keeps the record.
   */
  final class ManualRevertNeeded extends Exception {
    private static final long serialVersionUID = 1L;

    public ManualRevertNeeded(String message) {
      super(message);
    }
  }

  /** The target changed since the fault was injected: nothing was done to it. */
  final class TargetChanged extends Exception {
    private static final long serialVersionUID = 1L;

    public TargetChanged(String message) {
      super(message);
    }
  }
}
