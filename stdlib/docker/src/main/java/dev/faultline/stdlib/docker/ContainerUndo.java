package dev.faultline.stdlib.docker;

import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.HostError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The reverts of container faults, from their undo records alone, so that the faults' own revert
 * and {@link ContainerRecoverer} run the same code.
 *
 * <p>Records: {@code version}, {@code kind} ({@code docker.pause}, {@code docker.stop},
 * {@code docker.kill}), {@code containers} (a list of {@code {id, name}}: the full container id and
 * its name at injection), {@code timeout_ms} (how long a revert waits for a container to run again);
 * a selection from a group adds {@code group}, {@code of} and {@code seed}; a kill adds
 * {@code signal}. A container is known by its id: one recreated under the same name is another
 * container and is never touched. Stateless.
 */
final class ContainerUndo {
  private static final long POLL_MILLIS = 50;

  private ContainerUndo() {}

  /** The containers of a record: id and name. */
  record Member(String id, String name) {
    String show() {
      return "container " + name + " (" + shortId(id) + ")";
    }
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  @SuppressWarnings("unchecked")
  static List<Member> members(Map<String, Object> record) {
    Object list = record.get("containers");
    if (!(list instanceof List<?> l)) throw new IllegalArgumentException("not a container fault's undo record (no containers): " + record.keySet());
    List<Member> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("id") instanceof String id)) {
        throw new IllegalArgumentException("a container in the undo record has no id: " + o);
      }
      out.add(new Member(id, String.valueOf(((Map<String, Object>) m).getOrDefault("name", id))));
    }
    return out;
  }

  /**
   * Undoes the fault for every container of the record: unpauses a paused one (pause), starts one
   * that does not run (stop, kill) and waits until it runs. Every container is tried; a container
   * that no longer exists (removed, or recreated under a new id) is left alone and reported with
   * {@link TargetChanged} once the others are done.
   */
  static void revert(Engine engine, Map<String, Object> record, Consumer<String> note) throws TargetChanged {
    String kind = String.valueOf(record.get("kind"));
    Duration timeout = Duration.ofMillis(record.get("timeout_ms") instanceof Number n ? n.longValue() : 30_000);
    List<String> gone = new ArrayList<>();
    RuntimeException failed = null;
    for (Member m : members(record)) {
      try {
        Optional<Engine.Seen> now = engine.find(m.id());
        if (now.isEmpty()) {
          gone.add(m.show());
          continue;
        }
        if (kind.equals("docker.pause")) resume(engine, m, now.get(), note);
        else startAgain(engine, m, now.get(), timeout, note);
      } catch (RuntimeException e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    if (failed != null) throw failed;
    if (!gone.isEmpty()) {
      throw new TargetChanged(String.join(", ", gone) + (gone.size() == 1 ? " no longer exists" : " no longer exist")
          + " (removed, or recreated under a new id); nothing was done to " + (gone.size() == 1 ? "it" : "them"));
    }
  }

  private static void resume(Engine engine, Member m, Engine.Seen now, Consumer<String> note) {
    if (!now.isPaused()) return; // unpaused already (by an earlier revert, or by hand)
    engine.unpause(m.id());
    if (!waitUntil(() -> engine.find(m.id()).map(s -> !s.isPaused()).orElse(true), Duration.ofSeconds(10))) {
      throw new HostError(m.show() + " is still paused 10s after unpause");
    }
    note.accept("unpaused " + m.show());
  }

  private static void startAgain(Engine engine, Member m, Engine.Seen now, Duration timeout, Consumer<String> note) {
    if (now.isRunning() || now.isPaused() || now.state().equals("restarting")) {
      // Brought back already: by an earlier revert, its restart policy, or a person.
      return;
    }
    engine.start(m.id());
    if (!waitUntil(() -> engine.find(m.id()).map(Engine.Seen::isRunning).orElse(false), timeout)) {
      String state = engine.find(m.id()).map(Engine.Seen::state).orElse("gone");
      throw new HostError(m.show() + " is not running " + timeout.toMillis() + "ms after it was started (state: " + state + ")");
    }
    note.accept("started " + m.show() + " again");
  }

  /**
   * Polls until {@code condition} holds or {@code limit} passes. An interrupt does not end the wait
   * (it is kept for the caller). Rationale: a revert must finish even while the run is being
   * interrupted; the lifecycle bounds it with its revert timeout.
   */
  static boolean waitUntil(BooleanSupplier condition, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        if (condition.getAsBoolean()) return true;
        if (System.nanoTime() - end > 0) return false;
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
