package dev.faultline.stdlib.process;

import dev.faultline.fault.FaultRecoverer;
import java.util.Map;
import java.util.Set;

/**
 * Reverts process faults from their journal records in a process that did not inject them
 * ({@code faultline recover}, the watchdog): SIGCONT for a stop, the restart command for a kill. The
 * same code as the faults' own revert ({@link ProcessUndo}). Idempotent. A stopped process whose PID
 * now belongs to another process (start time differs) is left alone with {@link TargetChanged}.
 * Stateless.
 */
public final class ProcessRecoverer implements FaultRecoverer {
  private static final Set<String> KINDS = Set.of("process.stop", "process.kill");

  @Override
  public Set<String> kinds() {
    return KINDS;
  }

  @Override
  public void revert(String kind, Map<String, Object> undo) throws Exception {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("not a process fault: " + kind);
    if (!kind.equals(undo.get("kind"))) {
      throw new IllegalArgumentException("the undo record is for " + undo.get("kind") + ", not " + kind);
    }
    if (kind.equals("process.stop")) ProcessUndo.revertStop(undo, note -> { });
    else ProcessUndo.revertKill(undo, note -> { });
  }
}
