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
  /** {@return the {@link Fault#kind()}s this recoverer understands} */
  Set<String> kinds();

  /**
   * Undoes one fault from its {@link Fault#undoRecord()}, in a process that did not inject it.
   * Called from one thread at a time per journal; may be called again for the same record.
   *
   * @param kind the fault's kind, one of {@link #kinds()}
   * @param undo the record the fault wrote before it was injected, read back from JSON (numbers
   *     as Long or Double, lists, maps, strings)
   * @throws TargetChanged when the target is no longer the one recorded; nothing was done
   * @throws ManualRevertNeeded when nothing here can undo it; a person must
   * @throws Exception when the revert failed; the record is kept and reported as failed
   */
  void revert(String kind, Map<String, Object> undo) throws Exception;

  /**
   * Nothing in this process can undo the fault (a JavaScript hook without a {@code recover}
   * function): a person must. Recovery reports it as needing a manual revert and keeps the record.
   */
  final class ManualRevertNeeded extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A fault only a person can undo.
     *
     * @param message what is left and how to undo it by hand
     */
    public ManualRevertNeeded(String message) {
      super(message);
    }
  }

  /** The target changed since the fault was injected: nothing was done to it. */
  final class TargetChanged extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A target that changed: left alone.
     *
     * @param message what changed ({@code "PID 4242 now belongs to another process"})
     */
    public TargetChanged(String message) {
      super(message);
    }
  }
}
