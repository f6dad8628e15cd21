package dev.faultline.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sample project under docs/examples/junit is built with its own Maven build against the
 * installed Faultline artifacts, exactly as a user's project would be, and its tests must pass.
 * ./run-tests builds with `mvn install`, so the artifacts of this very build are installed by the
 * time this module's tests run (the reactor builds module after module).
 */
class JUnitSampleProjectTest {
  static final Path SAMPLE = DocExamplesTest.ROOT.resolve("docs/examples/junit");

  @Test
  void theSampleProjectBuildsAndItsChaosTestsPass() throws Exception {
    Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
    Path installed = repo.resolve("dev/faultline/faultline-junit/0.1.0-SNAPSHOT");
    assumeTrue(Files.isDirectory(installed) || "true".equals(System.getenv("CI")),
        "the Faultline artifacts are not installed in " + repo + ": run ./run-tests (it builds with mvn install)");
    Path reports = SAMPLE.resolve("target/surefire-reports");
    deleteTree(SAMPLE.resolve("target"));
    List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-f", SAMPLE.resolve("pom.xml").toString(), "verify"));
    if (System.getProperty("maven.repo.local") != null) cmd.add("-Dmaven.repo.local=" + repo);
    Path log = Files.createTempFile("sample-build", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
    if (!ended) p.destroyForcibly();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(ended, "the sample build did not end in 5 minutes:\n" + output);
    assertEquals(0, p.exitValue(), "the sample build failed:\n" + output);
    int tests = 0, failures = 0;
    try (Stream<Path> xml = Files.list(reports)) {
      for (Path f : (Iterable<Path>) xml.filter(x -> x.getFileName().toString().startsWith("TEST-"))::iterator) {
        String head = Files.readString(f);
        tests += attr(head, "tests");
        failures += attr(head, "failures") + attr(head, "errors");
      }
    }
    assertEquals(3, tests, "the sample has two playbook scenarios and one test of its own");
    assertEquals(0, failures);
  }

  /**
   * The sample depends on faultline-junit and faultline-stdlib only, so its class path must hold
   * none of the heavy dependencies that live in the optional modules.
   */
  @Test
  void theSampleProjectsClassPathHasNoGraalJsDockerJavaOrJdbc() throws Exception {
    Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
    assumeTrue(Files.isDirectory(repo.resolve("dev/faultline/faultline-junit/0.1.0-SNAPSHOT")) || "true".equals(System.getenv("CI")),
        "the Faultline artifacts are not installed in " + repo + ": run ./run-tests (it builds with mvn install)");
    Path out = Files.createTempFile("sample-classpath", ".txt");
    List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-f", SAMPLE.resolve("pom.xml").toString(),
        "dependency:build-classpath", "-Dmdep.includeScope=test", "-Dmdep.outputFile=" + out));
    if (System.getProperty("maven.repo.local") != null) cmd.add("-Dmaven.repo.local=" + repo);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "mvn dependency:build-classpath did not end");
    assertEquals(0, p.exitValue(), "mvn dependency:build-classpath failed");
    String classPath = Files.readString(out);
    assertTrue(classPath.contains("faultline-stdlib"), classPath);
    for (String heavy : List.of("/org/graalvm/", "/com/github/docker-java/", "/org/postgresql/", "/com/zaxxer/", "/redis/clients/")) {
      assertTrue(!classPath.contains(heavy), "the sample's class path holds " + heavy + ":\n" + classPath.replace(':', '\n'));
    }
  }

  private static int attr(String xml, String name) {
    Matcher m = Pattern.compile("<testsuite [^>]*\\b" + name + "=\"(\\d+)\"").matcher(xml);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
