package dev.faultline.stdlib.docker;

import dev.faultline.fault.FaultRecoverer;
import java.util.Map;
import java.util.Set;

/**
 * Reverts container faults from their journal records in a process that did not inject them
 * ({@code faultline recover}, the watchdog): a paused container is unpaused, a stopped or killed one
 * started. The same code as the faults' own revert ({@link ContainerUndo}). Idempotent. A container
 * that no longer exists under the recorded id (removed, recreated) is left alone with
 * {@link TargetChanged}. Opens its own connection to the engine for each revert.
 */
public final class ContainerRecoverer implements FaultRecoverer {
  static final Set<String> KINDS = Set.of("docker.pause", "docker.stop", "docker.kill");

  @Override
  public Set<String> kinds() {
    return KINDS;
  }

  @Override
  public void revert(String kind, Map<String, Object> undo) throws Exception {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("not a container fault: " + kind);
    if (!kind.equals(undo.get("kind"))) {
      throw new IllegalArgumentException("the undo record is for " + undo.get("kind") + ", not " + kind);
    }
    try (Engine engine = new Engine()) {
      ContainerUndo.revert(engine, undo, note -> { });
    }
  }
}
