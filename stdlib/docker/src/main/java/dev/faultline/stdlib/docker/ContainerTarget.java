package dev.faultline.stdlib.docker;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One Docker container named by {@code docker.container(name)}: readers that ask the engine each
 * time, actions (start, restart, unpause, exec) that act at once, and injectors (pause, stop, kill)
 * that the fault lifecycle injects and reverts. Naming touches nothing. Thread-safe.
 */
@HostType(name = "container", doc = "A Docker container named by docker.container(name): read its state, pause, stop or kill it, run commands in it.")
public final class ContainerTarget implements HostValue {
  /** Signals {@code kill()} accepts; STOP and CONT would fight with pause(). */
  static final Set<String> SIGNALS = Set.of("KILL", "TERM", "INT", "HUP", "QUIT", "ABRT", "USR1", "USR2");

  private final Engine engine;
  private final String name;

  ContainerTarget(Engine engine, String name) {
    this.engine = engine;
    this.name = name;
  }

  private Engine.Seen seen() {
    return engine.require(name);
  }

  // ------------------------------------------------------------ readers

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The name given to docker.container().")
  public String name() {
    return name;
  }

  @HostFunction(name = "id", effect = Effect.PROBE, doc = "The container's id, 12 hex digits as `docker ps` shows it.")
  public String id() {
    return ContainerUndo.shortId(seen().id());
  }

  @HostFunction(name = "state", effect = Effect.PROBE, doc = "What the engine says: \"running\", \"paused\", \"exited\","
      + " \"created\", \"restarting\", \"dead\", or \"gone\" when there is no such container.")
  public String state() {
    return engine.find(name).map(Engine.Seen::state).orElse("gone");
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "Whether the container runs (a paused container does not).")
  public boolean running() {
    return engine.find(name).map(Engine.Seen::isRunning).orElse(false);
  }

  @HostFunction(name = "health", effect = Effect.PROBE, doc = "Its health check's status: \"healthy\", \"unhealthy\","
      + " \"starting\", or \"none\" when it has no health check.")
  public String health() {
    return engine.find(name).map(Engine.Seen::health).orElse("none");
  }

  @HostFunction(name = "healthy", effect = Effect.PROBE, doc = "Whether it runs and its health check says healthy; a"
      + " running container without a health check counts as healthy. Use it with await: `await c.healthy within 30s`.")
  public boolean healthy() {
    return engine.find(name).map(Engine.Seen::isHealthy).orElse(false);
  }

  @HostFunction(name = "restarts", effect = Effect.PROBE, doc = "How many times the engine restarted it (its restart policy's count).")
  public long restarts() {
    return seen().restarts();
  }

  // ------------------------------------------------------------ actions

  @HostFunction(name = "start", effect = Effect.ACTION, requires = Capability.DOCKER, doc = "Starts the container now"
      + " (nothing when it runs) and waits until it runs. Not a fault: nothing reverts it.")
  public void start(@Arg(name = "timeout", doc = "how long to wait until it runs", byDefault = "30s") Duration timeout) {
    Engine.Seen s = seen();
    engine.start(s.id());
    if (!ContainerUndo.waitUntil(() -> engine.find(s.id()).map(Engine.Seen::isRunning).orElse(false), timeout)) {
      throw new HostError("container " + name + " is not running " + Values.show(timeout) + " after start");
    }
  }

  @HostFunction(name = "restart", effect = Effect.ACTION, requires = Capability.DOCKER, doc = "Restarts the container now"
      + " (stop with `grace`, then start) and waits until it runs. Not a fault: nothing reverts it.")
  public void restart(
      @Arg(name = "grace", doc = "how long the stop waits after SIGTERM before SIGKILL", byDefault = "10s") Duration grace,
      @Arg(name = "timeout", doc = "how long to wait until it runs again", byDefault = "30s") Duration timeout) {
    Engine.Seen s = seen();
    engine.restart(s.id(), grace);
    if (!ContainerUndo.waitUntil(() -> engine.find(s.id()).map(Engine.Seen::isRunning).orElse(false), timeout)) {
      throw new HostError("container " + name + " is not running " + Values.show(timeout) + " after restart");
    }
  }

  @HostFunction(name = "unpause", effect = Effect.ACTION, requires = Capability.DOCKER, doc = "Unpauses the container now"
      + " (nothing when it is not paused). A pause() fault is unpaused by its revert; this is for a container paused by"
      + " someone else.")
  public void unpause() {
    Engine.Seen s = seen();
    if (s.isPaused()) engine.unpause(s.id());
  }

