package dev.faultline.stdlib.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.ByteSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stress faults with real loads, kept small and short (one worker, 64MiB, 16MiB; bounds of a few
 * seconds), with both engines: stress-ng (skipped with one line when run-tests found none,
 * -Dfaultline.skipStressNg=true) and the built-in worker. Loads are observed through /proc.
 */
class StressFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1 << 20;
  private final StressLibrary stress = new StressLibrary();
  private final CallContext ctx = CallContext.detached();
  private Fault active;

  @BeforeAll
  static void linuxOnly() {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
  }

  @AfterEach
  void revertLeftovers() throws Exception {
    if (active != null) active.revert(ctx);
  }

  private static void assumeStressNg() {
    if (Boolean.getBoolean("faultline.skipStressNg")) Assumptions.abort("stress-ng tests skipped: run-tests found no stress-ng (-Dfaultline.skipStressNg=true)");
    if (StressEngine.stressNg() == null) {
      if ("true".equals(System.getenv("CI"))) org.junit.jupiter.api.Assertions.fail("CI may skip nothing: stress-ng is not installed");
      Assumptions.abort("stress-ng tests skipped: stress-ng is not installed (apt-get install stress-ng)");
    }
  }

  private static String tag(Fault f) {
    return (String) f.undoRecord().get("tag");
  }

  /** CPU time (user + system, in clock ticks) of the tagged processes. */
  private static long cpuTicks(String tag) throws Exception {
    long total = 0;
    for (long pid : Tagged.find(tag)) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (java.io.IOException gone) {
        // exited meanwhile
      }
    }
    return total;
  }

  private void cpuLoadRunsAndEnds(String engine) throws Exception {
    Fault f = active = stress.cpu(1, Duration.ofSeconds(30), engine);
    assertEquals("stress.cpu", f.kind());
    f.inject(ctx);
    String tag = tag(f);
    assertFalse(Tagged.find(tag).isEmpty(), "a worker runs");
    long before = cpuTicks(tag);
    Thread.sleep(1000);
    long used = cpuTicks(tag) - before;
    // One busy worker for 1s is ~100 ticks; on a shared machine it may get much less. Some is enough.
    assertTrue(used > 10, "the worker used " + used + " ticks of CPU in 1s");
    f.revert(ctx);
    assertTrue(Tagged.find(tag).isEmpty(), "every worker ended");
    f.revert(ctx); // twice: harmless
  }

  @Test
  void cpuWithTheBuiltInWorker() throws Exception {
    cpuLoadRunsAndEnds("builtin");
    assertTrue(stress.cpu(1, Duration.ofSeconds(1), "builtin").describe().contains("with the built-in worker"));
  }

  @Test
  void cpuWithStressNg() throws Exception {
    assumeStressNg();
    cpuLoadRunsAndEnds("stress-ng");
    assertTrue(stress.cpu(1, Duration.ofSeconds(1), "auto").describe().contains("with stress-ng"), "auto picks stress-ng when installed");
  }

  private void memoryIsHeldInAnotherProcess(String engine) throws Exception {
    long selfBefore = ProcessHandle.current().pid();
    Fault f = active = stress.memory(new ByteSize(64 * MIB), Duration.ofSeconds(30), engine);
    f.inject(ctx);
    String tag = tag(f);
    assertTrue(Tagged.residentBytes(tag) >= 57 * MIB, "resident: " + Tagged.residentBytes(tag));
    assertFalse(Tagged.find(tag).contains(selfBefore), "not in the interpreter's process");
    f.revert(ctx);
    assertTrue(Tagged.find(tag).isEmpty());
  }

  @Test
  void memoryWithTheBuiltInWorker() throws Exception {
    memoryIsHeldInAnotherProcess("builtin");
  }

  @Test
  void memoryWithStressNg() throws Exception {
    assumeStressNg();
    memoryIsHeldInAnotherProcess("stress-ng");
  }

  @Test
  void workersEndByThemselvesAtTheirBound() throws Exception {
    Fault f = active = stress.cpu(1, Duration.ofSeconds(1), "builtin");
    f.inject(ctx);
    String tag = tag(f);
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!Tagged.find(tag).isEmpty() && System.nanoTime() < end) Thread.sleep(50);
    assertTrue(Tagged.find(tag).isEmpty(), "the worker outlived its bound of 1s");
  }

  @Test
  void diskFillIsWrittenAndRemovedWithTheDirectoriesMadeForIt(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("a/b");
    Fault f = active = stress.disk(new ByteSize(16 * MIB), dir.toString());
    Path file = Path.of((String) f.undoRecord().get("path"));
    f.inject(ctx);
    assertEquals(16 * MIB, Files.size(file));
    assertTrue(file.startsWith(dir));
    f.revert(ctx);
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(tmp.resolve("a")), "directories made for the fill are removed");
    assertTrue(Files.exists(tmp));
  }

  @Test
  void theRecovererEndsWorkersAndRemovesFillsFromTheRecordAlone(@TempDir Path tmp) throws Exception {
    Fault cpu = active = stress.cpu(1, Duration.ofSeconds(30), "builtin");
    Fault disk = stress.disk(new ByteSize(MIB), tmp.resolve("fill").toString());
    Map<String, Object> cpuRecord = throughJson(cpu.undoRecord());
    Map<String, Object> diskRecord = throughJson(disk.undoRecord());
    cpu.inject(ctx);
    disk.inject(ctx);
    recovererFor("stress.cpu").revert("stress.cpu", cpuRecord);
    recovererFor("stress.disk").revert("stress.disk", diskRecord);
    assertTrue(Tagged.find((String) cpuRecord.get("tag")).isEmpty());
    assertFalse(Files.exists(tmp.resolve("fill")));
    recovererFor("stress.cpu").revert("stress.cpu", cpuRecord); // twice: harmless
  }

  @Test
  void limitsAreRefusedBeforeAnythingStarts() {
    int cores = Runtime.getRuntime().availableProcessors();
    HostError tooMany = assertThrows(HostError.class, () -> stress.cpu(4L * cores + 1, Duration.ofSeconds(1), "builtin"));
    assertTrue(tooMany.getMessage().contains("refuses " + (4 * cores + 1) + " workers"), tooMany.getMessage());
    HostError tooMuch = assertThrows(HostError.class, () -> stress.memory(new ByteSize(Long.MAX_VALUE / 2), Duration.ofSeconds(1), "builtin"));
    assertTrue(tooMuch.getMessage().contains("available"), tooMuch.getMessage());
    HostError engine = assertThrows(HostError.class, () -> stress.cpu(1, Duration.ofSeconds(1), "turbo"));
    assertTrue(engine.getMessage().contains("unknown stress engine"), engine.getMessage());
    HostError disk = assertThrows(HostError.class, () -> stress.disk(new ByteSize(Long.MAX_VALUE / 2), "."));
    assertTrue(disk.getMessage().contains("free"), disk.getMessage());
  }

  private static FaultRecoverer recovererFor(String kind) {
    return ServiceLoader.load(FaultRecoverer.class).stream().map(ServiceLoader.Provider::get)
        .filter(r -> r.kinds().contains(kind)).findFirst().orElseThrow();
  }

  static Map<String, Object> throughJson(Map<String, Object> record) throws Exception {
    return JSON.readValue(JSON.writeValueAsBytes(record), new TypeReference<Map<String, Object>>() {});
  }
}
