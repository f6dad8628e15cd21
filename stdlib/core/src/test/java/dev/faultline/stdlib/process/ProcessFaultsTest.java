package dev.faultline.stdlib.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.source.Position;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Process injectors on real {@code sleep} processes started by the test. Each test uses a command
 * line of its own ({@code sleep 9xxx.yyyy}), so that processes of other runs on the machine are never
 * touched, and checks states by reading {@code /proc} itself. Every wait is bounded.
 */
class ProcessFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<String> commands = new ArrayList<>();
  private final List<Process> started = new ArrayList<>();
  private final Notes notes = new Notes();

  @BeforeAll
  static void linuxOnly() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
  }

  /** Ends every process this test started, and every process running one of its command lines. */
  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : started) {
      kill(p.pid(), "CONT");
      p.destroyForcibly();
    }
    for (String c : commands) for (long pid : pidsRunning(c)) {
      kill(pid, "CONT");
      kill(pid, "KILL");
    }
    for (String c : commands) assertTrue(waitFor(() -> pidsRunning(c).isEmpty()), "left running: " + c);
  }

  private String uniqueSleep() {
    String c = "sleep " + ThreadLocalRandom.current().nextInt(9000, 9999) + "." + ThreadLocalRandom.current().nextInt(1000, 9999);
    commands.add(c);
    return c;
  }

  private Process startSleep(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command.split(" ")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    started.add(p);
    assertTrue(waitFor(() -> state(p.pid()) == 'S'), "sleep did not start");
    return p;
  }

  // ------------------------------------------------------------ stop

  @Test
  void stopReallyStopsAndTheRevertResumes() throws Exception {
    String command = uniqueSleep();
    Process p = startSleep(command);
    Fault fault = new ProcessLibrary().process(p.pid(), null).stop();
    assertEquals("process.stop", fault.kind());
    fault.inject(notes);
    assertEquals('T', state(p.pid()), "SIGSTOP stops it");
    assertTrue(fault.describe().contains(p.pid() + " (" + command + ")"), fault.describe());
    fault.inject(notes); // twice: still just stopped
    assertEquals('T', state(p.pid()));

    fault.revert(notes);
    assertNotEquals('T', state(p.pid()), "SIGCONT resumes it");
    assertTrue(p.isAlive());
    fault.revert(notes); // twice: harmless
    assertNotEquals('T', state(p.pid()));
  }

  @Test
  void aRecovererResumesFromTheRecordAlone() throws Exception {
    Process p = startSleep(uniqueSleep());
    Fault fault = new ProcessLibrary().process(p.pid(), null).stop();
    Map<String, Object> record = throughJson(fault.undoRecord());
    assertEquals(p.pid(), ((Number) record.get("pid")).longValue());
    assertEquals(startTicks(p.pid()), ((Number) record.get("start_time")).longValue());
    fault.inject(notes);
    assertEquals('T', state(p.pid()));

    recovererFor("process.stop").revert("process.stop", record);
    assertNotEquals('T', state(p.pid()));
    recovererFor("process.stop").revert("process.stop", record);
    assertTrue(p.isAlive());
  }

  @Test
  void aReusedPidIsNotResumed() throws Exception {
    Process p = startSleep(uniqueSleep());
    Fault fault = new ProcessLibrary().process(p.pid(), null).stop();
    Map<String, Object> record = new HashMap<>(throughJson(fault.undoRecord()));
    fault.inject(notes);
    // The record of a process that had this PID before: same PID, another start time.
    record.put("start_time", ((Number) record.get("start_time")).longValue() - 1);
    TargetChanged e = assertThrows(TargetChanged.class, () -> new ProcessRecoverer().revert("process.stop", record));
    assertTrue(e.getMessage().contains("now belongs to another process"), e.getMessage());
    assertEquals('T', state(p.pid()), "the process now holding the PID is left alone");
    fault.revert(notes);
    assertNotEquals('T', state(p.pid()));
  }

  @Test
  void aProcessThatExitedWhileStoppedNeedsNothing() throws Exception {
    Process p = startSleep(uniqueSleep());
    Fault fault = new ProcessLibrary().process(p.pid(), null).stop();
    fault.inject(notes);
    p.destroyForcibly();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    fault.revert(notes);
    assertTrue(notes.text().contains("nothing to resume"), notes.text());
  }

  @Test
  void aProcessStoppedBySomeoneElseIsRefused() throws Exception {
    Process p = startSleep(uniqueSleep());
    kill(p.pid(), "STOP");
    assertTrue(waitFor(() -> state(p.pid()) == 'T'));
    Fault fault = new ProcessLibrary().process(p.pid(), null).stop();
    Map<String, Object> record = throughJson(fault.undoRecord());
    assertEquals(true, record.get("was_stopped"));
    HostError e = assertThrows(HostError.class, () -> fault.inject(notes));
    assertTrue(e.getMessage().contains("already stopped"), e.getMessage());
    fault.revert(notes); // the lifecycle reverts a failed inject: it must not resume it
    assertEquals('T', state(p.pid()));
    new ProcessRecoverer().revert("process.stop", record); // nor must recover
    assertEquals('T', state(p.pid()));
  }

  @Test
  void aPidNamedProcessIsPinnedAtTheFirstLook() throws Exception {
    Process p = startSleep(uniqueSleep());
    ProcessTarget t = new ProcessLibrary().process(p.pid(), null);
    assertTrue(t.running());
    assertEquals("sleeping", t.state());
    p.destroyForcibly();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertFalse(t.running());
    assertEquals("gone", t.state());
    HostError e = assertThrows(HostError.class, () -> t.stop().inject(notes));
    assertTrue(e.getMessage().contains("exited"), e.getMessage());
  }

  // ------------------------------------------------------------ kill

  @Test
  void killThenRestartBringsTheCommandBack() throws Exception {
    String command = uniqueSleep();
    Process p = startSleep(command);
    ProcessTarget t = new ProcessLibrary().process(null, command);
    assertEquals(p.pid(), t.pid());
    Fault fault = t.kill("KILL", command, Duration.ofSeconds(10));
    assertEquals("process.kill", fault.kind());
    fault.inject(notes);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "killed");
    assertFalse(t.running());
    assertEquals(List.of(), pidsRunning(command));

    fault.revert(notes);
    List<Long> back = pidsRunning(command);
    assertEquals(1, back.size(), "restarted once: " + back);
    assertNotEquals(p.pid(), back.get(0));
    assertTrue(t.running(), "a process named by command line follows the restart");
    assertEquals(back.get(0), t.pid());
    fault.revert(notes); // twice: not a second copy
    assertEquals(back, pidsRunning(command));
  }

  @Test
  void aRecovererRestartsFromTheRecordAlone() throws Exception {
    String command = uniqueSleep();
    Process p = startSleep(command);
    Fault fault = new ProcessLibrary().process(p.pid(), null).kill("TERM", command, Duration.ofSeconds(10));
    Map<String, Object> record = throughJson(fault.undoRecord());
    assertEquals("TERM", record.get("signal"));
    assertEquals(command, record.get("restart"));
    assertEquals(command, record.get("command"));
    fault.inject(notes);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "SIGTERM ends sleep");

    recovererFor("process.kill").revert("process.kill", record);
    assertEquals(1, pidsRunning(command).size());
    recovererFor("process.kill").revert("process.kill", record);
    assertEquals(1, pidsRunning(command).size(), "recover twice: still one");
  }

  @Test
  void killWithoutRestartRevertsToANote() throws Exception {
    String command = uniqueSleep();
    Process p = startSleep(command);
    Fault fault = new ProcessLibrary().process(p.pid(), null).kill("KILL", "", Duration.ofSeconds(10));
    fault.inject(notes);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "killed");
    fault.revert(notes);
    assertTrue(notes.text().contains("stays down"), notes.text());
    assertEquals(List.of(), pidsRunning(command));
  }

  @Test
  void aRestartThatFailsIsReported() throws Exception {
    String command = uniqueSleep();
    Process p = startSleep(command);
    Fault fault = new ProcessLibrary().process(p.pid(), null).kill("KILL", "exit 3", Duration.ofSeconds(10));
    fault.inject(notes);
    IOException e = assertThrows(IOException.class, () -> fault.revert(notes));
    assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
    Fault slow = new ProcessLibrary().process(startSleep(uniqueSleep()).pid(), null).kill("KILL", "true", Duration.ofMillis(300));
    slow.inject(notes);
    e = assertThrows(IOException.class, () -> slow.revert(notes));
    assertTrue(e.getMessage().contains("did not bring back"), e.getMessage());
  }

  @Test
  void aProcessThatSurvivedTheSignalIsNotRestarted() throws Exception {
    String command = uniqueSleep();
    Process p = startSleep(command);
    Fault fault = new ProcessLibrary().process(p.pid(), null).kill("KILL", command, Duration.ofSeconds(10));
    Map<String, Object> record = fault.undoRecord();
    // Never injected: the original still runs, so there is nothing to bring back.
    new ProcessRecoverer().revert("process.kill", record);
    assertEquals(List.of(p.pid()), pidsRunning(command));
  }

  // ------------------------------------------------------------ naming

  @Test
  void aCommandLineMustNameExactlyOneProcess() throws Exception {
    String command = uniqueSleep();
    ProcessTarget t = new ProcessLibrary().process(null, command);
    assertFalse(t.running());
    HostError none = assertThrows(HostError.class, () -> t.stop().undoRecord());
    assertTrue(none.getMessage().contains("no such process"), none.getMessage());
    startSleep(command);
    startSleep(command);
    HostError two = assertThrows(HostError.class, () -> t.stop().undoRecord());
    assertTrue(two.getMessage().startsWith("2 processes run"), two.getMessage());
    assertThrows(HostError.class, () -> new ProcessLibrary().process(null, null));
    assertThrows(HostError.class, () -> new ProcessLibrary().process(1L, "x"));
    assertThrows(HostError.class, () -> t.kill("STOP", "", Duration.ofSeconds(1)));
    assertEquals("process.kill", t.kill("sigterm", "", Duration.ofSeconds(1)).kind());
  }

  @Test
  void statFieldsAreCountedFromTheLastParenthesis() {
    ProcFs.Stat s = ProcFs.parseStat(42, "42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 123456 1000 50");
    assertEquals('S', s.state());
    assertEquals(123456, s.startTicks());
  }

  @Test
  void spawnSplitsWordsLikeAShell() {
    assertEquals(List.of("sleep", "60"), ProcessLibrary.words("  sleep   60 "));
    assertEquals(List.of("sh", "-c", "echo 'hi' there"), ProcessLibrary.words("sh -c \"echo 'hi' there\""));
    assertEquals(List.of("a b", "c\"d"), ProcessLibrary.words("'a b' c\\\"d"));
    assertThrows(HostError.class, () -> ProcessLibrary.words("echo 'open"));
  }

  @Test
  void theRecoverersAreRegistered() {
    assertEquals(ProcessRecoverer.class, recovererFor("process.stop").getClass());
    assertEquals(ProcessRecoverer.class, recovererFor("process.kill").getClass());
  }

  // ------------------------------------------------------------ helpers, independent of the code under test

  /** Field 3 of /proc/<pid>/stat, or '?' when the process is gone. */
  static char state(long pid) {
    String[] f = statFields(pid);
    return f == null ? '?' : f[0].charAt(0);
  }

  static long startTicks(long pid) {
    return Long.parseLong(statFields(pid)[19]);
  }

  private static String[] statFields(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null;
    }
  }

  /** Processes whose /proc/<pid>/cmdline is exactly {@code command}, zombies excluded. */
  static List<Long> pidsRunning(String command) {
    List<Long> out = new ArrayList<>();
    File[] entries = new File("/proc").listFiles();
    if (entries == null) return out;
    for (File e : entries) {
      if (!e.getName().matches("\\d+")) continue;
      try {
        String line = new String(Files.readAllBytes(e.toPath().resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        long pid = Long.parseLong(e.getName());
        if (line.equals(command) && state(pid) != 'Z') out.add(pid);
      } catch (IOException gone) {
        // exited while listed
      }
    }
    return out;
  }

  static void kill(long pid, String signal) throws Exception {
    new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
  }

  static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) return true;
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }

  private static FaultRecoverer recovererFor(String kind) {
    return ServiceLoader.load(FaultRecoverer.class).stream().map(ServiceLoader.Provider::get)
        .filter(r -> r.kinds().contains(kind)).findFirst().orElseThrow();
  }

  static Map<String, Object> throughJson(Map<String, Object> record) throws IOException {
    return JSON.readValue(JSON.writeValueAsBytes(record), new TypeReference<Map<String, Object>>() {});
  }

  /** A call context that keeps what faults log. */
  static final class Notes implements CallContext {
    private final List<String> lines = new ArrayList<>();

    public Position at() { return Position.NONE; }
    public void sleep(Duration d) { CallContext.detached().sleep(d); }
    public void checkInterrupted() { }
    public synchronized void log(String message) { lines.add(message); }
    public void own(AutoCloseable resource, String description) { }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }

  @Test
  void aHostErrorForAReusedPidCarriesTargetChanged() throws Exception {
    Process p = startSleep(uniqueSleep());
    ProcessFault fault = (ProcessFault) new ProcessLibrary().process(p.pid(), null).stop();
    fault.inject(notes);
    // Simulate reuse: the revert reads its own record, so swap in one with a wrong start time.
    Map<String, Object> wrong = new HashMap<>(fault.undoRecord());
    wrong.put("start_time", 1L);
    TargetChanged tc = assertThrows(TargetChanged.class, () -> ProcessUndo.revertStop(wrong, notes::log));
    assertInstanceOf(TargetChanged.class, tc);
    fault.revert(notes);
    assertNotEquals('T', state(p.pid()));
  }
}
