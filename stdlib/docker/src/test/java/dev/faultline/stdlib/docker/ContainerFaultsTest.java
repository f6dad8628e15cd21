package dev.faultline.stdlib.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.fault.BlastRadius;
import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.source.Position;
import dev.faultline.value.Percent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Container injectors, selections and the recoverer against a real Docker engine, on busybox
 * containers this test starts (unique names and labels) and removes. States are read with the
 * engine's own API, not through the code under test.
 */
class ContainerFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestContainers docker;
  private final DockerLibrary library = new DockerLibrary();
  private final Notes notes = new Notes(BlastRadius.UNLIMITED);

  @BeforeEach
  void engine() {
    TestContainers.assumeEngine();
    docker = new TestContainers();
  }

  @AfterEach
  void cleanUp() {
    if (docker != null) docker.close();
  }

  @Test
  void pauseFreezesAndTheRevertUnpauses() throws Exception {
    String name = docker.sleeper("pause", Map.of());
    Fault fault = library.container(name).pause();
    assertEquals("docker.pause", fault.kind());
    fault.inject(notes);
    assertEquals("paused", docker.state(name));
    assertEquals("paused", library.container(name).state());
    fault.inject(notes); // twice: still paused
    fault.revert(notes);
    assertEquals("running", docker.state(name));
    fault.revert(notes); // twice: harmless
    assertEquals("running", docker.state(name));
  }

  @Test
  void killStopsItAndTheRevertStartsItAgain() throws Exception {
    String name = docker.sleeper("kill", Map.of());
    Fault fault = library.container(name).kill("SIGKILL", Duration.ofSeconds(10));
    fault.inject(notes);
    assertEquals("exited", docker.state(name));
    assertTrue(fault.describe().contains("kill container " + name + " with SIGKILL"), fault.describe());
    fault.revert(notes);
    assertEquals("running", docker.state(name));
    assertTrue(notes.text().contains("started container " + name), notes.text());
  }

  @Test
  void stopStopsItAndTheRevertStartsItAgain() throws Exception {
    String name = docker.sleeper("stop", Map.of());
    Fault fault = library.container(name).stop(Duration.ZERO, Duration.ofSeconds(10));
    fault.inject(notes);
    assertEquals("exited", docker.state(name));
    fault.revert(notes);
    assertEquals("running", docker.state(name));
  }

  @Test
  void aContainerThatIsNotRunningIsRefusedAndLeftAlone() throws Exception {
    String name = docker.sleeper("down", Map.of());
    docker.client.stopContainerCmd(name).withTimeout(0).exec();
    Fault fault = library.container(name).pause();
    HostError e = assertThrows(HostError.class, () -> fault.inject(notes));
    assertTrue(e.getMessage().contains("it is exited, not running"), e.getMessage());
    fault.revert(notes);
    assertEquals("exited", docker.state(name), "the revert of a refused fault starts nothing");
  }

  @Test
  void theRecovererUndoesFromTheRecordAlone() throws Exception {
    String paused = docker.sleeper("rec-pause", Map.of());
    String killed = docker.sleeper("rec-kill", Map.of());
    Fault pause = library.container(paused).pause();
    Fault kill = library.container(killed).kill("KILL", Duration.ofSeconds(10));
    Map<String, Object> pauseRecord = throughJson(pause.undoRecord());
    Map<String, Object> killRecord = throughJson(kill.undoRecord());
    assertEquals(docker.id(paused), ((List<?>) pauseRecord.get("containers")).stream()
        .map(m -> ((Map<?, ?>) m).get("id")).findFirst().orElseThrow());
    pause.inject(notes);
    kill.inject(notes);

    recovererFor("docker.pause").revert("docker.pause", pauseRecord);
    recovererFor("docker.kill").revert("docker.kill", killRecord);
    assertEquals("running", docker.state(paused));
    assertEquals("running", docker.state(killed));
    recovererFor("docker.kill").revert("docker.kill", killRecord); // twice: harmless
    assertEquals("running", docker.state(killed));
  }

  @Test
  void aContainerRecreatedUnderTheSameNameIsNotTouched() throws Exception {
    String name = docker.sleeper("recreated", Map.of());
    Fault kill = library.container(name).kill("KILL", Duration.ofSeconds(10));
    Map<String, Object> record = throughJson(kill.undoRecord());
    kill.inject(notes);
    docker.remove(name);
    docker.sleeper("recreated", Map.of()); // same name, new id
    docker.client.stopContainerCmd(name).withTimeout(0).exec();

    TargetChanged changed = assertThrows(TargetChanged.class, () -> recovererFor("docker.kill").revert("docker.kill", record));
    assertTrue(changed.getMessage().contains("no longer exists"), changed.getMessage());
    assertEquals("exited", docker.state(name), "the new container is left alone");
    HostError e = assertThrows(HostError.class, () -> kill.revert(notes));
    assertInstanceOf(TargetChanged.class, e.getCause());
  }

  @Test
  void aSeedChoosesTheSameContainersEveryTime() throws Exception {
    String label = docker.prefix + "=web";
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= 4; i++) names.add(docker.sleeper("web" + i, Map.of(docker.prefix, "web")));
    ContainerGroup group = library.containers(label);
    assertEquals(4, group.size());
    assertEquals(names, group.names());

    Set<String> first = chosen(group.kill(2L, null, 42L, "KILL", Duration.ofSeconds(10)));
    Set<String> again = chosen(group.kill(null, new Percent(50), 42L, "KILL", Duration.ofSeconds(10)));
    assertEquals(2, first.size());
    assertEquals(first, again, "the same seed over the same group chooses the same containers");
    boolean anotherSeedDiffers = false;
    for (long seed = 1; seed <= 20 && !anotherSeedDiffers; seed++) {
      anotherSeedDiffers = !chosen(group.kill(2L, null, seed, "KILL", Duration.ofSeconds(10))).equals(first);
    }
    assertTrue(anotherSeedDiffers, "other seeds choose other containers");

    Fault kill = group.kill(1L, null, 7L, "KILL", Duration.ofSeconds(10));
    kill.inject(notes);
    assertEquals(3, group.running());
    assertTrue(kill.describe().contains("1 of 4 containers labelled " + label + ", seed 7"), kill.describe());
    assertTrue(notes.text().contains("(seed 7)"), notes.text());
    kill.revert(notes);
    assertTrue(group.allRunning());
  }

  @Test
  void aSelectionAboveTheBlastRadiusIsRefusedBeforeAnythingIsTouched() throws Exception {
    String label = docker.prefix + "=api";
    for (int i = 1; i <= 4; i++) docker.sleeper("api" + i, Map.of(docker.prefix, "api"));
    ContainerGroup group = library.containers(label);
    Notes limited = new Notes(BlastRadius.of(new Percent(30), "max_blast_radius in profile 'prod'"));

    Fault two = group.kill(2L, null, 1L, "KILL", Duration.ofSeconds(10));
    two.undoRecord();
    BlastRadius.Refused refused = assertThrows(BlastRadius.Refused.class, () -> two.inject(limited));
    assertTrue(refused.getMessage().contains("would affect 2 of 4 containers labelled " + label + " (50%), above the limit of 30%"),
        refused.getMessage());
    two.revert(limited);
    assertEquals(4, group.running(), "nothing was killed");

    Fault one = group.kill(null, new Percent(30), 1L, "KILL", Duration.ofSeconds(10)); // 30% of 4 rounds down to 1
    one.inject(limited);
    assertEquals(3, group.running());
    one.revert(limited);
    assertEquals(4, group.running());
  }

  @Test
  void execRunsACommandInside() throws Exception {
    String name = docker.sleeper("exec", Map.of());
    ExecResult r = library.container(name).exec(List.of("sh", "-c", "echo hello; exit 3"), Duration.ofSeconds(10));
    assertEquals(3, r.exitCode());
    assertEquals("hello\n", r.output());
    assertTrue(library.container(name).exec("true", Duration.ofSeconds(10)).ok());
  }

  @Test
  void restartAndStartAreActions() throws Exception {
    String name = docker.sleeper("actions", Map.of());
    String before = docker.client.inspectContainerCmd(name).exec().getState().getStartedAt();
    library.container(name).restart(Duration.ZERO, Duration.ofSeconds(10));
    assertEquals("running", docker.state(name));
    assertNotEquals(before, docker.client.inspectContainerCmd(name).exec().getState().getStartedAt());
    docker.client.stopContainerCmd(name).withTimeout(0).exec();
    library.container(name).start(Duration.ofSeconds(10));
    assertEquals("running", docker.state(name));
  }

  @Test
  void anUnknownContainerIsAClearError() {
    HostError e = assertThrows(HostError.class, () -> library.container(docker.prefix + "-nothing").pause().inject(notes));
    assertTrue(e.getMessage().startsWith("no container named '" + docker.prefix + "-nothing'"), e.getMessage());
    assertEquals("gone", library.container(docker.prefix + "-nothing").state());
  }

  private static Set<String> chosen(Fault fault) {
    return ((List<?>) fault.undoRecord().get("containers")).stream().map(m -> (String) ((Map<?, ?>) m).get("name"))
        .collect(Collectors.toSet());
  }

  private static FaultRecoverer recovererFor(String kind) {
    return ServiceLoader.load(FaultRecoverer.class).stream().map(ServiceLoader.Provider::get)
        .filter(r -> r.kinds().contains(kind)).findFirst().orElseThrow();
  }

  static Map<String, Object> throughJson(Map<String, Object> record) throws Exception {
    return JSON.readValue(JSON.writeValueAsBytes(record), new TypeReference<Map<String, Object>>() {});
  }

  /** A call context that keeps what faults log, with a blast radius limit. */
  static final class Notes implements CallContext {
    private final List<String> lines = new ArrayList<>();
    private final BlastRadius limit;

    Notes(BlastRadius limit) {
      this.limit = limit;
    }

    public Position at() { return Position.NONE; }
    public void sleep(Duration d) { CallContext.detached().sleep(d); }
    public void checkInterrupted() { }
    public synchronized void log(String message) { lines.add(message); }
    public void own(AutoCloseable resource, String description) { }
    public BlastRadius blastRadius() { return limit; }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }
}
