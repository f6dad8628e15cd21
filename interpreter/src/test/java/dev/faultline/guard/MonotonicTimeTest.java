package dev.faultline.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Durations use monotonic time, so a wall-clock jump (NTP, a VM resumed, an operator's date
 * command) during a timed fault neither reverts it early nor keeps it late.
 *
 * <p>The system clock cannot be changed from a test, so this is shown structurally, on the
 * compiled code: no class of the evaluator, the run, the guards or the revert path reads the wall
 * clock to measure or wait ({@code System.currentTimeMillis}, {@code Duration.between},
 * {@code Instant.until} and the like; {@code Instant.now()} only stamps events for reports), and the
 * scheduler that reverts timed faults, ends step timeouts and runs guards and {@code max_duration}
 * ({@link java.util.concurrent.ScheduledThreadPoolExecutor}) computes its delays from
 * {@code System.nanoTime}. Waits ({@code wait}, {@code await}, the retries' backoff) loop on
 * {@code System.nanoTime} deadlines. Timestamps shared with other processes (a fault journal, a
 * watchdog) are out of scope: nanoTime means nothing outside its own JVM.
 */
class MonotonicTimeTest {
  /** Calls that turn the wall clock into an elapsed time or a deadline. */
  private static final List<String> WALL_CLOCK_ARITHMETIC = List.of(
      "java/lang/System.currentTimeMillis", "java/time/Duration.between", "java/time/Instant.until",
      "java/time/Instant.toEpochMilli", "java/time/Instant.minus", "java/time/Instant.plus", "java/time/Instant.isBefore",
      "java/time/Instant.isAfter", "java/time/Instant.compareTo", "java/time/Clock.", "java/util/Date.", "java/util/Timer.");

  private static String javap(String... args) {
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow(() -> new AssertionError("javap is not in this JDK"));
    StringWriter out = new StringWriter();
    int code = javap.run(new PrintWriter(out), new PrintWriter(out), args);
    assertEquals(0, code, out.toString());
    return out.toString();
  }

  @Test
  void noInterpreterClassMeasuresTimeWithTheWallClock() throws IOException {
    Path classes = Path.of("target/classes");
    List<String> files;
    try (Stream<Path> s = Files.walk(classes)) {
      files = s.filter(p -> p.toString().endsWith(".class") && measuresTime(classes.relativize(p).toString()))
          .map(Path::toString).sorted().toList();
    }
    assertTrue(files.size() > 30, "compiled classes in " + classes.toAbsolutePath());
    List<String> args = new ArrayList<>(List.of("-c", "-p"));
    args.addAll(files);
    String code = javap(args.toArray(new String[0]));
    List<String> found = new ArrayList<>();
    String currentClass = "";
    for (String line : code.lines().toList()) {
      if (line.startsWith("Compiled from") || line.matches("^(public |final |abstract |sealed |non-sealed )*(class|interface|enum|record) .*")) {
        currentClass = line;
      }
      for (String call : WALL_CLOCK_ARITHMETIC) {
        if (line.contains("Method " + call) || line.contains("InterfaceMethod " + call)) found.add(currentClass + " -> " + line.strip());
      }
    }
    assertEquals(List.of(), found, "durations must come from System.nanoTime");
    assertTrue(code.contains("java/lang/System.nanoTime"));
  }

  /** The classes that wait, time out, schedule or measure: the evaluator, runs, guards and reverts. */
  private static boolean measuresTime(String classFile) {
    return classFile.startsWith("dev/faultline/eval/") || classFile.startsWith("dev/faultline/run/")
        || classFile.startsWith("dev/faultline/guard/") || classFile.startsWith("dev/faultline/fault/FaultLifecycle")
        || classFile.startsWith("dev/faultline/fault/RevertRunner") || classFile.startsWith("dev/faultline/fault/RollbackStack")
        || classFile.startsWith("dev/faultline/fault/ActiveFault");
  }

  @Test
  void theSchedulerComputesDelaysFromNanoTime() {
    // When a task is due (triggerTime) and how long until then (getDelay): both from nanoTime.
    String stpe = javap("-c", "-p", "java.util.concurrent.ScheduledThreadPoolExecutor");
    assertTrue(method(stpe, "long triggerTime(long);").contains("java/lang/System.nanoTime"), stpe);
    String task = javap("-c", "-p", "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask");
    assertTrue(method(task, "public long getDelay(java.util.concurrent.TimeUnit);").contains("java/lang/System.nanoTime"), task);
    assertTrue(!stpe.contains("currentTimeMillis") && !task.contains("currentTimeMillis"), "the scheduler never reads the wall clock");
  }

  /** The bytecode of one method in javap's output. */
  private static String method(String javap, String signature) {
    int at = javap.indexOf(signature);
    assertTrue(at >= 0, "no method " + signature);
    int end = javap.indexOf("\n\n", at);
    return javap.substring(at, end < 0 ? javap.length() : end);
  }

  @Test
  void aTimedFaultIsRevertedAfterItsDurationByTheMonotonicClock() {
    SafetyFaults sys = new SafetyFaults();
    Faultline faultline = Faultline.builder().library(sys).build();
    long t0 = System.nanoTime();
    long[] revertedAt = new long[1];
    RunResult r = faultline.run("t.fl", """
        playbook "t" {
          scenario "s" { step "x" {
            let f = inject sys.fault("timed") for 300ms
            await not f.active within 5s every 10ms
          } }
        }
        """, RunOptions.defaults());
    revertedAt[0] = System.nanoTime() - t0;
    assertEquals(0, r.exitCode());
    assertTrue(revertedAt[0] >= 300_000_000L && revertedAt[0] < 3_000_000_000L, "reverted after " + revertedAt[0] / 1_000_000 + "ms");
    assertEquals(List.of("inject timed", "revert timed on faultline-revert"), sys.log);
  }
}
