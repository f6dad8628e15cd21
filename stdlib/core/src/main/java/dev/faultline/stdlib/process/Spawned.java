package dev.faultline.stdlib.process;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A process started by {@code spawn()}, owned by the scope that started it: {@link #close} (run
 * when that scope ends, after its faults are reverted) ends it with SIGTERM, then SIGKILL. When a
 * {@code kill(restart: …)} fault brings it back, the restarted process is adopted, so that it too
 * ends with the scope. Thread-safe.
 *
 * <p>Not guaranteed: if the interpreter itself is killed with SIGKILL, spawned processes keep running.
 */
final class Spawned implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(2);

  private volatile Identity identity;

  Spawned(Identity identity) {
    this.identity = identity;
  }

  Identity identity() {
    return identity;
  }

  /**
   * Takes over the restarted process: the restart command's own process or one of its descendants
   * that runs {@code command}. Processes that are not descendants are never adopted.
   */
  void adopt(Process restart, String command) {
    ProcessHandle root = restart.toHandle();
    Optional<Long> pid = Stream.concat(Stream.of(root), root.descendants())
        .filter(p -> ProcFs.runs(p, command))
        .map(ProcessHandle::pid)
        .findFirst();
    pid.flatMap(Identity::of).ifPresent(id -> identity = id);
  }

  @Override
  public void close() throws IOException {
    Identity id = identity;
    if (id.status() != Identity.Status.SAME) return;
    ProcessUndo.signal(id.pid(), "TERM");
    // A stopped process only acts on SIGTERM once it runs again.
    ProcessUndo.signal(id.pid(), "CONT");
    if (ProcessUndo.waitUntil(() -> id.status() != Identity.Status.SAME, GRACE, false)) return;
    ProcessUndo.signal(id.pid(), "KILL");
    if (!ProcessUndo.waitUntil(() -> id.status() != Identity.Status.SAME, GRACE, false)) {
      throw new IOException(id.show() + " did not end after SIGKILL");
    }
  }
}
