package dev.faultline.docs;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether Docker tests run in this module (docs examples marked {@code # requires: docker}, container
 * crash tests): skipped with one line when run-tests found no engine
 * ({@code -Dfaultline.skipDocker=true}) or, outside CI, when no engine answers or the test image is
 * missing; in CI ({@code CI=true}) that fails them. The same rule as the stdlib's Docker tests.
 */
public final class DockerTests {
  public static final String IMAGE = "faultline/busybox:test";
  private static volatile String verdict;

  private DockerTests() {}

  /** Null when Docker tests can run, else why not. Asked once per JVM. */
  static synchronized String whyNot() {
    if (verdict == null) {
      if (Boolean.getBoolean("faultline.skipDocker")) {
        verdict = "run-tests found no Docker engine (-Dfaultline.skipDocker=true)";
      } else if (!succeeds("docker", "info")) {
        verdict = "no Docker engine answers (./run-tests starts one as root)";
      } else if (!succeeds("docker", "image", "inspect", IMAGE)) {
        verdict = "the Docker engine has no image " + IMAGE + " (build it with .ci/docker-image.sh)";
      } else {
        verdict = "";
      }
      if (!verdict.isEmpty()) System.err.println("Docker tests skipped: " + verdict);
    }
    return verdict.isEmpty() ? null : verdict;
  }

  public static void assumeEngine() {
    String why = whyNot();
    if (why == null) return;
    if ("true".equals(System.getenv("CI")) && !Boolean.getBoolean("faultline.skipDocker")) Assertions.fail("CI may skip nothing: " + why);
    Assumptions.abort("Docker tests skipped: " + why);
  }

  private static boolean succeeds(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
