package dev.faultline.stdlib.postgres;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import java.util.Optional;

/**
 * A stopped server of a local cluster: {@code pg_ctl stop -m fast|immediate}, reverted by starting
 * it again, or, with {@code rejoin} and another node primary by then, by re-cloning it as that
 * node's replica. Idempotent both ways. Its journal record is empty: the cluster belongs to this
 * process, and a cluster left by a killed process is removed by the next {@code postgres.local()}.
 */
final class ServerStop implements Fault {
  private final ClusterNode node;
  private final String mode;
  private final boolean rejoin;
  private volatile boolean stopped;

  ServerStop(ClusterNode node, String mode, boolean rejoin) {
    this.node = node;
    this.mode = mode;
    this.rejoin = rejoin;
  }

  @Override
  public String kind() {
    return "postgres.stop";
  }

  @Override
  public String target() {
    return node.name() + " (" + node.address() + ")";
  }

  @Override
  public String describe() {
    return "stop " + target() + " with " + mode + " shutdown";
  }

  @Override
  public String plan() {
    return describe() + "; started again when the scope ends" + (rejoin ? ", as a replica of the node promoted meanwhile if any" : "");
  }

  @Override
  public void inject(CallContext context) {
    if (stopped) return;
    stopped = true;
    node.server().stop(mode);
  }

  @Override
  public void revert(CallContext context) throws Exception {
    if (!stopped) return;
    LocalServer s = node.server();
    if (!s.isRunning()) {
      Optional<ClusterNode> primary = rejoin ? node.cluster().currentPrimary() : Optional.empty();
      if (primary.isPresent() && primary.get() != node) {
        node.cluster().rejoin(node, primary.get().server());
        context.log(node.name() + " rejoined as a replica of " + primary.get().name());
      } else {
        s.start();
      }
    }
    stopped = false;
  }

  @Override
  public String toString() {
    return describe();
  }
}
