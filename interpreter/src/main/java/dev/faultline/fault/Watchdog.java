package dev.faultline.fault;

import dev.faultline.host.OwnedDirectories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dead-man switch: a small process that a run starts when it journals its first fault
 * ({@link WatchdogProcess}) and that reverts the run's journaled faults, exactly as
 * {@code faultline recover} would, if the run's process dies without reverting them.
 *
 * <pre>java -cp CLASSPATH dev.faultline.fault.Watchdog JOURNAL_DIR RUN_ID PARENT_PID [PARENT_START]</pre>
 *
 * <p>How it learns that the run is over: its standard input is a pipe from the run. The run writes
 * {@code done} and closes the pipe when it ends normally; the watchdog then exits. Rationale, over
 * a marker file: the kernel closes the pipe the instant the run's process dies, however it dies
 * (SIGKILL, OOM killer, a JVM crash), so end of input is an immediate death notice, where a marker
 * file would only be polled; a pipe also needs no disk, which may be the very thing that is full,
 * and leaves nothing to clean up. The word {@code done} tells a normal end from a death. Besides
 * the pipe, the parent's PID and start time are polled every {@value #POLL_MILLIS} ms, in case
 * something else holds the pipe open.
 *
 * <p>Start-up is kept cheap: it loads the journal, {@link Recovery} and the
 * {@link FaultRecoverer}s, nothing of the language or the command line, and warms the record
 * decoder before it waits, so that the work after a death starts at once.
 *
 * <p>It ignores SIGINT, SIGTERM and SIGHUP. Rationale: Ctrl-C and a closing terminal signal the
 * whole process group, and the run reacts to them by reverting its faults; the watchdog must
 * outlive that rollback to cover a crash in the middle of it. It always ends on its own: when told
 * {@code done}, or after recovering once its run's process is gone. Exit code 0 when nothing of the
 * run is left in the journal, 1 otherwise, 2 for bad arguments.
 */
public final class Watchdog {
  /** How often, in milliseconds, the watchdog checks whether its run's process still lives. */
  public static final long POLL_MILLIS = 50;

  private final Object wake = new Object();
  private volatile boolean done;
  private volatile boolean endOfInput;

  private Watchdog() {}

  /**
   * Runs the watchdog; started by the journal as a child process, never by hand.
   *
   * @param args {@code JOURNAL_DIR RUN_ID PARENT_PID [PARENT_START]}
   */
  public static void main(String[] args) {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: java " + Watchdog.class.getName() + " JOURNAL_DIR RUN_ID PARENT_PID [PARENT_START]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    String run = args[1];
    long pid;
    try {
      pid = Long.parseLong(args[2]);
    } catch (NumberFormatException e) {
      System.err.println("faultline watchdog: PARENT_PID must be a number, got '" + args[2] + "'");
      System.exit(2);
      return;
    }
    ignoreSignals();
    String start = args.length == 4 ? args[3] : ProcessIdentity.of(pid).map(ProcessIdentity::start).orElse("");
    ProcessIdentity parent = new ProcessIdentity(pid, start, ProcessIdentity.bootId());
    System.exit(new Watchdog().watch(dir, run, parent));
  }

  private int watch(Path dir, String run, ProcessIdentity parent) {
    int closeLooks = 0;
    List<FaultRecoverer> recoverers = Recovery.installed();
    warmUp();
    Thread reader = new Thread(this::readInput, "faultline-watchdog-input");
    reader.setDaemon(true);
    reader.start();
    while (true) {
      synchronized (wake) {
        if (!done && !endOfInput) {
          try {
            wake.wait(POLL_MILLIS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      if (done) return 0;
      if (!parent.isAlive()) break;
      if (endOfInput) {
        // The kernel closes a dying process's pipes a moment before /proc shows it dead: look
        // closely for a while, then settle back to the normal poll if it really lives on.
        if (++closeLooks <= 500) sleep(1);
        else sleep(POLL_MILLIS);
      }
    }
    if (done) return 0;
    Recovery.Result result = Recovery.recoverRun(dir, run, recoverers);
    if (!result.nothingFound()) {
      System.err.println("faultline watchdog: run " + run + " (" + parent + ") ended without reverting its faults;"
          + " recovered them from the journal in " + result.took().toMillis() + " ms:");
      for (String line : result.lines()) System.err.println("faultline watchdog: " + line);
      if (!result.clean()) System.err.println("faultline watchdog: run 'faultline recover --journal " + dir + "' when the cause is fixed");
    }
    return result.clean() ? 0 : 1;
  }

  private void readInput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.strip().equals("done")) {
          done = true;
          break;
        }
      }
    } catch (IOException e) {
      // Same as the end of input: the parent is probably gone; the PID check decides.
    }
    synchronized (wake) {
      endOfInput = true;
      wake.notifyAll();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Recovers a made-up dead run in a scratch directory once, with a recoverer that does nothing, so
   * that the classes of the whole recovery path are loaded before they are needed. Rationale: on a
   * cold JVM, class loading is most of a first recovery's time (about 25 ms of 30 here).
   */
  private static void warmUp() {
    Path scratch = null;
    try {
      removeScratchOfDeadWatchdogs();
      scratch = OwnedDirectories.create(SCRATCH);
      ProcessIdentity me = ProcessIdentity.current();
      ProcessIdentity dead = new ProcessIdentity(me.pid(), "warm-up", me.boot());
      String run = "00000000-000000-" + me.pid() + "-00000000";
      JournalRecord sample = new JournalRecord(run, dead, 1, WARM_UP, "", "", JournalRecord.State.INTENT, Instant.now(), "",
          Map.of("path", "/", "n", 1L));
      FaultJournal.write(scratch.resolve(run + ".1" + FaultJournal.RECORD), sample.encode());
      Recovery.recover(scratch, List.of(new FaultRecoverer() {
        public Set<String> kinds() { return Set.of(WARM_UP); }
        public void revert(String kind, Map<String, Object> undo) {}
      }));
    } catch (IOException | RuntimeException e) {
      // Only slower later; the watchdog itself is fine.
    } finally {
      if (scratch != null) {
        try {
          OwnedDirectories.deleteTree(scratch);
        } catch (RuntimeException e) {
          // A few bytes in the temporary directory, removed by the next watchdog.
        }
      }
    }
  }

  private static final String WARM_UP = "faultline.warm-up";
  private static final String SCRATCH = "faultline-watchdog-";

  /**
   * A watchdog killed outright during its warm-up (SIGKILL) leaves its scratch directory behind:
   * the next one removes those whose watchdog process is gone.
   */
  static void removeScratchOfDeadWatchdogs() {
    OwnedDirectories.removeAbandoned(SCRATCH, dir -> { });
  }

  /**
   * SIGINT, SIGTERM and SIGHUP are ignored (see the class comment). Through reflection because
   * {@code sun.misc.Signal} is a JDK-internal API: where it is missing, the defaults stay.
   */
  private static void ignoreSignals() {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object ignore = handler.getField("SIG_IGN").get(null);
      for (String name : new String[] {"INT", "TERM", "HUP"}) {
        try {
          Object sig = signal.getConstructor(String.class).newInstance(name);
          signal.getMethod("handle", signal, handler).invoke(null, sig, ignore);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
          // That signal cannot be handled here (e.g. no SIGHUP): keep its default.
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // No sun.misc.Signal: the default handling stays; the run restarts a watchdog that a signal ended.
    }
  }
}