  @HostFunction(name = "exec", effect = Effect.ACTION, requires = Capability.DOCKER, doc = "Runs a command in the running"
      + " container (split into words, no shell: use [\"sh\", \"-c\", \"…\"] for one) and returns its exit code and output."
      + " The step does not fail on a non-zero exit code: check `ok` or `exit_code`.")
  public ExecResult exec(
      @Arg(name = "command", doc = "a command line (\"cat /etc/hostname\") or a list of words ([\"sh\", \"-c\", \"ls | wc -l\"])") Object command,
      @Arg(name = "timeout", doc = "how long the command may run", byDefault = "30s") Duration timeout) {
    List<String> argv = words(command);
    Engine.Seen s = seen();
    if (!s.isRunning()) throw new HostError("exec: container " + name + " is " + s.state() + ", not running");
    Engine.ExecOutcome out = engine.exec(s.id(), argv, timeout);
    return new ExecResult(out.exitCode(), out.output());
  }

  static List<String> words(Object command) {
    if (command instanceof String s) {
      List<String> w = List.of(s.strip().split("\\s+"));
      if (s.isBlank()) throw new HostError("exec() needs a command, got an empty string");
      return w;
    }
    if (command instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(String.class::isInstance)) {
      return l.stream().map(String.class::cast).toList();
    }
    throw new HostError("exec() needs a command line or a list of strings, got " + Values.typeOf(command),
        "e.g. exec(\"cat /etc/hostname\") or exec([\"sh\", \"-c\", \"echo $HOSTNAME\"])");
  }

  // ------------------------------------------------------------ injectors

  @Injector(name = "pause", requires = Capability.DOCKER, doc = "Freezes every process of the container (docker pause,"
      + " the cgroup freezer); reverted with unpause. A container that is not running is refused.")
  public Fault pause() {
    return new ContainerFault(engine, ContainerFault.Op.PAUSE, chooser(), "", Duration.ZERO, Duration.ofSeconds(10));
  }

  @Injector(name = "stop", requires = Capability.DOCKER, doc = "Stops the container (SIGTERM, then SIGKILL after `grace`);"
      + " reverted by starting it again and waiting until it runs.")
  public Fault stop(
      @Arg(name = "grace", doc = "how long the container may take to stop after SIGTERM", byDefault = "10s") Duration grace,
      @Arg(name = "timeout", doc = "how long the revert waits until it runs again", byDefault = "10s") Duration timeout) {
    return new ContainerFault(engine, ContainerFault.Op.STOP, chooser(), "", requireGrace(grace), requireTimeout("stop", timeout));
  }

  @Injector(name = "kill", requires = Capability.DOCKER, doc = "Sends `signal` to the container's main process (docker"
      + " kill); for KILL waits until it is gone. Reverted by starting it again when it does not run (its restart policy"
      + " does not act after docker kill).")
  public Fault kill(
      @Arg(name = "signal", doc = "KILL, TERM, INT, HUP, QUIT, ABRT, USR1 or USR2 (with or without SIG)", byDefault = "\"KILL\"") String signal,
      @Arg(name = "timeout", doc = "how long the revert waits until it runs again", byDefault = "10s") Duration timeout) {
    return new ContainerFault(engine, ContainerFault.Op.KILL, chooser(), signal(signal), Duration.ZERO, requireTimeout("kill", timeout));
  }

  static String signal(String signal) {
    String s = signal.strip().toUpperCase(Locale.ROOT);
    if (s.startsWith("SIG")) s = s.substring(3);
    if (!SIGNALS.contains(s)) {
      throw new HostError("kill() cannot send " + Values.showNested(signal),
          s.equals("STOP") || s.equals("CONT") ? "use pause(), which is reverted with unpause" : "signals are KILL, TERM, INT, HUP, QUIT, ABRT, USR1 and USR2");
    }
    return s;
  }

  static Duration requireGrace(Duration grace) {
    if (grace.isNegative()) throw new HostError("stop() needs a 'grace' of 0s or more, got " + Values.show(grace));
    return grace;
  }

  static Duration requireTimeout(String verb, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) throw new HostError(verb + "() needs a positive 'timeout', got " + Values.show(timeout));
    return timeout;
  }

  private ContainerFault.Chooser chooser() {
    return new ContainerFault.Chooser() {
      @Override
      public ContainerFault.Chosen choose(Engine e, ContainerFault.Op op) {
        Engine.Seen s = e.require(name);
        if (!s.isRunning()) {
          // Rationale: the revert starts or unpauses; doing that to a container that was down or
          // paused before the fault would change what someone else chose.
          throw new HostError("cannot " + op.verb + " container " + name + ": it is " + s.state() + ", not running",
              s.isPaused() ? "unpause it first (docker unpause " + name + ") if that was not meant" : "start it first");
        }
        return new ContainerFault.Chosen(List.of(s), "", 1, null);
      }

      @Override
      public String describe() {
        return "container " + name;
      }
    };
  }

  @Override
  public String show() {
    return "container " + name;
  }
}
