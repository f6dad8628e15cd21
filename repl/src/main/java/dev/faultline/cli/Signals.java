package dev.faultline.cli;

import dev.faultline.run.PlaybookRun;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run is going on. The first cancels the run: the running
 * statement is interrupted, every fault is reverted, rollback blocks run, and the command exits 3.
 * Every later one only prints what is still being undone ({@code still reverting 2 faults…}).
 * Rationale: a second Ctrl-C is what a nervous operator presses when the first seems slow; quitting
 * then would leave faults in place, which is the one thing Faultline promises never to do. SIGKILL
 * remains the way to abandon the reverts, and {@code faultline recover} the way to finish them.
 *
 * <p>Handlers replace the JVM's (which would start shutting down) for as long as the run goes on,
 * and are put back by {@link #close}. A signal the process ignores from birth (a background job of
 * a shell without job control ignores SIGINT) stays ignored. Thread-safe: handlers run on threads
 * the JVM starts for them.
 */
final class Signals implements AutoCloseable {
  private final PlaybookRun run;
  private final PrintStream err;
  private final AtomicInteger received = new AtomicInteger();
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile boolean ended;

  private Signals(PlaybookRun run, PrintStream err) {
    this.run = run;
    this.err = err;
  }

  static Signals install(PlaybookRun run, PrintStream err) {
    Signals s = new Signals(run, err);
    s.handle("INT", "Ctrl-C (SIGINT)");
    s.handle("TERM", "SIGTERM");
    return s;
  }

  private void handle(String name, String words) {
    try {
      Signal signal = new Signal(name);
      SignalHandler old = Signal.handle(signal, sig -> received(words));
      installed.add(signal);
      previous.add(old);
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError unavailable) {
      // Not on this platform, or used by the JVM itself: the shutdown hook still cancels the run.
    }
  }

  private void received(String words) {
    int n = received.incrementAndGet();
    if (ended) return; // the run is over; the report is being written and the command exits at once
    if (n == 1) {
      say("faultline: " + words + ": stopping; the running step is interrupted, then every fault is reverted and rollback"
          + " blocks run (pressing Ctrl-C again only shows progress)");
      run.cancel("stopped by " + words);
    } else {
      say(progress());
    }
  }

  /** What is still being undone, in words. */
  String progress() {
    int pending = run.faults().pending();
    if (pending > 0) {
      return "faultline: still reverting " + pending + (pending == 1 ? " fault" : " faults")
          + "… (reverts are never skipped; SIGKILL would leave faults in place, then run 'faultline recover')";
    }
    if (run.isUndoing()) return "faultline: still running rollback blocks… (they are never skipped)";
    return "faultline: still stopping…";
  }

  private void say(String line) {
    err.println(line);
    err.flush();
  }

  /** From now on signals are ignored until {@link #close}: only the report is left to write. */
  void runEnded() {
    ended = true;
  }

  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) {
      try {
        Signal.handle(installed.get(i), previous.get(i));
      } catch (IllegalArgumentException ignored) {
        // Could not be put back: the process is about to exit anyway.
      }
    }
  }
}
