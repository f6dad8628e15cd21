package dev.faultline.stdlib.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.faultline.host.HostError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a Docker engine: {@code DOCKER_HOST} when set, else
 * {@code unix:///var/run/docker.sock}. Opened on first use, so that naming containers and dry runs
 * never need an engine. Every engine failure becomes a {@link HostError} that names the engine and
 * what to do. Thread-safe (docker-java's client is).
 */
final class Engine implements AutoCloseable {
  /** Rationale: a stop waits up to its own timeout on the engine's side, so responses may take long. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(90);

  private DockerClient client;
  private String host;

  /** What a container is now: its full id, name (without '/'), state word, health word and labels. */
  record Seen(String id, String name, String state, String health, int restarts, Map<String, String> labels) {
    boolean isRunning() {
      return state.equals("running");
    }

    boolean isPaused() {
      return state.equals("paused");
    }

    /** Healthy: its health check says so, or it runs and has no health check. */
    boolean isHealthy() {
      return health.equals("none") ? isRunning() : health.equals("healthy") && isRunning();
    }
  }

  /** Output and exit status of a command run inside a container. */
  record ExecOutcome(long exitCode, String output) {}

  private synchronized DockerClient client() {
    if (client == null) {
      DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
      host = config.getDockerHost().toString();
      ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
          .dockerHost(config.getDockerHost())
          .sslConfig(config.getSSLConfig())
          .connectionTimeout(Duration.ofSeconds(5))
          .responseTimeout(RESPONSE_TIMEOUT)
          .build();
      client = DockerClientImpl.getInstance(config, http);
    }
    return client;
  }

  /** The engine's address, for messages. */
  synchronized String host() {
    client();
    return host;
  }

  /** Whether an engine answers a ping. */
  boolean answers() {
    try {
      client().pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The container with this name or id, or empty when the engine has none. */
  Optional<Seen> find(String nameOrId) {
    try {
      return Optional.of(seen(client().inspectContainerCmd(nameOrId).exec()));
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw unreachable("look at container '" + nameOrId + "'", e);
    }
  }

  /** The container, or a HostError saying there is none. */
  Seen require(String nameOrId) {
    return find(nameOrId).orElseThrow(() -> new HostError("no container named '" + nameOrId + "' on the Docker engine at " + host(),
        "list them with: docker ps -a"));
  }

  /** Every container (running or not) with the label {@code key=value} (or just {@code key}), sorted by name. */
  List<Seen> withLabel(String label) {
    try {
      List<Container> found = client().listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec();
      return found.stream()
          .map(c -> find(c.getId()))
          .flatMap(Optional::stream)
          .sorted(Comparator.comparing(Seen::name))
          .toList();
    } catch (HostError e) {
      throw e;
    } catch (RuntimeException e) {
      throw unreachable("list the containers labelled " + label, e);
    }
  }

  private static Seen seen(InspectContainerResponse r) {
    InspectContainerResponse.ContainerState s = r.getState();
    String state = s.getStatus() == null ? "unknown" : s.getStatus().toLowerCase(Locale.ROOT);
    String health = s.getHealth() == null || s.getHealth().getStatus() == null ? "none" : s.getHealth().getStatus().toLowerCase(Locale.ROOT);
    String name = r.getName() == null ? r.getId() : r.getName().replaceFirst("^/", "");
    Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of() : Map.copyOf(r.getConfig().getLabels());
    int restarts = r.getRestartCount() == null ? 0 : r.getRestartCount();
    return new Seen(r.getId(), name, state, health, restarts, labels);
  }

  // ------------------------------------------------------------ actions

  /** Creates and starts a container from a local image (nothing is pulled); returns its id. */
  String run(String image, String name, List<String> argv, Map<String, String> labels, String network) {
    String id;
    try {
      var create = client().createContainerCmd(image).withName(name).withLabels(labels)
          .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode(network));
      if (!argv.isEmpty()) create = create.withCmd(argv.toArray(String[]::new));
      id = create.exec().getId();
    } catch (NotFoundException e) {
      throw new HostError("the Docker engine at " + host() + " has no image '" + image + "' (nothing is pulled)",
          "build or pull it first: docker image ls");
    } catch (com.github.dockerjava.api.exception.ConflictException e) {
      throw new HostError("a container named '" + name + "' already exists", "remove it (docker rm -f " + name + ") or choose another name");
    } catch (DockerException e) {
      throw new HostError("cannot create a container from " + image + ": " + message(e));
    } catch (RuntimeException e) {
      throw unreachable("create a container from " + image, e);
    }
    try {
      start(id);
    } catch (HostError e) {
      remove(id);
      throw e;
    }
    return id;
  }

  /** Removes a container, running or not; nothing when it is gone already. */
  void remove(String id) {
    try {
      client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // gone already
    } catch (DockerException e) {
      throw new HostError("cannot remove container " + id + ": " + message(e));
    } catch (RuntimeException e) {
      throw unreachable("remove container " + id, e);
    }
  }

  void kill(String id, String signal) {
    act("kill", id, () -> client().killContainerCmd(id).withSignal(signal).exec());
  }

  void stop(String id, Duration grace) {
    act("stop", id, () -> client().stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec());
  }

  void start(String id) {
    act("start", id, () -> client().startContainerCmd(id).exec());
  }

  void restart(String id, Duration grace) {
    act("restart", id, () -> client().restartContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec());
  }

  void pause(String id) {
    act("pause", id, () -> client().pauseContainerCmd(id).exec());
  }

  void unpause(String id) {
    act("unpause", id, () -> client().unpauseContainerCmd(id).exec());
  }

  /** Runs {@code argv} in the container, waits up to {@code timeout}, and returns its exit status and output. */
  ExecOutcome exec(String id, List<String> argv, Duration timeout) {
    try {
      String execId = client().execCreateCmd(id).withCmd(argv.toArray(String[]::new))
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
      StringBuilder out = new StringBuilder();
      ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
        @Override
        public void onNext(Frame frame) {
          synchronized (out) {
            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
          }
        }
      };
      client().execStartCmd(execId).exec(callback);
      boolean done;
      try {
        done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.faultline.host.Interrupted("interrupted");
      } finally {
        try {
          callback.close();
        } catch (IOException ignored) {
          // the stream is abandoned either way
        }
      }
      if (!done) throw new HostError("exec: " + String.join(" ", argv) + " did not finish within " + timeout.toMillis() + "ms");
      Long code = client().inspectExecCmd(execId).exec().getExitCodeLong();
      synchronized (out) {
        return new ExecOutcome(code == null ? -1 : code, out.toString());
      }
    } catch (NotFoundException e) {
      throw new HostError("exec: no container '" + id + "' on the Docker engine at " + host());
    } catch (HostError e) {
      throw e;
    } catch (DockerException e) {
      throw new HostError("exec in container " + id + " failed: " + message(e));
    } catch (RuntimeException e) {
      throw unreachable("run a command in container " + id, e);
    }
  }

  /** Runs one engine call; "already in that state" (304) is success, a missing container a HostError. */
  private void act(String verb, String id, Runnable call) {
    try {
      call.run();
    } catch (NotModifiedException e) {
      // already started / stopped: the state asked for holds
    } catch (NotFoundException e) {
      throw new HostError("cannot " + verb + " container " + id + ": the Docker engine has no such container");
    } catch (DockerException e) {
      throw new HostError("cannot " + verb + " container " + id + ": " + message(e));
    } catch (RuntimeException e) {
      throw unreachable(verb + " container " + id, e);
    }
  }

  private HostError unreachable(String what, RuntimeException e) {
    if (e instanceof HostError h) return h;
    if (e instanceof DockerException d) return new HostError("cannot " + what + ": " + message(d));
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return new HostError("cannot " + what + ": the Docker engine at " + host() + " does not answer ("
        + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")",
        "start one (dockerd) or point DOCKER_HOST at it");
  }

  /** The engine's own message, without docker-java's "Status 409: {"message":…}" wrapping. */
  static String message(DockerException e) {
    String m = String.valueOf(e.getMessage());
    int at = m.indexOf("\"message\":\"");
    if (at >= 0) {
      int end = m.indexOf('"', at + 11);
      if (end > at) return m.substring(at + 11, end);
    }
    return m.strip();
  }

  @Override
  public synchronized void close() throws IOException {
    if (client != null) client.close();
    client = null;
  }
}
