package dev.faultline.journal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Chaos on the chaos tool: real {@code faultline run} processes replace files (with the test
 * fault), each is killed with SIGKILL at a random moment, then either its watchdog reverts the
 * faults on its own, or the watchdog is killed too and {@code faultline recover} does. An auditor
 * that uses none of Faultline's code (file bytes and SHA-256) then checks every file is
 * byte-identical to what it was before the run, and that the journal is empty.
 *
 * <p>The playbook never lets a timed revert ({@code for 5ms}) race a new inject on the same file:
 * when the timer is late, the new fault reads the old fault's content as the original, and no
 * order of reverts can then restore the file. That hazard belongs to overlapping faults on one
 * target, not to crashes, and is left out of this experiment.
 *
 * <p>Used by {@code ChaosTest} (50 runs in the test suite) and {@code ChaosSoak} (bench/soak.sh).
 * No JUnit here, so that the soak runs from a plain {@code java} command.
 */
final class Chaos {
  static final int FILES = 6;

  /** The playbook every run executes: overlapping faults on the same files, timed reverts, a failing inject. */
  static final String PLAYBOOK = """
      playbook "chaos" {
        param dir = "."
        scenario "a" {
          inject testfile.replace(path: "${dir}/f0.bin", text: "a-0")
          step "one" {
            inject testfile.replace(path: "${dir}/f1.bin", text: "a-1")
            inject testfile.replace(path: "${dir}/f2.bin", text: "a-2") for 15ms
            wait 25ms
            inject testfile.replace(path: "${dir}/f0.bin", text: "a-0 again")
            wait 10ms
          }
          step "two" {
            for i in [3, 4, 5] {
              inject testfile.replace(path: "${dir}/f${i}.bin", text: "a-${i}")
              wait 5ms
            }
            inject testfile.replace(path: "${dir}/f3.bin", text: "a-3 twice") for 10ms
            wait 20ms
          }
        }
        scenario "b" {
          step "three" {
            for i in [0, 1, 2, 3, 4, 5] { inject testfile.replace(path: "${dir}/f${i}.bin", text: "b-${i}") }
            wait 30ms
          }
          step "four" {
            inject testfile.replace(path: "${dir}/f5.bin", text: "b-5", delay: 20ms)
            inject testfile.replace(path: "${dir}/f4.bin", text: "b-4", fail_after: true)
          }
        }
        scenario "c" {
          step "five" {
            repeat 5 {
              let f = inject testfile.replace(path: "${dir}/f1.bin", text: "c")
              wait 5ms
              revert f
            }
          }
        }
        scenario "d" {
          step "hold" {
            for i in [0, 2, 4] { inject testfile.replace(path: "${dir}/f${i}.bin", text: "d-${i}") }
            wait 600ms
          }
        }
      }
      """;

