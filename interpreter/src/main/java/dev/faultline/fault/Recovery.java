package dev.faultline.fault;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reverts, from another process, the faults that a dead run left in a {@link FaultJournal}
 * directory: what {@code faultline recover} and the {@link Watchdog} do, with the same code.
 *
 * <p>A run is dead when its process is gone, or the PID now belongs to a process that started at
 * another time, or the machine rebooted since ({@link ProcessIdentity#isAlive}); records of live
 * runs are listed and never touched. Before acting on a dead run, recovery takes that run's lock,
 * so that a watchdog and a {@code recover} started by hand never revert the same fault at once.
 * Each record of a dead run, newest fault first:
 * <ul>
 *   <li>an empty undo record (a fault on an object inside the dead process) is dropped: it ended
 *       with its process;
 *   <li>otherwise the {@link FaultRecoverer} registered for its kind reverts it (retried like a
 *       revert in a run, each attempt bounded by {@link #ATTEMPT_TIMEOUT}); on success the record is
 *       deleted, when the recoverer finds the target changed the record is moved to
 *       {@code set-aside/} for a person, on failure it stays, marked {@code revert-failed};
 *   <li>a kind with no recoverer on the class path stays, as needing a manual revert.
 * </ul>
 * A record that cannot be read (truncated, damaged) is reported with its file name and kept.
 * Running recovery twice does nothing the second time.
 */
public final class Recovery {
  /** Rationale: as many attempts as a revert gets inside a run ({@link FaultLifecycle#REVERT_ATTEMPTS}). */
  static final int ATTEMPTS = FaultLifecycle.REVERT_ATTEMPTS;
  /** Rationale: a recoverer that hangs must not keep the others from running. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
  /** How long to wait for a dead run's lock that another recovery holds before calling it busy. */
  static final Duration LOCK_WAIT = Duration.ofSeconds(5);

  private Recovery() {}

  /** What happened to one fault of a dead run. */
  public enum Outcome {
    /** Its recoverer undid it; the record is deleted. */
    REVERTED("reverted"),
    /** An in-process fault: it ended when its process did; the record is deleted. */
    ENDED_WITH_PROCESS("ended with its process"),
    /** The target is no longer the one recorded: left alone, the record set aside. */
    TARGET_CHANGED("target changed"),
    /** Nothing here can undo it (no recoverer, or one that says so): a person must; the record is kept. */
    NEEDS_MANUAL_REVERT("needs manual revert"),
    /** Every attempt failed: it may still be in place; the record is kept. */
    FAILED("failed");

    private final String words;

    Outcome(String words) {
      this.words = words;
    }

    /** {@return the outcome as {@code faultline recover} prints it}: {@code needs manual revert} */
    public String words() {
      return words;
    }

    /** {@return whether the fault is known to be gone} (or to no longer concern its original target) */
    public boolean settled() {
      return this == REVERTED || this == ENDED_WITH_PROCESS || this == TARGET_CHANGED;
    }
  }

  /**
   * One fault of a dead run and what recovery did with it.
   *
   * @param file the record's file
   * @param record the record as read
   * @param outcome what was done
   * @param detail the recoverer's message (why it failed, what changed); empty when none
   */
  public record FaultResult(Path file, JournalRecord record, Outcome outcome, String detail) {}

  /**
   * A record file that could not be read.
   *
   * @param file the file, kept
   * @param reason what is wrong with it
   * @param liveRun whether its run is still running (then it is none of recovery's business)
   */
  public record Unreadable(Path file, String reason, boolean liveRun) {}

  /**
   * A run that is still running: its records were left alone.
   *
   * @param run the run's id
   * @param process its process
   * @param records its records
   */
  public record LiveRun(String run, ProcessIdentity process, List<JournalRecord> records) {}

  /**
   * A dead run whose lock another process held (a watchdog, or another {@code recover}) until we gave up.
   *
   * @param run the run's id
   * @param process its (dead) process
   * @param records how many records it has
   */
  public record BusyRun(String run, ProcessIdentity process, int records) {}

  /**
   * Everything one recovery saw and did. Immutable.
   *
   * @param dir the journal directory
   * @param faults each fault of a dead run acted on, with its outcome
   * @param unreadable record files that could not be read
   * @param live runs still running, left alone
   * @param busy dead runs another process is recovering
   * @param untouched records of dead runs nothing was done to ({@link #pending} only looks)
   * @param took how long the recovery took
   */
  public record Result(Path dir, List<FaultResult> faults, List<Unreadable> unreadable, List<LiveRun> live,
      List<BusyRun> busy, List<JournalRecord> untouched, Duration took) {
    /**
     * Copies the lists.
     *
     * @param dir the journal directory
     * @param faults each fault of a dead run acted on, with its outcome
     * @param unreadable record files that could not be read
     * @param live runs still running, left alone
     * @param busy dead runs another process is recovering
     * @param untouched records of dead runs nothing was done to
     * @param took how long the recovery took
     */
    public Result {
      faults = List.copyOf(faults);
      unreadable = List.copyOf(unreadable);
      live = List.copyOf(live);
      busy = List.copyOf(busy);
      untouched = List.copyOf(untouched);
    }

    /**
     * Whether the journal holds nothing of a dead run any more: every fault was settled, no record
     * of a dead run is unreadable, and no dead run was left to another recovery.
     *
     * @return true when nothing of a dead run is left
     */
    public boolean clean() {
      return faults.stream().allMatch(f -> f.outcome().settled())
          && unreadable.stream().allMatch(Unreadable::liveRun)
          && busy.isEmpty() && untouched.isEmpty();
    }

    /**
     * {@return how many faults ended with an outcome}
     *
     * @param o the outcome
     */
    public long count(Outcome o) {
      return faults.stream().filter(f -> f.outcome() == o).count();
    }

    /** {@return whether there was nothing at all to do} */
    public boolean nothingFound() {
      return faults.isEmpty() && unreadable.isEmpty() && live.isEmpty() && busy.isEmpty() && untouched.isEmpty();
    }

    /**
     * What {@code faultline recover} prints, one line each: per dead run a heading and one line per
     * fault, then live and busy runs, unreadable records, and a totals line.
     *
     * @return the lines, without line breaks
     */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      if (nothingFound()) {
        out.add("recover: nothing to recover in " + dir);
        return out;
      }
      String run = null;
      for (FaultResult f : faults) {
        JournalRecord r = f.record();
        if (!r.run().equals(run)) {
          run = r.run();
          out.add("run " + run + " (" + r.process() + ", no longer running):");
        }
        String what = "#" + r.fault() + " " + r.kind() + (r.target().isEmpty() ? "" : " " + r.target());
        out.add("  " + pad(f.outcome().words()) + what + (f.detail().isEmpty() ? "" : ": " + f.detail()));
      }
      for (BusyRun b : busy) {
        out.add("run " + b.run() + " (" + b.process() + ", no longer running): " + b.records()
            + (b.records() == 1 ? " fault" : " faults") + " being recovered by another process (its watchdog, or another"
            + " 'faultline recover'); left to it");
      }
      for (LiveRun l : live) {
        out.add("run " + l.run() + " (" + l.process() + ", still running): " + l.records().size()
            + (l.records().size() == 1 ? " fault" : " faults") + " in the journal, left alone");
      }
      for (Unreadable u : unreadable) {
        out.add("unreadable " + u.file().getFileName() + ": " + u.reason() + "; kept"
            + (u.liveRun() ? " (its run is still running)" : ", not acted on; revert it by hand, then delete the file"));
      }
      List<String> totals = new ArrayList<>();
      for (Outcome o : Outcome.values()) {
        long n = count(o);
        if (n > 0) totals.add(n + " " + o.words());
      }
      long unreadableDead = unreadable.stream().filter(u -> !u.liveRun()).count();
      if (unreadableDead > 0) totals.add(unreadableDead + (unreadableDead == 1 ? " unreadable record" : " unreadable records"));
      if (!busy.isEmpty()) totals.add(busy.size() + (busy.size() == 1 ? " run" : " runs") + " left to another process");
      if (!live.isEmpty()) totals.add(live.size() + (live.size() == 1 ? " live run" : " live runs") + " left alone");
      out.add("recover: " + (totals.isEmpty() ? "nothing to do" : String.join(", ", totals))
          + (clean() ? "" : "; the journal still holds faults of a dead run"));
      return out;
    }

    /**
     * Why a run may not start, for {@link #pending}'s result: {@code the fault journal DIR lists 2
     * faults of a run that died (pid 4242), which may still be in place}.
     *
     * @return the message's headline
     */
    public String pendingSummary() {
      java.util.Set<String> pids = new java.util.LinkedHashSet<>();
      untouched.forEach(r -> pids.add(r.process().toString()));
      busy.forEach(b -> pids.add(b.process().toString()));
      long n = untouched.size() + busy.stream().mapToLong(BusyRun::records).sum();
      StringBuilder m = new StringBuilder("the fault journal " + dir + " lists ");
      if (n > 0) {
        m.append(n).append(n == 1 ? " fault" : " faults").append(" of a run that died")
            .append(pids.isEmpty() ? "" : " (" + String.join(", ", pids) + ")").append(", which may still be in place");
      }
      long unreadableDead = unreadable.stream().filter(u -> !u.liveRun()).count();
      if (unreadableDead > 0) {
        m.append(n > 0 ? ", and " : "").append(unreadableDead).append(unreadableDead == 1 ? " record" : " records")
            .append(" it cannot read");
      }
      if (!busy.isEmpty()) m.append("; another process is reverting them now");
      return m.toString();
    }

    private static String pad(String s) {
      return s + " ".repeat(Math.max(1, 24 - s.length()));
    }
  }

  // ------------------------------------------------------------ entry points

  /** {@return every {@link FaultRecoverer} registered through ServiceLoader with this class's class loader} */
  public static List<FaultRecoverer> installed() {
    return installed(Recovery.class.getClassLoader());
  }

  /**
   * {@return every {@link FaultRecoverer} registered through ServiceLoader with a class loader}
   *
   * @param loader where to look
   */
  public static List<FaultRecoverer> installed(ClassLoader loader) {
    List<FaultRecoverer> out = new ArrayList<>();
    for (FaultRecoverer r : ServiceLoader.load(FaultRecoverer.class, loader)) out.add(r);
    return out;
  }

  /**
   * Recovers every dead run in {@code dir} with the installed recoverers.
   *
   * @param dir the journal directory
   * @return what was found and done
   */
  public static Result recover(Path dir) {
    return recover(dir, installed());
  }

  /**
   * Recovers every dead run in {@code dir} with {@code recoverers}.
   *
   * @param dir the journal directory
   * @param recoverers those that undo each kind of fault
   * @return what was found and done
   */
  public static Result recover(Path dir, List<FaultRecoverer> recoverers) {
    return run(dir, recoverers, null, false, LOCK_WAIT);
  }

  /**
   * Recovers one run, if it is dead: what a watchdog does when its run's process has died.
   *
   * @param dir the journal directory
   * @param runId the run's id
   * @param recoverers those that undo each kind of fault
   * @return what was found and done
   */
  public static Result recoverRun(Path dir, String runId, List<FaultRecoverer> recoverers) {
    return run(dir, recoverers, runId, false, LOCK_WAIT);
  }

  /**
   * What stands between a new run and the journal: faults of dead runs that may still be in place
   * ({@link Result#untouched}), unreadable records of dead runs, dead runs being recovered right now.
   * Records of dead runs with an empty undo record are dropped on the way: their faults ended with
   * their process, so nothing is left to recover. Reads nothing when {@code dir} does not exist.
   *
   * @param dir the journal directory
   * @return what is pending; {@link Result#clean()} when a run may start
   */
  public static Result pending(Path dir) {
    return run(dir, List.of(), null, true, Duration.ofMillis(500));
  }

  // ------------------------------------------------------------ the work

  /** The files of one run in the directory. */
  private static final class RunFiles {
    final Map<Path, JournalRecord> records = new TreeMap<>();
    final Map<Path, String> unreadable = new TreeMap<>();
    final List<Path> temps = new ArrayList<>();
    Path lock;
  }

  private static Result run(Path dir, List<FaultRecoverer> recoverers, String onlyRun, boolean gate, Duration lockWait) {
    long t0 = System.nanoTime();
    Path abs = dir.toAbsolutePath().normalize();
    List<FaultResult> faults = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    List<LiveRun> live = new ArrayList<>();
    List<BusyRun> busy = new ArrayList<>();
    List<JournalRecord> untouched = new ArrayList<>();
    if (!Files.isDirectory(abs)) return new Result(abs, faults, unreadable, live, busy, untouched, since(t0));

    Map<String, FaultRecoverer> byKind = new HashMap<>();
    for (FaultRecoverer r : recoverers) {
      for (String kind : r.kinds()) byKind.putIfAbsent(kind, r);
    }
    Map<String, RunFiles> runs = scan(abs, onlyRun);
    for (Map.Entry<String, RunFiles> e : runs.entrySet()) {
      String runId = e.getKey();
      RunFiles files = e.getValue();
      ProcessIdentity who = identity(files);
      if (who == null) {
        // Only unreadable records and no lock file: nothing names the process for sure. The run id
        // holds its PID; while a process has that PID, assume it may be the run and keep away.
        boolean maybeLive = pidInRunId(runId) > 0 && ProcessIdentity.of(pidInRunId(runId)).isPresent();
        files.unreadable.forEach((p, why) -> unreadable.add(new Unreadable(p, why, maybeLive)));
        continue;
      }
      if (who.isAlive()) {
        live.add(new LiveRun(runId, who, List.copyOf(files.records.values())));
        files.unreadable.forEach((p, why) -> unreadable.add(new Unreadable(p, why, true)));
        continue;
      }
      recoverDeadRun(abs, runId, who, byKind, gate, lockWait, faults, unreadable, busy, untouched);
    }
    return new Result(abs, faults, unreadable, live, busy, untouched, since(t0));
  }

  private static void recoverDeadRun(Path dir, String runId, ProcessIdentity who, Map<String, FaultRecoverer> byKind,
      boolean gate, Duration lockWait, List<FaultResult> faults, List<Unreadable> unreadable, List<BusyRun> busy,
      List<JournalRecord> untouched) {
    Path lockFile = dir.resolve(runId + FaultJournal.LOCK);
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = lockWithin(ch, lockWait);
      if (lock == null) {
        RunFiles now = scan(dir, runId).get(runId);
        busy.add(new BusyRun(runId, who, now == null ? 0 : now.records.size() + now.unreadable.size()));
        return;
      }
      try {
        if (ch.size() == 0 && who != null) {
          // A lock file made here: name the dead process in it, so that a later recovery still
          // knows whose run this is once only unreadable records are left.
          ch.write(java.nio.ByteBuffer.wrap(FaultJournal.lockContent(runId, who).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        // Read again under the lock: another recovery may have finished this run meanwhile.
        RunFiles files = scan(dir, runId).getOrDefault(runId, new RunFiles());
        files.unreadable.forEach((p, why) -> unreadable.add(new Unreadable(p, why, false)));
        List<Map.Entry<Path, JournalRecord>> newestFirst = new ArrayList<>(files.records.entrySet());
        newestFirst.sort(Comparator.comparingLong((Map.Entry<Path, JournalRecord> x) -> x.getValue().fault()).reversed());
        boolean left = !files.unreadable.isEmpty();
        for (Map.Entry<Path, JournalRecord> rec : newestFirst) {
          JournalRecord r = rec.getValue();
          if (gate && !r.inProcess()) {
            untouched.add(r);
            left = true;
            continue;
          }
          FaultResult result = recoverOne(dir, rec.getKey(), r, byKind);
          faults.add(result);
          if (!result.outcome().settled()) left = true;
        }
        if (!left) {
          for (Path tmp : files.temps) Files.deleteIfExists(tmp);
          Files.deleteIfExists(lockFile);
        }
        FaultJournal.forceDirectory(dir);
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      RunFiles now = scan(dir, runId).get(runId);
      if (now != null) {
        for (Map.Entry<Path, JournalRecord> rec : now.records.entrySet()) {
          if (faults.stream().noneMatch(f -> f.file().equals(rec.getKey()))) {
            faults.add(new FaultResult(rec.getKey(), rec.getValue(), Outcome.FAILED, "could not use the journal: " + FaultJournal.message(e)));
          }
        }
      }
    }
  }

  /** Reverts one record's fault and settles its file. */
  private static FaultResult recoverOne(Path dir, Path file, JournalRecord r, Map<String, FaultRecoverer> byKind) throws IOException {
    if (r.inProcess()) {
      Files.deleteIfExists(file);
      return new FaultResult(file, r, Outcome.ENDED_WITH_PROCESS,
          "it acted on an object inside " + r.process() + " and ended with that process");
    }
    FaultRecoverer recoverer = byKind.get(r.kind());
    if (recoverer == null) {
      return new FaultResult(file, r, Outcome.NEEDS_MANUAL_REVERT, "no recoverer for '" + r.kind()
          + "' on the class path (is the library that injected it installed?); the record holds what is needed: " + file);
    }
    Throwable last = null;
    Duration backoff = Duration.ofMillis(50);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        revertBounded(recoverer, r);
        Files.deleteIfExists(file);
        return new FaultResult(file, r, Outcome.REVERTED, "");
      } catch (FaultRecoverer.ManualRevertNeeded manual) {
        // Rationale: asking again cannot help; the record is what a person needs to undo it by hand.
        return new FaultResult(file, r, Outcome.NEEDS_MANUAL_REVERT, manual.getMessage() + "; the record holds what is needed: " + file);
      } catch (FaultRecoverer.TargetChanged changed) {
        Path aside = dir.resolve(FaultJournal.SET_ASIDE);
        Files.createDirectories(aside);
        Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return new FaultResult(file, r, Outcome.TARGET_CHANGED, FaultJournal.message(changed)
            + "; left alone (record kept in " + FaultJournal.SET_ASIDE + "/" + file.getFileName() + ")");
      } catch (Exception e) {
        last = e;
        if (attempt < ATTEMPTS) {
          sleep(backoff);
          backoff = backoff.multipliedBy(2);
        }
      }
    }
    String why = FaultJournal.message(last);
    try {
      FaultJournal.write(file, r.withState(JournalRecord.State.REVERT_FAILED, "recover: " + why).encode());
    } catch (IOException e) {
      // The record stays as it was; it is still a fault of a dead run and will be tried again.
    }
    return new FaultResult(file, r, Outcome.FAILED, why + " (after " + ATTEMPTS + " attempts; kept in the journal)");
  }

  /** Runs one revert on its own daemon thread, so that a recoverer that hangs cannot hold up the rest. */
  private static void revertBounded(FaultRecoverer recoverer, JournalRecord r) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        recoverer.revert(r.kind(), r.undo());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "faultline-recover-" + r.fault());
    t.setDaemon(true);
    t.start();
    t.join(ATTEMPT_TIMEOUT.toMillis());
    if (t.isAlive()) {
      t.interrupt();
      throw new IOException("the revert did not finish within " + ATTEMPT_TIMEOUT.toSeconds() + "s");
    }
    Throwable e = failure.get();
    if (e instanceof Exception ex) throw ex;
    if (e instanceof Error err) throw err;
  }

  /** The run's files, by run id; only {@code onlyRun}'s when it is not null. */
  private static Map<String, RunFiles> scan(Path dir, String onlyRun) {
    Map<String, RunFiles> runs = new LinkedHashMap<>();
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) entries.add(p);
    } catch (IOException e) {
      return runs;
    }
    entries.sort(Comparator.comparing(Path::toString));
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (Files.isDirectory(p)) continue;
      String runId = FaultJournal.runOf(name);
      if (runId == null) {
        if (name.endsWith(FaultJournal.RECORD) && onlyRun == null) {
          runs.computeIfAbsent("?" + name, k -> new RunFiles()).unreadable.put(p, "not named like a journal record (RUN.ID.record)");
        }
        continue;
      }
      if (onlyRun != null && !onlyRun.equals(runId)) continue;
      RunFiles files = runs.computeIfAbsent(runId, k -> new RunFiles());
      if (name.endsWith(FaultJournal.LOCK)) {
        files.lock = p;
      } else if (name.endsWith(FaultJournal.TMP)) {
        files.temps.add(p);
      } else {
        try {
          files.records.put(p, JournalRecord.decode(Files.readAllBytes(p)));
        } catch (NoSuchFileException gone) {
          // Deleted since the listing: reverted by its run or by another recovery.
        } catch (JournalRecord.Unreadable e) {
          files.unreadable.put(p, e.getMessage());
        } catch (IOException e) {
          files.unreadable.put(p, "cannot read: " + FaultJournal.message(e));
        }
      }
    }
    return runs;
  }

  /** Who wrote a run's files: from a readable record, else from its lock file; null when unknown. */
  private static ProcessIdentity identity(RunFiles files) {
    for (JournalRecord r : files.records.values()) return r.process();
    if (files.lock == null) return null;
    try {
      Map<String, Object> m = JournalRecord.parseObject(Files.readAllBytes(files.lock));
      if (!(m.get("pid") instanceof Long pid)) return null;
      return new ProcessIdentity(pid, String.valueOf(m.getOrDefault("process_start", "")), String.valueOf(m.getOrDefault("boot_id", "")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The PID in a run id ({@code 20261123-030320-4242-9f3ab1c2}), or -1. */
  static long pidInRunId(String runId) {
    String[] parts = runId.split("-");
    if (parts.length < 4) return -1;
    try {
      return Long.parseLong(parts[parts.length - 2]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Takes the lock, waiting up to {@code wait}; null when another process or thread keeps it. */
  private static FileLock lockWithin(FileChannel ch, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        FileLock l = ch.tryLock();
        if (l != null) return l;
      } catch (OverlappingFileLockException sameJvm) {
        // Another thread of this JVM recovers the run; wait for it like for another process.
      }
      if (System.nanoTime() >= deadline) return null;
      sleep(Duration.ofMillis(20));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }
}
