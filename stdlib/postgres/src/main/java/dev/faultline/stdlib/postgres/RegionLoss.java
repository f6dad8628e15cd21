package dev.faultline.stdlib.postgres;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A lost region: every server of a local cluster stopped with immediate shutdown and its data
 * directory moved aside ({@code node1} to {@code node1.lost}, inside the cluster's own directory and
 * nowhere else), so neither the servers nor their data can be reached; the WAL archive and the base
 * backups stay. Reverted, the directories are moved back and the servers started, as a region that
 * returns. Idempotent both ways. Its journal record is empty: the cluster belongs to this process,
 * and one left by a killed process is removed by the next {@code postgres.local()}.
 */
final class RegionLoss implements Fault {
  private final LocalCluster cluster;
  private final List<ClusterNode> nodes;
  private volatile boolean lost;
  /** The servers this loss stopped (those running when it began): the revert starts these again. */
  private final java.util.Set<ClusterNode> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

  RegionLoss(LocalCluster cluster, List<ClusterNode> nodes) {
    this.cluster = cluster;
    this.nodes = nodes;
  }

  @Override
  public String kind() {
    return "postgres.lose";
  }

  @Override
  public String target() {
    return "cluster " + cluster.name() + " (" + nodes.stream().map(n -> n.name() + " " + n.address()).collect(Collectors.joining(", ")) + ")";
  }

  @Override
  public String describe() {
    return "lose " + target() + ": servers crashed, data directories moved aside";
  }

  @Override
  public String plan() {
    return describe() + "; the archive and backups are kept; moved back and started again when the scope ends";
  }

  @Override
  public void inject(CallContext context) throws Exception {
    if (lost) return;
    lost = true;
    // The loss begins with the first server going down: a restore's RTO counts from here.
    cluster.markLost(System.nanoTime());
    for (ClusterNode n : nodes) {
      if (!n.server().isRunning()) continue;
      stopped.add(n);
      n.server().stop("immediate");
    }
    for (ClusterNode n : nodes) n.server().moveAside();
  }

  /** Also after an injection that failed half-way: whatever was moved comes back, whatever was stopped starts. */
  @Override
  public void revert(CallContext context) throws Exception {
    if (!lost) return;
    if (cluster.isClosed()) {
      lost = false; // removed with its scope already: nothing left to bring back
      return;
    }
    for (ClusterNode n : nodes) n.server().moveBack();
    for (ClusterNode n : nodes) {
      if (stopped.contains(n) && !n.server().isRunning()) n.server().start();
    }
    stopped.clear();
    cluster.markLost(0);
    lost = false;
  }

  @Override
  public String toString() {
    return describe();
  }
}
