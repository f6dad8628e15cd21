package dev.faultline.stdlib.stress;

import dev.faultline.fault.FaultRecoverer;
import java.util.Map;
import java.util.Set;

/**
 * Reverts stress faults from their journal records in a process that did not inject them
 * ({@code faultline recover}, the watchdog): ends the workers that carry the fault's tag and removes
 * a disk fill. The same code as the faults' own revert ({@link StressUndo}). Idempotent. Workers
 * also end by themselves at their bound, or when the interpreter that started them is gone (the
 * built-in worker). Stateless.
 */
public final class StressRecoverer implements FaultRecoverer {
  static final Set<String> KINDS = Set.of("stress.cpu", "stress.memory", "stress.disk");

  @Override
  public Set<String> kinds() {
    return KINDS;
  }

  @Override
  public void revert(String kind, Map<String, Object> undo) throws Exception {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("not a stress fault: " + kind);
    if (!kind.equals(undo.get("kind"))) {
      throw new IllegalArgumentException("the undo record is for " + undo.get("kind") + ", not " + kind);
    }
    StressUndo.revert(undo, note -> { });
  }
}
