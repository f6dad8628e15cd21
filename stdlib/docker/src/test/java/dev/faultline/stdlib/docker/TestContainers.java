package dev.faultline.stdlib.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Containers for tests, on the real engine: busybox containers from the image that
 * {@code .ci/docker-image.sh} builds, named and labelled uniquely per test so that nothing else on
 * the engine is touched, removed by {@link #close}.
 *
 * <p>{@link #assumeEngine} decides whether Docker tests run: skipped with one line when run-tests
 * found no engine ({@code -Dfaultline.skipDocker=true}) or, outside CI, when no engine answers; in CI
 * ({@code CI=true}) a missing engine fails them.
 */
public final class TestContainers implements AutoCloseable {
  static final String IMAGE = "faultline/busybox:test";
  private static volatile Boolean reported;

  public final DockerClient client;
  final String prefix = "fltest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  private final List<String> created = new ArrayList<>();

  public TestContainers() {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
    client = DockerClientImpl.getInstance(config, http);
  }

  /** Skips (or, in CI, fails) the calling test when there is no engine or no test image. */
  public static void assumeEngine() {
    if (Boolean.getBoolean("faultline.skipDocker")) {
      skip("Docker tests skipped: run-tests found no Docker engine (-Dfaultline.skipDocker=true)");
    }
    String why = null;
    try (TestContainers t = new TestContainers()) {
      t.client.pingCmd().exec();
      try {
        t.client.inspectImageCmd(IMAGE).exec();
      } catch (RuntimeException e) {
        why = "the Docker engine has no image " + IMAGE + " (build it with .ci/docker-image.sh)";
      }
    } catch (Exception e) {
      why = "no Docker engine answers at DOCKER_HOST or /var/run/docker.sock (./run-tests starts one as root)";
    }
    if (why == null) return;
    if ("true".equals(System.getenv("CI"))) Assertions.fail("CI may skip nothing: " + why);
    skip("Docker tests skipped: " + why);
  }

  private static void skip(String line) {
    if (reported == null) {
      reported = true;
      System.err.println(line);
    }
    Assumptions.abort(line);
  }

  /** Starts a busybox container running {@code command}, with labels, on the host network. */
  String run(String name, Map<String, String> labels, String... command) {
    String full = prefix + "-" + name;
    String id = client.createContainerCmd(IMAGE).withName(full).withLabels(labels).withCmd(command)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host")).exec().getId();
    created.add(id);
    client.startContainerCmd(id).exec();
    return full;
  }

  /** A long sleep: PID 1 of the container, which only SIGKILL ends. */
  String sleeper(String name, Map<String, String> labels) {
    return run(name, labels, "sleep", "3600");
  }

  String state(String name) {
    try {
      return client.inspectContainerCmd(name).exec().getState().getStatus();
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return "gone";
    }
  }

  String id(String name) {
    return client.inspectContainerCmd(name).exec().getId();
  }

  void remove(String name) {
    client.removeContainerCmd(name).withForce(true).exec();
  }

  @Override
  public void close() {
    for (String id : created) {
      try {
        client.removeContainerCmd(id).withForce(true).exec();
      } catch (RuntimeException ignored) {
        // removed by the test already
      }
    }
    try {
      client.close();
    } catch (java.io.IOException ignored) {
      // closing a socket client
    }
  }
}
