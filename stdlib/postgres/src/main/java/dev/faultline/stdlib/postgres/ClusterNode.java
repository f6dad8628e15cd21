package dev.faultline.stdlib.postgres;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import java.time.Duration;
import java.util.Locale;

/**
 * One server of a {@link LocalCluster} as playbooks hold it: its address, its role now, a target on
 * it alone, and what can be done to it (stop it, promote it). Thread-safe.
 */
@HostType(name = "pg_node", doc = "One server of a local PostgreSQL cluster: read its role, stop it, promote it.")
public final class ClusterNode implements HostValue {
  private final LocalCluster cluster;
  private final LocalServer server;
  private final Database db;

  ClusterNode(LocalCluster cluster, LocalServer server) {
    this.cluster = cluster;
    this.server = server;
    this.db = new Database(server.jdbcUrl(), cluster.credentials(), server.name);
  }

  LocalServer server() {
    return server;
  }

  LocalCluster cluster() {
    return cluster;
  }

  void closeTargets() {
    db.close();
  }

  @HostFunction(name = "name", effect = Effect.PURE, doc = "node1, node2, …: node1 was started as the primary.")
  public String name() {
    return server.name;
  }

  @HostFunction(name = "port", effect = Effect.PURE, doc = "Its port on 127.0.0.1; the same across stops and restarts.")
  public int port() {
    return server.port;
  }

  @HostFunction(name = "address", effect = Effect.PURE, doc = "\"127.0.0.1:port\", e.g. the upstream of a proxy().")
  public String address() {
    return server.address();
  }

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The JDBC URL of this server alone.")
  public String url() {
    return server.jdbcUrl();
  }

  @HostFunction(name = "db", effect = Effect.PURE, doc = "A pooled target on this server alone (whatever its role).")
  public Database db() {
    return db;
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "Whether its server process runs.")
  public boolean running() {
    return server.isRunning();
  }

  @HostFunction(name = "is_primary", effect = Effect.PROBE, doc = "Whether it runs and accepts writes (not in recovery).")
  public boolean isPrimary() {
    return server.acceptsWrites();
  }

  @HostFunction(name = "role", effect = Effect.PROBE, doc = "\"primary\", \"replica\" or \"stopped\".")
  public String role() {
    if (!server.isRunning()) return "stopped";
    return server.acceptsWrites() ? "primary" : "replica";
  }

  @Injector(name = "stop", requires = Capability.DB, doc = "Stops the server: \"fast\" shutdown (clients are disconnected,"
      + " a checkpoint is written) or \"immediate\" (like a crash: no checkpoint, recovery on the next start). Reverted, it"
      + " starts again; with `rejoin: true`, when another node has become primary meanwhile, it comes back as a replica"
      + " of that node instead (re-cloned with pg_basebackup).")
  public Fault stop(
      @Arg(name = "mode", doc = "\"fast\" or \"immediate\"", byDefault = "\"fast\"") String mode,
      @Arg(name = "rejoin", doc = "on revert, follow a node promoted meanwhile instead of starting as a second primary",
          byDefault = "false") boolean rejoin) {
    String m = mode.strip().toLowerCase(Locale.ROOT);
    if (!m.equals("fast") && !m.equals("immediate")) {
      throw new HostError("stop() needs a mode of \"fast\" or \"immediate\", got \"" + mode + "\"",
          "\"immediate\" is the crash-like one");
    }
    return new ServerStop(this, m, rejoin);
  }

  @HostFunction(name = "promote", effect = Effect.ACTION, requires = Capability.DB, doc = "Promotes this replica with"
      + " pg_promote() and returns how long until it accepted writes; the other running replicas then follow it. Not a"
      + " fault: a promotion has no undo. What brings the cluster back to one primary and its replicas is the revert of the"
      + " old primary's stop(rejoin: true).")
  public Duration promote(
      @Arg(name = "wait", doc = "how long pg_promote() may take", byDefault = "60s") Duration wait) {
    long t0 = System.nanoTime();
    cluster.promote(this, (int) Math.max(1, wait.toSeconds()));
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @Override
  public String show() {
    return "pg_node " + server.name + " at " + server.address() + " in cluster " + cluster.name();
  }

  @Override
  public String toString() {
    return show();
  }
}
