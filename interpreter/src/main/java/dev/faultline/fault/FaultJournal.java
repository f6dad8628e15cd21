package dev.faultline.fault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The write-ahead fault journal of one run: before a fault is injected, a record of it (what it is
 * and how to undo it, {@link Fault#undoRecord()}) is on disk; it is deleted once the fault is
 * reverted. What a crash leaves behind is therefore exactly what may still be in place, and
 * {@link Recovery} (the {@code faultline recover} command and the {@link Watchdog}) reverts it from
 * another process.
 *
 * <p>Layout of the directory (default {@code .faultline/journal} in the working directory), shared
 * by any number of runs at once:
 * <pre>
 * RUN.lock           held with FileChannel.tryLock while the run lives; names its process
 * RUN.ID.record      one fault of that run (see {@link JournalRecord} for the format)
 * RUN.ID.record.tmp  a record being written; never read, deleted by recovery
 * set-aside/         records whose target changed since the fault was injected, kept for a person
 * </pre>
 * Each record is written to a temporary file, forced to disk, renamed over the record atomically,
 * and the directory is forced too, so a record is always either the old or the new version, never
 * half of one. Runs write only files named after their own run id, which holds 32 random bits
 * besides the PID and the time: two interpreters sharing a directory never touch each other's
 * records, and the per-run lock tells {@code recover} to leave a live run alone.
 *
 * <p>Lazy: nothing is created on disk until the first fault is recorded, so a run that injects
 * nothing never touches the disk. Thread-safe: timers and guards revert from other threads.
 */
public final class FaultJournal implements AutoCloseable {
  /**
   * The journal directory used when none is given: {@code .faultline/journal} in the working
   * directory, or the system property {@code faultline.journal.dir} when set (the test suites put
   * theirs under {@code target/}).
   *
   * @return the default directory, absolute
   */
  public static Path defaultDir() {
    String configured = System.getProperty("faultline.journal.dir");
    if (configured != null && !configured.isBlank()) return Path.of(configured).toAbsolutePath();
    return Path.of(".faultline", "journal").toAbsolutePath();
  }

  /**
   * Test hook: {@code -Dfaultline.journal.crash=POINT[:N]} halts the process (exit 86, no shutdown
   * hooks, like a SIGKILL) the Nth time (default the first) the journal reaches POINT:
   * {@code before-intent}, {@code after-intent}, {@code after-inject}, {@code after-injected},
   * {@code after-revert}, {@code after-delete}. Used to prove that a crash at each write is recovered.
   */
  public static final String CRASH_PROPERTY = "faultline.journal.crash";
  /** The exit code of a process halted by {@link #CRASH_PROPERTY}. */
  public static final int CRASH_EXIT = 86;

  static final String RECORD = ".record";
  static final String LOCK = ".lock";
  static final String TMP = ".tmp";
  static final String SET_ASIDE = "set-aside";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final String runId;
  private final boolean watchdog;
  private final Consumer<String> notices;
  private final String crashPoint;
  private int crashCountdown;
  private final Map<Long, JournalRecord> records = new LinkedHashMap<>();
  /** Files of reverted faults still to delete, oldest first; guarded by this. */
  private final java.util.ArrayDeque<Path> toDelete = new java.util.ArrayDeque<>();
  /** Whether a thread of {@link #IO} is deleting {@link #toDelete}'s files; guarded by this. */
  private boolean deleting;

  private boolean opened;
  private FileChannel lockChannel;
  private FileLock lock;
  private WatchdogProcess watchdogProcess;

  private FaultJournal(Path dir, boolean watchdog, Consumer<String> notices) {
    this.dir = dir.toAbsolutePath().normalize();
    this.watchdog = watchdog;
    this.notices = notices;
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    this.runId = RUN_TIME.format(Instant.now()) + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    String crash = System.getProperty(CRASH_PROPERTY, "");
    int colon = crash.indexOf(':');
    this.crashPoint = colon < 0 ? crash : crash.substring(0, colon);
    this.crashCountdown = colon < 0 ? 1 : Integer.parseInt(crash.substring(colon + 1));
  }

  /**
   * A journal for a new run in {@code dir}. With {@code watchdog}, the first record written also
   * starts a {@link Watchdog} process that reverts this run's faults if this process dies first.
   * {@code notices} hears about the watchdog (could not start, died and was restarted); it is
   * called from any thread.
   *
   * @param dir the journal directory, created when the first fault is recorded
   * @param watchdog whether to start a watchdog process with the first record
   * @param notices told about the watchdog, in words
   * @return the run's journal, with a new run id
   */
  public static FaultJournal forRun(Path dir, boolean watchdog, Consumer<String> notices) {
    return new FaultJournal(dir, watchdog, notices);
  }

  /**
   * A journal without a watchdog, for embedding and tests.
   *
   * @param dir the journal directory
   * @return the run's journal
   */
  public static FaultJournal forRun(Path dir) {
    return new FaultJournal(dir, false, notice -> {});
  }

  /** {@return the journal directory, absolute} */
  public Path dir() {
    return dir;
  }

  /** {@return this run's id}: UTC time, PID and random bits ({@code 20261123-031311-8930-ea6c3715}) */
  public String runId() {
    return runId;
  }

  /** {@return the records this run still has on disk}: faults in place, or whose revert failed */
  public synchronized List<JournalRecord> remaining() {
    return List.copyOf(records.values());
  }

  /** {@return the watchdog's process id, or -1 when none runs} */
  public synchronized long watchdogPid() {
    return watchdogProcess == null ? -1 : watchdogProcess.pid();
  }

  // ------------------------------------------------------------ the lifecycle's calls

  /**
   * Records that {@code fault} is about to be injected. When this throws, nothing may be injected.
   * Rationale: a fault the journal does not know about cannot be recovered after a crash.
   * IOException: the disk; IllegalArgumentException: an undo record that is not plain data.
   */
  synchronized void intent(ActiveFault fault) throws IOException {
    crash("before-intent");
    JournalRecord r = new JournalRecord(runId, ProcessIdentity.current(), fault.id(), fault.fault().kind(),
        fault.fault().target(), fault.fault().describe(), JournalRecord.State.INTENT, Instant.now(), "",
        fault.fault().undoRecord());
    byte[] bytes;
    try {
      bytes = r.encode();
    } catch (IllegalArgumentException e) {
      // A bug in the injector, not a problem of the disk: said as such, and nothing is injected.
      throw new IllegalArgumentException("its undo record cannot be journaled: " + e.getMessage(), e);
    }
    open();
    if (watchdog && watchdogProcess == null) {
      // Started before the first record is written, not after: a death between the two would
      // otherwise leave a record that no watchdog watches. Dying before the record is written
      // leaves the watchdog nothing to do but to delete the lock file.
      watchdogProcess = WatchdogProcess.start(dir, runId, ProcessIdentity.current(), notices);
    }
    write(fileOf(fault.id()), bytes);
    records.put(fault.id(), r);
    crash("after-intent");
  }

  /** {@code inject} returned. Best effort: a record left at INTENT is recovered just the same. */
  synchronized void injected(ActiveFault fault) {
    crash("after-inject");
    update(fault.id(), JournalRecord.State.INJECTED, "");
    crash("after-injected");
  }

  /** {@code inject} threw: the fault may be in place; it is reverted next. */
  synchronized void maybeInjected(ActiveFault fault, Throwable cause) {
    update(fault.id(), JournalRecord.State.MAYBE_INJECTED, "inject failed: " + message(cause));
  }

  /** Every revert attempt failed: the record stays, for {@code faultline recover}. */
  synchronized void revertFailed(ActiveFault fault, Throwable cause) {
    update(fault.id(), JournalRecord.State.REVERT_FAILED, "revert failed: " + message(cause));
  }

  /**
   * The fault is reverted: its record goes. The file is deleted by a journal thread, in the order
   * the faults were reverted, while the caller goes on to the next revert; {@link #close} waits for
   * the deletions.
   *
   * <p>Rationale: a record that outlives its revert (a crash before the deletion, or a power loss
   * before the directory reaches the disk) only makes {@code recover} revert the fault once more,
   * which every revert must tolerate. Waiting for the deletion, by contrast, cost every revert of a
   * guard breach's "revert everything now" an unlink on a file system busy with the records' forced
   * writes: about 80 us each on ext4, 8 ms for 100 faults (bench/results/guards.md). For the same
   * reason the directory is not forced here; the next write, and {@link #close}, force it.
   */
  synchronized void reverted(ActiveFault fault) {
    crash("after-revert");
    if (records.remove(fault.id()) == null) return;
    toDelete.add(fileOf(fault.id()));
    if (!deleting) {
      deleting = true;
      IO.execute(this::deleteReverted);
    }
  }

  /** Deletes the records of reverted faults until none is left; runs on one journal thread at a time. */
  private void deleteReverted() {
    while (true) {
      Path file;
      synchronized (this) {
        file = toDelete.poll();
        if (file == null) {
          deleting = false;
          notifyAll();
          return;
        }
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException | RuntimeException e) {
        // Left on disk: recovery reverts it again (idempotently) and then deletes it.
      }
      crash("after-delete");
    }
  }

  /** Waits until the records of reverted faults are deleted; an interrupt does not cut it short. Holds this. */
  private void awaitDeletions() {
    boolean interrupted = false;
    while (deleting) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /**
   * Ends the run's use of the journal: tells the watchdog the run ended, forces the directory,
   * deletes the lock file when no record is left, and releases the lock. Records whose revert
   * failed stay for {@code faultline recover}. Idempotent.
   */
  @Override
  public synchronized void close() {
    // Before the watchdog is told the run ended and before the lock goes: the records on disk must
    // be exactly those of faults that may remain.
    awaitDeletions();
    if (watchdogProcess != null) {
      watchdogProcess.finish();
      watchdogProcess = null;
    }
    if (!opened) return;
    opened = false;
    try {
      if (records.isEmpty()) Files.deleteIfExists(lockFile());
      forceDirectory(dir);
    } catch (IOException e) {
      // A stale lock file of a run without records is removed by the next recovery.
    }
    try {
      if (lock != null) lock.release();
      if (lockChannel != null) lockChannel.close();
    } catch (IOException ignored) {
      // The lock goes with the process anyway.
    }
    lock = null;
    lockChannel = null;
  }

  // ------------------------------------------------------------ files

  /**
   * Creates the directory and takes the run's lock. On a journal thread, like every write: the lock
   * file is written and forced on the first inject, often at a step's start, where a step timeout or
   * a cancel interrupting the evaluating thread would close the channel and lose the lock.
   */
  private void open() throws IOException {
    if (opened) return;
    Path lockFile = lockFile();
    FileChannel[] channel = new FileChannel[1];
    FileLock[] held = new FileLock[1];
    uninterruptibly(() -> {
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        FileLock l = ch.tryLock();
        if (l == null) throw new IOException("could not lock " + lockFile);
        ch.write(ByteBuffer.wrap(lockContent(runId, ProcessIdentity.current()).getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
        channel[0] = ch;
        held[0] = l;
      } catch (IOException | RuntimeException e) {
        ch.close();
        Files.deleteIfExists(lockFile);
        throw e;
      }
    });
    lockChannel = channel[0];
    lock = held[0];
    opened = true;
  }

  /** What a lock file says: the run and its process, as one line of JSON. */
  static String lockContent(String runId, ProcessIdentity who) {
    return "{\"run\":\"" + runId + "\",\"pid\":" + who.pid() + ",\"process_start\":\"" + who.start()
        + "\",\"boot_id\":\"" + who.boot() + "\",\"written\":\"" + Instant.now() + "\"}\n";
  }

  private void update(long id, JournalRecord.State state, String why) {
    JournalRecord r = records.get(id);
    if (r == null) return;
    JournalRecord next = r.withState(state, why);
    try {
      write(fileOf(id), next.encode());
      records.put(id, next);
    } catch (IOException e) {
      // The older state stays on disk; every state is recovered the same way: by reverting.
    }
  }

  private Path fileOf(long faultId) {
    return dir.resolve(runId + "." + faultId + RECORD);
  }

  private Path lockFile() {
    return dir.resolve(runId + LOCK);
  }

  /**
   * Rationale: file channels are interruptible: an interrupt (a cancel, a step timeout, Ctrl-C)
   * arriving while the evaluating thread writes a record closes the channel, and the record is lost
   * with a ClosedByInterruptException. Journal writes therefore run on threads of their own that
   * nothing interrupts; the caller waits for them uninterruptibly and keeps its interrupt for after.
   * A pool, not one thread: a breach reverts many faults at once, and their records go in parallel.
   */
  private static final java.util.concurrent.ExecutorService IO = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faultline-journal-io");
    t.setDaemon(true);
    return t;
  });

  /** Work on the journal's files. */
  private interface IoWork {
    void run() throws IOException;
  }

  private static void uninterruptibly(IoWork work) throws IOException {
    if (Thread.currentThread().getName().equals("faultline-journal-io")) {
      work.run();
      return;
    }
    java.util.concurrent.Future<?> done = IO.submit(() -> {
      work.run();
      return null;
    });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof IOException io) throw io;
          if (e.getCause() instanceof RuntimeException re) throw re;
          if (e.getCause() instanceof Error err) throw err;
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Writes {@code bytes} to {@code target} so that a crash leaves either the old file or the new one. */
  static void write(Path target, byte[] bytes) throws IOException {
    uninterruptibly(() -> writeNow(target, bytes));
  }

  private static void writeNow(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + TMP);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf);
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("the journal directory does not support atomic renames: " + target.getParent(), e);
    }
    forceDirectoryNow(target.getParent());
  }

  /** Makes a rename or delete in {@code dir} durable. Not every system can open a directory; those skip it. */
  static void forceDirectory(Path dir) throws IOException {
    uninterruptibly(() -> forceDirectoryNow(dir));
  }

  private static void forceDirectoryNow(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (java.nio.file.AccessDeniedException e) {
      // Windows cannot open a directory; the rename is as durable as it gets there.
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      // EINVAL or EISDIR: a file system that cannot force a directory; the rename is as durable as it gets there.
      if (!(m.contains("Invalid argument") || m.contains("Is a directory"))) throw e;
    }
  }

  private void crash(String point) {
    if (!crashPoint.equals(point)) return;
    if (--crashCountdown > 0) return;
    System.err.println("faultline: test hook " + CRASH_PROPERTY + "=" + point + ": halting");
    System.err.flush();
    Runtime.getRuntime().halt(CRASH_EXIT);
  }

  static String message(Throwable t) {
    if (t == null) return "unknown cause";
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  /** The run id a journal file belongs to, from its name, or null when the name is not one of ours. */
  static String runOf(String fileName) {
    String base;
    if (fileName.endsWith(RECORD + TMP)) base = fileName.substring(0, fileName.length() - RECORD.length() - TMP.length());
    else if (fileName.endsWith(RECORD)) base = fileName.substring(0, fileName.length() - RECORD.length());
    else if (fileName.endsWith(LOCK)) return fileName.substring(0, fileName.length() - LOCK.length());
    else return null;
    int dot = base.lastIndexOf('.');
    return dot <= 0 ? null : base.substring(0, dot);
  }
}
