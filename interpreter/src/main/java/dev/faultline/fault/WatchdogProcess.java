package dev.faultline.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A run's handle on its {@link Watchdog} child process: starts it, starts a new one when it dies
 * while the run goes on, and tells it {@code done} when the run ends. Thread-safe.
 *
 * <p>The child runs the same Java with the same class path ({@code java.class.path}), C1 only, the
 * serial GC and a small heap, and reuses the class-data sharing archive this JVM was started with,
 * if any. Its standard error is this process's, so that what it reports after a crash reaches the
 * same terminal or log; its standard output is discarded.
 */
final class WatchdogProcess {
  /** Rationale: a watchdog that dies this soon after starting again and again will not do better next time. */
  private static final long QUICK_DEATH_NANOS = 2_000_000_000L;
  private static final int MAX_QUICK_DEATHS = 3;

  private final List<String> command;
  private final Consumer<String> notices;
  private Process process;
  private OutputStream stdin;
  private long startedNanos;
  private int quickDeaths;
  private boolean finished;

  private WatchdogProcess(List<String> command, Consumer<String> notices) {
    this.command = List.copyOf(command);
    this.notices = notices;
  }

  /** Starts a watchdog for {@code runId}; a failure to start is told to {@code notices} and leaves none. */
  static WatchdogProcess start(Path dir, String runId, ProcessIdentity parent, Consumer<String> notices) {
    WatchdogProcess w = new WatchdogProcess(command(dir, runId, parent), notices);
    synchronized (w) {
      w.spawn();
    }
    return w;
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** The run ended: the watchdog may go. Idempotent. */
  synchronized void finish() {
    if (finished) return;
    finished = true;
    if (stdin == null) return;
    try {
      stdin.write("done\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException gone) {
      // The watchdog is already gone; nothing to tell it.
    }
    try {
      stdin.close();
    } catch (IOException ignored) {
      // As above.
    }
  }

  private void spawn() {
    try {
      Process p = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      process = p;
      stdin = p.getOutputStream();
      startedNanos = System.nanoTime();
      // Not on the JDK's process reaper thread, which has a small stack and must not start processes.
      Executor ownThread = r -> {
        Thread t = new Thread(r, "faultline-watchdog-exit");
        t.setDaemon(true);
        t.start();
      };
      p.onExit().thenRunAsync(() -> died(p), ownThread);
    } catch (IOException | RuntimeException e) {
      process = null;
      stdin = null;
      notices.accept("could not start the watchdog (" + FaultJournal.message(e) + "); if this process dies,"
          + " run 'faultline recover' to revert its faults");
    }
  }

  private synchronized void died(Process p) {
    if (finished || p != process) return;
    boolean quick = System.nanoTime() - startedNanos < QUICK_DEATH_NANOS;
    quickDeaths = quick ? quickDeaths + 1 : 0;
    if (quickDeaths > MAX_QUICK_DEATHS) {
      process = null;
      notices.accept("the watchdog keeps dying as it starts (exit code " + p.exitValue() + "); no watchdog for the rest"
          + " of this run: if this process dies, run 'faultline recover'");
      return;
    }
    notices.accept("the watchdog (pid " + p.pid() + ") ended unexpectedly (exit code " + p.exitValue() + "); started a new one");
    spawn();
  }

  private static List<String> command(Path dir, String runId, ProcessIdentity parent) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx64m", "-XX:-UsePerfData", "-Xshare:auto"));
    // The launcher's archive was made for this same class path: mapping it makes the start cheaper.
    for (String arg : ProcessIdentity.arguments(ProcessHandle.current().pid())) {
      if (arg.startsWith("-XX:SharedArchiveFile=")) {
        cmd.add(arg);
        cmd.add("-Xlog:cds=off");
        cmd.add("-Xlog:cds+dynamic=off");
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Watchdog.class.getName());
    cmd.add(dir.toString());
    cmd.add(runId);
    cmd.add(Long.toString(parent.pid()));
    cmd.add(parent.start());
    return cmd;
  }

  private static String javaBinary() {
    Path own = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(own)) return own.toString();
    return ProcessHandle.current().info().command().orElse("java");
  }
}
