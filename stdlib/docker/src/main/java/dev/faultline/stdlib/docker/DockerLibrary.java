package dev.faultline.stdlib.docker;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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

  @HostFunction(name = "docker.run", effect = Effect.ACTION, requires = Capability.DOCKER, doc = "Creates and starts a"
      + " container from a local image (nothing is pulled) and returns it. It belongs to the playbook, scenario or step"
      + " that started it, and is removed when that scope ends.")
  public ContainerTarget run(
      @Arg(name = "image", doc = "a local image, e.g. \"faultline/busybox:test\"") String image,
      @Arg(name = "command", doc = "the command, as a list of words; empty: the image's own", byDefault = "[]") List<Object> command,
      @Arg(name = "name", doc = "the container's name; empty: faultline- and random hex digits", byDefault = "\"\"") String name,
      @Arg(name = "labels", doc = "labels to set, e.g. {\"tier\": \"backend\"}", byDefault = "{}") Map<String, Object> labels,
      @Arg(name = "network", doc = "the network mode: \"host\", \"none\", \"bridge\" or a network's name", byDefault = "\"host\"") String network,
      CallContext ctx) {
    if (image.isBlank()) throw new HostError("docker.run() needs an image, got an empty string");
    List<String> argv = new ArrayList<>();
    for (Object word : command) {
      if (!(word instanceof String w)) throw new HostError("docker.run(): 'command' must be a list of strings, got " + Values.showNested(word) + " in it");
      argv.add(w);
    }
    Map<String, String> l = new LinkedHashMap<>();
    labels.forEach((k, v) -> l.put(k, String.valueOf(v)));
    String n = name.isBlank() ? "faultline-" + Long.toHexString(ThreadLocalRandom.current().nextLong(1L << 32, 1L << 40)) : name.strip();
    String id = engine.run(image.strip(), n, argv, l, network.strip());
    ctx.own(() -> engine.remove(id), "container " + n);
    ctx.log("started container " + n + " (" + ContainerUndo.shortId(id) + ") from " + image);
    return new ContainerTarget(engine, n);
  }

  @HostFunction(name = "docker.available", effect = Effect.PROBE, doc = "Whether a Docker engine answers at DOCKER_HOST"
      + " (or /var/run/docker.sock).")
  public boolean available() {
    return engine.answers();
  }
}