  /** What a series of runs found. */
  /**
   * What a series of runs found. {@code readyMillis}: SIGKILL to every file restored, for kills that
   * found the watchdog started and waiting; {@code startingMillis}: the same for kills that came
   * while the watchdog's JVM was still starting (it then recovers as soon as it is up).
   */
  record Report(int runs, int killedWithFaultsInPlace, int endedBeforeTheKill, int byWatchdog, int byRecover,
      int residues, List<Double> readyMillis, List<Double> startingMillis, List<String> residueDetails, Duration took) {

    static double percentile(List<Double> values, double p) {
      if (values.isEmpty()) return Double.NaN;
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String figures(List<Double> values) {
      return "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d)".formatted(percentile(values, 50), percentile(values, 99),
          percentile(values, 100), values.size());
    }

    String summary() {
      return "chaos: %d runs, %d killed with faults in place, %d ended before the kill; recovered by the watchdog %d,"
          .formatted(runs, killedWithFaultsInPlace, endedBeforeTheKill, byWatchdog)
          + " by recover %d; residues %d; SIGKILL to files restored by a ready watchdog %s, by a starting one %s; took %ds"
              .formatted(byRecover, residues, figures(readyMillis), figures(startingMillis), took.toSeconds());
    }
  }

  private final Path work;
  private final long seed;
  private final int lanes;
  private final PrintStream log;

  Chaos(Path work, long seed, int lanes, PrintStream log) {
    this.work = work;
    this.seed = seed;
    this.lanes = lanes;
    this.log = log;
  }

  /** The outcome of one run. */
  private record RunOutcome(boolean faultsInPlace, boolean endedFirst, boolean watchdog, boolean watchdogReady,
      double restoredMillis, List<String> residues) {}

  Report run(int runs) throws Exception {
    long t0 = System.nanoTime();
    Children.prepareArchive(work);
    Path playbook = Files.writeString(work.resolve("chaos.fl"), PLAYBOOK);
    long[] window = calibrate(playbook);
    log.printf("chaos: seed %d, %d runs on %d lanes; first inject after ~%d ms, run over after ~%d ms%n",
        seed, runs, lanes, window[0], window[1]);
    ExecutorService pool = Executors.newFixedThreadPool(lanes);
    List<Future<List<RunOutcome>>> futures = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      final int l = lane;
      futures.add(pool.submit(() -> {
        List<RunOutcome> out = new ArrayList<>();
        for (int i = l; i < runs; i += lanes) out.add(once(playbook, l, i, window));
        return out;
      }));
    }
    List<RunOutcome> all = new ArrayList<>();
    try {
      for (Future<List<RunOutcome>> f : futures) all.addAll(f.get());
    } finally {
      pool.shutdownNow();
    }
    int inPlace = 0;
    int ended = 0;
    int byWatchdog = 0;
    int byRecover = 0;
    List<Double> ready = new ArrayList<>();
    List<Double> starting = new ArrayList<>();
    List<String> residues = new ArrayList<>();
    for (RunOutcome o : all) {
      if (o.faultsInPlace()) inPlace++;
      if (o.endedFirst()) ended++;
      if (!o.endedFirst()) {
        if (o.watchdog()) byWatchdog++;
        else byRecover++;
      }
      if (o.watchdog() && o.faultsInPlace() && o.restoredMillis() >= 0) {
        (o.watchdogReady() ? ready : starting).add(o.restoredMillis());
      }
      residues.addAll(o.residues());
    }
    return new Report(runs, inPlace, ended, byWatchdog, byRecover, residues.size(), ready, starting, residues,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /** One run that is not killed: when the first fault is journaled, and when the run is over (ms from the start). */
  private long[] calibrate(Path playbook) throws Exception {
    Path dir = Files.createDirectories(work.resolve("calibrate"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path journal = dir.resolve("journal");
    writeOriginals(data, new Random(seed));
    long start = System.nanoTime();
    Process p = Children.start(dir, dir.resolve("log.txt"), List.of(), runArgs(playbook, data, journal, dir));
    Children.await(() -> !Children.files(journal).isEmpty() || !p.isAlive(), Duration.ofSeconds(20));
    long first = (System.nanoTime() - start) / 1_000_000;
    p.waitFor();
    long total = (System.nanoTime() - start) / 1_000_000;
    if (p.exitValue() != 1 || !Files.isDirectory(journal)) {
      // The playbook fails one step on purpose (exit 1); anything else means the experiment is broken.
      throw new IllegalStateException("the calibration run did not run the playbook (exit " + p.exitValue() + "):\n"
          + Children.read(dir.resolve("log.txt")));
    }
    return new long[] {first, total};
  }

  private RunOutcome once(Path playbook, int lane, int i, long[] window) throws Exception {
    Random rnd = new Random(seed * 1_000_003 + i);
    Path dir = Files.createDirectories(work.resolve("lane-" + lane));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path journal = dir.resolve("journal");
    List<String> originals = writeOriginals(data, rnd);
    boolean useWatchdog = rnd.nextBoolean();
    // Uniform over the whole life of the process, from a little before the first inject to a little
    // after the run is normally over: kills land in start-up, in every step, in reverts, and after the end.
    long lo = window[0] * 8 / 10;
    long hi = window[1] * 11 / 10;
    long killAt = lo + (long) (rnd.nextDouble() * (hi - lo));

    Path logFile = dir.resolve("run-" + i + ".log");
    long start = System.nanoTime();
    Process p = Children.start(dir, logFile, List.of(), runArgs(playbook, data, journal, dir));
    Children.await(() -> !p.isAlive(), Duration.ofMillis(killAt));
    boolean endedFirst = !p.isAlive();
    boolean faultsInPlace = false;
    boolean ready = false;
    double restored = -1;
    String how;
    if (endedFirst) {
      how = "ended before the kill (exit " + p.exitValue() + ")";
    } else if (useWatchdog) {
      faultsInPlace = !Children.records(journal).isEmpty();
      ready = Children.watchdogOf(p.toHandle()).map(Children::watchdogReady).orElse(false);
      long killed = System.nanoTime();
      Children.kill(p.toHandle());
      boolean ok = Children.await(() -> identical(data, originals) && Children.records(journal).isEmpty(), Duration.ofSeconds(10));
      restored = ok ? (System.nanoTime() - killed) / 1e6 : -1;
      how = "SIGKILL at " + killAt + " ms, " + (ready ? "ready" : "starting") + " watchdog "
          + (ok ? "restored in " + String.format("%.1f", restored) + " ms" : "did not restore");
      // The watchdog exits once it has recovered: wait for it, so that the next run starts clean.
      Children.await(() -> ProcessHandle.allProcesses().noneMatch(h -> isWatchdogOf(h, p.pid())), Duration.ofSeconds(5));
    } else {
      Children.freeze(p.pid());
      faultsInPlace = !Children.records(journal).isEmpty();
      // Not waited for: they stay zombies until their frozen parent is gone and init reaps them.
      p.toHandle().children().forEach(ProcessHandle::destroyForcibly);
      Children.kill(p.toHandle());
      Children.Outcome recover = Children.inProcess("recover", "--journal", journal.toString());
      how = "SIGKILL at " + killAt + " ms with its watchdog, recover exit " + recover.exit();
      if (recover.exit() != 0) how += "\n" + recover.out() + recover.err();
    }
    long took = (System.nanoTime() - start) / 1_000_000;

    List<String> residues = audit(data, originals, journal);
    if (!residues.isEmpty()) {
      String detail = "run " + i + " (seed " + seed + "): " + how + ": " + String.join("; ", residues)
          + "\n--- log ---\n" + Children.read(logFile);
      log.println("chaos: RESIDUE " + detail);
      // Put things back for the next run of this lane, outside Faultline.
      Children.inProcess("recover", "--journal", journal.toString());
      deleteRecords(journal);
      residues = List.of(detail);
    } else {
      Files.deleteIfExists(logFile);
    }
    if (i % 10 == 0) log.println("chaos: run " + i + ": " + how + " (" + took + " ms)");
    return new RunOutcome(faultsInPlace, endedFirst, useWatchdog, ready, restored, residues);
  }

  private static boolean isWatchdogOf(ProcessHandle h, long parent) {
    List<String> args = dev.faultline.fault.ProcessIdentity.arguments(h.pid());
    return args.contains("dev.faultline.fault.Watchdog") && args.contains(Long.toString(parent));
  }

  private static String[] runArgs(Path playbook, Path data, Path journal, Path dir) {
    return new String[] {"run", playbook.toString(), "-p", "dir=" + data, "--journal", journal.toString(),
        "--report-dir", dir.resolve("report").toString()};
  }

  /** Random content, binary and of random length (empty included), for each file; returns their SHA-256. */
  private static List<String> writeOriginals(Path data, Random rnd) throws IOException {
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : s.toList()) Files.delete(p);
    }
    List<String> hashes = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      byte[] bytes = new byte[rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3000)];
      rnd.nextBytes(bytes);
      Files.write(data.resolve("f" + f + ".bin"), bytes);
      hashes.add(sha256(bytes));
    }
    return hashes;
  }

  private static boolean identical(Path data, List<String> originals) {
    for (int f = 0; f < FILES; f++) {
      try {
        if (!sha256(Files.readAllBytes(data.resolve("f" + f + ".bin"))).equals(originals.get(f))) return false;
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** The auditor: plain bytes and hashes, nothing of Faultline's. */
  private static List<String> audit(Path data, List<String> originals, Path journal) throws IOException {
    List<String> residues = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      Path file = data.resolve("f" + f + ".bin");
      String now = Files.exists(file) ? sha256(Files.readAllBytes(file)) : "missing";
      if (!now.equals(originals.get(f))) residues.add(file.getFileName() + " differs from its original");
    }
    for (Path r : Children.records(journal)) residues.add("journal record left: " + r.getFileName());
    // The test injector's own temporary files, from a kill in the middle of its atomic write: not Faultline's.
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tfl-tmp")).toList()) Files.delete(p);
    }
    return residues;
  }

  private static void deleteRecords(Path journal) {
    for (Path r : Children.records(journal)) {
      try {
        Files.delete(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
