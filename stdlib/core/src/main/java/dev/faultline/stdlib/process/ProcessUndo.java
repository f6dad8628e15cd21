package dev.faultline.stdlib.process;

import dev.faultline.fault.FaultRecoverer.TargetChanged;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Signals and the reverts of process faults, from their undo records alone, so that the faults'
 * own revert and {@link ProcessRecoverer} run the same code.
 *
 * <p>Records: {@code kind}, {@code pid}, {@code start_time} (clock ticks since boot, field 22 of
 * {@code /proc/<pid>/stat}), {@code boot_id}, {@code command} (the command line, arguments joined by
 * spaces); a stop adds {@code was_stopped} (then its inject was refused and the revert does nothing); a kill adds {@code signal}, {@code restart} (a shell command, or empty), {@code cwd} (where
 * to run it) and {@code timeout_ms} (how long to wait for it). A PID whose start time differs is
 * another process: it is never signalled. Stateless.
 *
 * <p>Public for {@code signal} and {@code launch}, which services ({@code dev.faultline.stdlib.service})
 * use to start and end the components they manage.
 */
public final class ProcessUndo {
  /** Signals {@code kill()} accepts; STOP and CONT belong to {@code stop()}. */
  static final Set<String> SIGNALS = Set.of("KILL", "TERM", "INT", "HUP", "QUIT", "ABRT", "USR1", "USR2");
  /** How long a process may take to stop, resume or die after a signal. */
  static final Duration SIGNAL_WAIT = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 5;
  /** Rationale: each look for the restarted process reads every process's command line. */
  private static final long RESTART_POLL_MILLIS = 20;

  private ProcessUndo() {}

  // ------------------------------------------------------------ signals

  /**
   * Sends {@code signal} (KILL, STOP, CONT…) with procps {@code kill}. Rationale: Java can only send
   * TERM and KILL; {@code kill} is on every Linux machine. Returns false when there is no such process.
   */
  public static boolean signal(long pid, String signal) throws IOException {
    Process p = new ProcessBuilder(killBinary(), "-s", signal, Long.toString(pid))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(SIGNAL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("kill -s " + signal + " " + pid + " did not finish within " + SIGNAL_WAIT.toSeconds() + "s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while sending SIG" + signal + " to " + pid);
    }
    if (p.exitValue() == 0) return true;
    if (out.toLowerCase(Locale.ROOT).contains("no such process")) return false;
    throw new IOException("kill -s " + signal + " " + pid + " failed: " + (out.isEmpty() ? "exit status " + p.exitValue() : out));
  }

  private static String killBinary() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(dir, "kill");
      if (Files.isExecutable(p)) return p.toString();
    }
    return "kill";
  }

  // ------------------------------------------------------------ stop

  /** Reverts a {@code process.stop}: SIGCONT, unless the process is gone (nothing to do) or its PID was reused (refused). */
  static void revertStop(Map<String, Object> record, Consumer<String> note) throws IOException, TargetChanged {
    Identity id = Identity.from(record);
    if (Boolean.TRUE.equals(record.get("was_stopped"))) {
      // Stopped by someone else before the fault: the inject was refused, and resuming is not ours to do.
      note.accept(id.show() + " was already stopped before the fault; it is left stopped");
      return;
    }
    switch (id.status()) {
      case GONE -> note.accept(id.show() + " exited while it was stopped; there is nothing to resume");
      case REUSED -> throw reused(id, "resumed");
      case SAME -> {
        if (id.stat().map(ProcFs.Stat::isStopped).orElse(false)) {
          if (!signal(id.pid(), "CONT")) return;
          boolean resumed = waitUntil(() -> id.stat().map(s -> !s.isStopped()).orElse(true), SIGNAL_WAIT, false);
          if (!resumed) throw new IOException(id.show() + " is still stopped " + SIGNAL_WAIT.toSeconds() + "s after SIGCONT");
        }
      }
    }
  }

  static TargetChanged reused(Identity id, String verb) {
    long now = ProcFs.stat(id.pid()).map(ProcFs.Stat::startTicks).orElse(-1L);
    return new TargetChanged("PID " + id.pid() + " now belongs to another process (started at tick " + now
        + ", the faulted one at tick " + id.startTicks() + "); it was not " + verb);
  }

  // ------------------------------------------------------------ kill

  /**
   * Reverts a {@code process.kill}: runs the restart command, detached, and waits until a process
   * with the killed one's command line runs. Nothing is run when there is no restart command, when
   * the process survived the signal, or when its command line already runs again (restarted by an
   * earlier revert or by a supervisor). Returns the restart command's process, or empty.
   */
  static Optional<Process> revertKill(Map<String, Object> record, Consumer<String> note) throws IOException {
    Identity id = Identity.from(record);
    String restart = record.get("restart") == null ? "" : record.get("restart").toString();
    if (restart.isBlank()) {
      if (id.status() != Identity.Status.SAME) {
        note.accept(id.show() + " was killed and has no restart command: it stays down");
      }
      return Optional.empty();
    }
    if (id.status() == Identity.Status.SAME) return Optional.empty();
    if (!ProcFs.find(id.command()).isEmpty()) return Optional.empty();

    Duration timeout = Duration.ofMillis(record.get("timeout_ms") instanceof Number n ? n.longValue() : 10_000);
    Process started = launch(restart, record.get("cwd") == null ? null : record.get("cwd").toString());
    boolean up = waitUntil(() -> {
      if (!started.isAlive() && started.exitValue() != 0) return true;
      return !ProcFs.find(id.command()).isEmpty();
    }, timeout, false, RESTART_POLL_MILLIS);
    if (!started.isAlive() && started.exitValue() != 0 && ProcFs.find(id.command()).isEmpty()) {
      throw new IOException("the restart command '" + restart + "' exited with status " + started.exitValue());
    }
    if (!up) {
      throw new IOException("the restart command '" + restart + "' did not bring back a process running '"
          + id.command() + "' within " + timeout.toMillis() + "ms");
    }
    note.accept("restarted '" + id.command() + "' with '" + restart + "'");
    return Optional.of(started);
  }

  /**
   * Runs {@code sh -c command} in its own session ({@code setsid}, when installed), input and output
   * to /dev/null. Rationale: the restarted process must outlive this JVM (recover exits at once) and
   * must not share the terminal's process group, or the operator's next Ctrl-C would kill it.
   */
  public static Process launch(String command, String cwd) throws IOException {
    List<String> argv = new ArrayList<>();
    String setsid = onPath("setsid");
    if (setsid != null) argv.add(setsid);
    argv.addAll(List.of("sh", "-c", command));
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    if (cwd != null && Files.isDirectory(Path.of(cwd))) pb.directory(new File(cwd));
    return pb.start();
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) return p.toString();
    }
    return null;
  }

  // ------------------------------------------------------------ waiting

  /**
   * Polls {@code condition} until it holds or {@code limit} passes. When {@code interruptible} is
   * false an interrupt does not end the wait (it is kept for the caller). Rationale: a revert must
   * finish even while the run is being interrupted; an inject may stop at once.
   */
  static boolean waitUntil(BooleanSupplier condition, Duration limit, boolean interruptible) {
    return waitUntil(condition, limit, interruptible, POLL_MILLIS);
  }

  private static boolean waitUntil(BooleanSupplier condition, Duration limit, boolean interruptible, long pollMillis) {
    long end = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        if (condition.getAsBoolean()) return true;
        if (System.nanoTime() - end > 0) return false;
        try {
          Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
          if (interruptible) {
            Thread.currentThread().interrupt();
            throw new dev.faultline.host.Interrupted("interrupted");
          }
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
