package dev.faultline.stdlib.docker;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The containers that carry a label ({@code docker.containers(label: "tier=backend")}), looked up
 * each time they are read, like a Kubernetes label selector. Its injectors take a random but
 * reproducible selection of the running members ({@code count} or {@code percent}, with a seed
 * printed in the fault's description and the run's log), checked against the run's blast radius
 * before anything is touched. Thread-safe.
 */
@HostType(name = "containers", doc = "The Docker containers carrying a label: count them, and pause, stop or kill a seeded random selection of them.")
public final class ContainerGroup implements HostValue {
  private final Engine engine;
  private final String label;

  ContainerGroup(Engine engine, String label) {
    this.engine = engine;
    this.label = label;
  }

  /** "containers labelled tier=backend", as the blast radius and descriptions name the group. */
  String words() {
    return "containers labelled " + label;
  }

  private List<Engine.Seen> members() {
    return engine.withLabel(label);
  }

  // ------------------------------------------------------------ readers

  @HostFunction(name = "label", effect = Effect.PURE, doc = "The label given to docker.containers().")
  public String label() {
    return label;
  }

  @HostFunction(name = "size", effect = Effect.PROBE, doc = "How many containers carry the label now, running or not.")
  public long size() {
    return members().size();
  }

  @HostFunction(name = "names", effect = Effect.PROBE, doc = "Their names, sorted.")
  public List<Object> names() {
    return members().stream().map(s -> (Object) s.name()).toList();
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "How many of them run now.")
  public long running() {
    return members().stream().filter(Engine.Seen::isRunning).count();
  }

  @HostFunction(name = "all_running", effect = Effect.PROBE, doc = "Whether the group has members and every one of them"
      + " runs: `await backend.all_running within 30s`.")
  public boolean allRunning() {
    List<Engine.Seen> m = members();
    return !m.isEmpty() && m.stream().allMatch(Engine.Seen::isRunning);
  }

  @HostFunction(name = "all_healthy", effect = Effect.PROBE, doc = "Whether the group has members and every one of them is"
      + " healthy (runs, and its health check, if any, says healthy).")
  public boolean allHealthy() {
    List<Engine.Seen> m = members();
    return !m.isEmpty() && m.stream().allMatch(Engine.Seen::isHealthy);
  }

  @HostFunction(name = "container", effect = Effect.PURE, doc = "One member by name, as docker.container(name).")
  public ContainerTarget container(@Arg(name = "name", doc = "the container's name") String name) {
    return new ContainerTarget(engine, name);
  }

  // ------------------------------------------------------------ injectors

  @Injector(name = "pause", requires = Capability.DOCKER, doc = "Pauses a seeded random selection of the running members;"
      + " each is unpaused on revert.")
  public Fault pause(
      @Arg(name = "count", doc = "how many to pause", byDefault = "null") Long count,
      @Arg(name = "percent", doc = "what share of the group to pause, rounded down, at least one", byDefault = "null") Percent percent,
      @Arg(name = "seed", doc = "chooses which; null picks one and prints it", byDefault = "null") Long seed) {
    return new ContainerFault(engine, ContainerFault.Op.PAUSE, chooser(selection(count, percent, seed)), "", Duration.ZERO, Duration.ofSeconds(10));
  }

  @Injector(name = "stop", requires = Capability.DOCKER, doc = "Stops a seeded random selection of the running members"
      + " (SIGTERM, then SIGKILL after `grace`); each is started again on revert.")
  public Fault stop(
      @Arg(name = "count", doc = "how many to stop", byDefault = "null") Long count,
      @Arg(name = "percent", doc = "what share of the group to stop, rounded down, at least one", byDefault = "null") Percent percent,
      @Arg(name = "seed", doc = "chooses which; null picks one and prints it", byDefault = "null") Long seed,
      @Arg(name = "grace", doc = "how long each may take to stop after SIGTERM", byDefault = "10s") Duration grace,
      @Arg(name = "timeout", doc = "how long the revert waits until each runs again", byDefault = "10s") Duration timeout) {
    return new ContainerFault(engine, ContainerFault.Op.STOP, chooser(selection(count, percent, seed)), "",
        ContainerTarget.requireGrace(grace), ContainerTarget.requireTimeout("stop", timeout));
  }

  @Injector(name = "kill", requires = Capability.DOCKER, doc = "Sends `signal` to a seeded random selection of the running"
      + " members (pod-kill style); each that no longer runs is started again on revert.")
  public Fault kill(
      @Arg(name = "count", doc = "how many to kill", byDefault = "null") Long count,
      @Arg(name = "percent", doc = "what share of the group to kill, rounded down, at least one", byDefault = "null") Percent percent,
      @Arg(name = "seed", doc = "chooses which; null picks one and prints it", byDefault = "null") Long seed,
      @Arg(name = "signal", doc = "KILL, TERM, INT, HUP, QUIT, ABRT, USR1 or USR2", byDefault = "\"KILL\"") String signal,
      @Arg(name = "timeout", doc = "how long the revert waits until each runs again", byDefault = "10s") Duration timeout) {
    return new ContainerFault(engine, ContainerFault.Op.KILL, chooser(selection(count, percent, seed)),
        ContainerTarget.signal(signal), Duration.ZERO, ContainerTarget.requireTimeout("kill", timeout));
  }

  private static Selection selection(Long count, Percent percent, Long seed) {
    if (count != null && (count < 1 || count > Integer.MAX_VALUE)) throw new HostError("'count' must be at least 1, got " + count);
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    return new Selection(count == null ? null : count.intValue(), percent, s);
  }

  private ContainerFault.Chooser chooser(Selection selection) {
    return new ContainerFault.Chooser() {
      @Override
      public ContainerFault.Chosen choose(Engine e, ContainerFault.Op op) {
        List<Engine.Seen> all = e.withLabel(label);
        if (all.isEmpty()) {
          throw new HostError("no container is labelled " + label + " on the Docker engine at " + e.host(),
              "list them with: docker ps -a --filter label=" + label);
        }
        // Only running members are candidates: the revert starts or unpauses what it chose.
        List<Engine.Seen> candidates = all.stream().filter(Engine.Seen::isRunning).toList();
        int k = selection.howMany(all.size());
        if (k > candidates.size()) {
          throw new HostError("cannot " + op.verb + " " + k + " of the " + words() + ": only " + candidates.size() + " of "
              + all.size() + " run");
        }
        return new ContainerFault.Chosen(selection.choose(candidates, k), words(), all.size(), selection.seed());
      }

      @Override
      public String describe() {
        return selection.words() + " of the " + words() + " (seed " + selection.seed() + ")";
      }
    };
  }

  @Override
  public String show() {
    return words();
  }
}
