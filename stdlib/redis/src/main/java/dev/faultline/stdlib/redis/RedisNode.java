package dev.faultline.stdlib.redis;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import java.util.Locale;

/**
 * One process of a {@link LocalRedis} as playbooks hold it, a server or a Sentinel: its address,
 * its role now, a target on it alone, and the faults that act on its process. Thread-safe.
 */
@HostType(name = "redis_node", doc = "One Redis server or Sentinel of a local cluster: read its role, stop, kill or pause it.")
public final class RedisNode implements HostValue {
  private final LocalRedis cluster;
  private final LocalInstance instance;
  private final RedisTarget redis;

  RedisNode(LocalRedis cluster, LocalInstance instance) {
    this.cluster = cluster;
    this.instance = instance;
    this.redis = new RedisTarget(instance::address, instance.name + " (" + instance.kind.word + ")", null, 0);
  }

  LocalInstance instance() {
    return instance;
  }

  LocalRedis cluster() {
    return cluster;
  }

  void closeTargets() {
    redis.close();
  }

  @HostFunction(name = "name", effect = Effect.PURE, doc = "node1, node2, … for servers (node1 was started as master); sentinel1, … for Sentinels.")
  public String name() {
    return instance.name;
  }

  @HostFunction(name = "kind", effect = Effect.PURE, doc = "\"server\" or \"sentinel\".")
  public String kind() {
    return instance.kind.word;
  }

  @HostFunction(name = "port", effect = Effect.PURE, doc = "Its port on 127.0.0.1; the same across stops and restarts.")
  public long port() {
    return instance.port;
  }

  @HostFunction(name = "address", effect = Effect.PURE, doc = "\"127.0.0.1:port\", e.g. the upstream of a proxy().")
  public String address() {
    return instance.address();
  }

  @HostFunction(name = "redis", effect = Effect.PURE, doc = "A target on this process alone, whatever its role.")
  public RedisTarget redis() {
    return redis;
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "Whether its process exists (paused or not).")
  public boolean running() {
    return instance.isRunning();
  }

  @HostFunction(name = "paused", effect = Effect.PROBE, doc = "Whether its process is stopped by SIGSTOP.")
  public boolean paused() {
    return instance.isPaused();
  }

  @HostFunction(name = "pid", effect = Effect.PROBE, doc = "Its process id; -1 when it does not run.")
  public long pid() {
    return instance.pid().orElse(-1L);
  }

  @HostFunction(name = "role", effect = Effect.PROBE, doc = "\"master\", \"replica\" or \"sentinel\" as it answers (ROLE);"
      + " \"stopped\" when its process does not run, \"paused\" when it is SIGSTOPped, \"down\" when it runs but does not answer.")
  public String role() {
    if (!instance.isRunning()) return "stopped";
    if (instance.isPaused()) return "paused";
    return redis.role();
  }

  @Injector(name = "stop", requires = Capability.DB, doc = "Stops it: \"nosave\" sends SHUTDOWN NOSAVE (a Sentinel gets SIGTERM),"
      + " \"term\" sends SIGTERM (Redis saves first when persistence is on). Reverted, it starts again from its configuration"
      + " on the same port; when Sentinel has failed over meanwhile, Sentinel turns it into a replica of the new master.")
  public Fault stop(@Arg(name = "mode", doc = "\"nosave\" or \"term\"", byDefault = "\"nosave\"") String mode) {
    String m = mode.strip().toLowerCase(Locale.ROOT);
    return switch (m) {
      case "nosave" -> new InstanceDown(this, InstanceDown.Mode.NOSAVE);
      case "term" -> new InstanceDown(this, InstanceDown.Mode.TERM);
      default -> throw new HostError("stop() needs a mode of \"nosave\" or \"term\", got \"" + mode + "\"", "kill() is the crash-like one");
    };
  }

  @Injector(name = "kill", requires = Capability.DB, doc = "Kills it with SIGKILL, like a crash. Reverted, it starts again as after stop().")
  public Fault kill() {
    return new InstanceDown(this, InstanceDown.Mode.KILL);
  }

  @Injector(name = "pause", requires = Capability.DB, doc = "Freezes its process with SIGSTOP: connections stay open and nothing"
      + " answers, as a hung server. Reverted with SIGCONT. A master paused longer than down_after is failed over by Sentinel.")
  public Fault pause() {
    return new InstancePause(this);
  }

  @Override
  public String show() {
    return "redis_node " + instance.name + " (" + instance.kind.word + ") at " + instance.address() + " in cluster " + cluster.name();
  }

  @Override
  public String toString() {
    return show();
  }
}
