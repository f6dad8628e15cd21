package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the seed playbook tests share: running a playbook under playbooks/, explaining a result,
 * free ports, and the same skip rules as the other tests (stress-ng, PostgreSQL, Docker), kept here
 * so that the seed tests stand on their own.
 */
final class SeedRuns {
  static final Path PLAYBOOKS = Path.of("../playbooks");
  static final Faultline FAULTLINE = Faultline.builder().standardLibrary().build();

  private SeedRuns() {}

  static RunResult run(String file, RunOptions options) {
    return FAULTLINE.run(PLAYBOOKS.resolve(file), options);
  }

  /** A component under playbooks/components, as an absolute path (the tests run in stdlib/). */
  static String component(String name) {
    return PLAYBOOKS.resolve("components").resolve(name).toAbsolutePath().normalize().toString();
  }

  static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message() + " " + s.records()
            + s.steps().stream().map(st -> "\n  " + st.name() + ": " + st.status() + " " + st.message()).collect(Collectors.joining()))
            .collect(Collectors.joining("\n"));
  }

  static ScenarioResult scenario(RunResult r, String id, Status status) {
    ScenarioResult s = r.scenario(id).orElseThrow(() -> new AssertionError("no scenario " + id + ": " + explain(r)));
    assertEquals(status, s.status(), id + ": " + explain(r));
    return s;
  }

  static void messageHas(ScenarioResult s, String part) {
    assertTrue(s.message().contains(part), s.id() + ": expected \"" + part + "\" in: " + s.message());
  }

  static Duration duration(ScenarioResult s, String record) {
    Object v = s.records().get(record);
    assertTrue(v instanceof Duration, s.id() + ": " + record + " is not a duration: " + s.records());
    return (Duration) v;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A free port, for a supplier that may not throw; 0 (never a valid port for the playbooks) when none is found. */
  static int freePortOrZero() {
    try {
      return freePort();
    } catch (Exception e) {
      return 0;
    }
  }

  static boolean stressNgAvailable() {
    return !Boolean.getBoolean("faultline.skipStressNg") && onPath("stress-ng");
  }

  static void assumeStressNg() {
    Assumptions.assumeFalse(Boolean.getBoolean("faultline.skipStressNg"), "stress-ng tests skipped (-Dfaultline.skipStressNg=true)");
    if (!onPath("stress-ng")) throw new AssertionError("this test needs stress-ng (apt-get install stress-ng); or skip it with -Dfaultline.skipStressNg=true");
  }

  static void assumePostgres() {
    Assumptions.assumeFalse(Boolean.getBoolean("faultline.skip.postgres"), "PostgreSQL tests skipped (-Dfaultline.skip.postgres=true)");
    boolean found = onPath("initdb") && onPath("pg_ctl") || libPostgresql();
    if (!found) throw new AssertionError("this test needs the PostgreSQL server programs (apt-get install postgresql); or skip it with -Dfaultline.skip.postgres=true");
  }

  /** True when a Docker engine answers and has the test image; false skips nothing, the playbook reports it. */
  static boolean dockerEngine() {
    if (Boolean.getBoolean("faultline.skipDocker") || !onPath("docker")) return false;
    return quietly("docker", "info") && quietly("docker", "image", "inspect", "faultline/busybox:test");
  }

  private static boolean libPostgresql() {
    Path lib = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(lib)) return false;
    try (Stream<Path> versions = Files.list(lib)) {
      return versions.anyMatch(v -> Files.isExecutable(v.resolve("bin/pg_ctl")));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  private static boolean quietly(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
