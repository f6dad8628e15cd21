package dev.faultline.stdlib.docker;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;

/**
 * Docker containers: {@code docker.container(name)} and {@code docker.containers(label: …)} name
 * containers on the engine at {@code DOCKER_HOST} (by default {@code unix:///var/run/docker.sock}).
 * The connection is opened on first use and shared by every value this library hands out.
 */
public final class DockerLibrary implements Library {
  private final Engine engine = new Engine();

  @HostFunction(name = "docker.container", effect = Effect.PURE, doc = "Names a Docker container by name or id. Naming"
      + " touches nothing: readers (state, running, healthy) ask the engine, injectors (pause, stop, kill) act on it.")
  public ContainerTarget container(@Arg(name = "name", doc = "the container's name or id") String name) {
    if (name.isBlank()) throw new HostError("docker.container() needs a name, got an empty string");
    return new ContainerTarget(engine, name.strip());
  }

  @HostFunction(name = "docker.containers", effect = Effect.PURE, doc = "Names the containers carrying a label, running or"
      + " not, looked up each time they are read: a group to select from with kill(count:, percent:, seed:).")
  public ContainerGroup containers(
      @Arg(name = "label", doc = "\"key=value\", or \"key\" for any value: \"tier=backend\"") String label) {
    if (label.isBlank()) throw new HostError("docker.containers() needs a label, got an empty string", "e.g. docker.containers(label: \"tier=backend\")");
    return new ContainerGroup(engine, label.strip());
  }

  @HostFunction(name = "docker.available", effect = Effect.PROBE, doc = "Whether a Docker engine answers at DOCKER_HOST"
      + " (or /var/run/docker.sock).")
  public boolean available() {
    return engine.answers();
  }
}
