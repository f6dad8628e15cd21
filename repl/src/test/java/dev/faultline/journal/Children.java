package dev.faultline.journal;

import dev.faultline.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Real {@code faultline} processes for the journal's tests: {@code java -cp <this test class path>
 * dev.faultline.cli.Main …}, so that the test fault and its recoverer are found as the standard
 * library's would be. Output goes to a file, never a pipe: the watchdog inherits standard error and
 * would keep a pipe open after its parent is killed.
 */
final class Children {
  private Children() {}

  /** This JVM's class path with every entry absolute: children run in other directories. */
  static final String CLASS_PATH = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
      .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static volatile Path archive;

  /** The outcome of a command run in this JVM. */
  record Outcome(int exit, String out, String err) {}

  /** Runs {@code faultline args…} in this JVM; no watchdog (the command does not own the process). */
  static Outcome inProcess(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(args, o, e, Map.of());
    }
    return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Starts {@code faultline args…} as a child process in {@code dir}, output to {@code log}. */
  static Process start(Path dir, Path log, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(JAVA);
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData"));
    Path jsa = archive;
    if (jsa != null) cmd.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", CLASS_PATH, "dev.faultline.cli.Main"));
    cmd.addAll(Arrays.asList(args));
    return new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
  }

  /**
   * Makes child JVMs start faster: one run with {@code -XX:ArchiveClassesAtExit} dumps the classes
   * a run and a watchdog load into a dynamic class-data sharing archive that later children map.
   * Best effort: without it the children are only slower. Shared by every test class of this JVM.
   */
  static synchronized void prepareArchive(Path work) {
    if (archive != null) return;
    try {
      Path dir = Files.createDirectories(work.resolve("cds"));
      Path jsa = dir.resolve("children.jsa");
      Files.writeString(dir.resolve("f.txt"), "x");
      Path pb = Files.writeString(dir.resolve("warm.fl"), """
          playbook "warm" {
            scenario "s" { step "t" { inject testfile.replace(path: "%s", text: "y") } }
          }
          """.formatted(dir.resolve("f.txt")));
      Process p = start(dir, dir.resolve("log.txt"), List.of("-XX:ArchiveClassesAtExit=" + jsa),
          "run", pb.toString(), "--journal", dir.resolve("journal").toString(), "--report-dir", dir.resolve("r").toString(),
          "--no-watchdog");
      if (p.waitFor() == 0 && Files.size(jsa) > 0) archive = jsa;
    } catch (IOException | InterruptedException e) {
      // Children start without the archive.
    }
  }

  /** The watchdog child of a faultline process, if it has one now. */
  static Optional<ProcessHandle> watchdogOf(ProcessHandle parent) {
    return parent.children()
        .filter(c -> dev.faultline.fault.ProcessIdentity.arguments(c.pid()).contains("dev.faultline.fault.Watchdog"))
        .findFirst();
  }

  /**
   * Whether a watchdog has finished starting: its input thread ({@code faultline-watchdog-input},
   * started once the recovery path is warm) shows in {@code /proc} under its 15-letter native name.
   */
  static boolean watchdogReady(ProcessHandle watchdog) {
    Path tasks = Path.of("/proc", Long.toString(watchdog.pid()), "task");
    try (Stream<Path> s = Files.list(tasks)) {
      for (Path t : s.toList()) {
        if (read(t.resolve("comm")).strip().equals("faultline-watch")) return true;
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** SIGSTOP: the process stays, frozen, so it cannot react to what happens next (start a new watchdog). */
  static void freeze(long pid) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-STOP", Long.toString(pid)).inheritIO().start().waitFor();
  }

  /** SIGKILL, and waits until the process is gone. */
  static void kill(ProcessHandle p) {
    p.destroyForcibly();
    try {
      p.onExit().get();
    } catch (Exception e) {
      throw new IllegalStateException("could not wait for " + p.pid(), e);
    }
  }

  /** The journal's record files (not lock files, not set-aside records). */
  static List<Path> records(Path journal) {
    if (!Files.isDirectory(journal)) return List.of();
    try (Stream<Path> s = Files.list(journal)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".record")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file in the journal directory, sub-directories excluded. */
  static List<String> files(Path journal) {
    if (!Files.isDirectory(journal)) return List.of();
    try (Stream<Path> s = Files.list(journal)) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls {@code condition} every millisecond; false when {@code limit} passed first. */
  static boolean await(BooleanSupplier condition, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) return false;
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "<" + e + ">";
    }
  }
}
