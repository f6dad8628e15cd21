package dev.faultline.stdlib.fs;

import dev.faultline.fault.FaultRecoverer;
import java.util.Map;
import java.util.Set;

/**
 * Reverts file faults from their journal records in a process that did not inject them
 * ({@code faultline recover}, the watchdog). The same code as the faults' own revert: see
 * {@link FileUndo#restore}. Idempotent; a file changed by someone else since the fault throws
 * {@link FaultRecoverer.TargetChanged} and is left alone. Stateless.
 */
public final class FileRecoverer implements FaultRecoverer {
  private static final Set<String> KINDS = Set.of("file.replace", "file.append", "file.corrupt", "file.delete", "file.chmod");

  @Override
  public Set<String> kinds() {
    return KINDS;
  }

  @Override
  public void revert(String kind, Map<String, Object> undo) throws Exception {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("not a file fault: " + kind);
    if (!kind.equals(undo.get("kind"))) {
      throw new IllegalArgumentException("the undo record is for " + undo.get("kind") + ", not " + kind);
    }
    FileUndo.restore(undo);
  }
}
