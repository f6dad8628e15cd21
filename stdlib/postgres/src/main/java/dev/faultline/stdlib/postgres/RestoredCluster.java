package dev.faultline.stdlib.postgres;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.measure.DataLoss;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;

/**
 * What {@code backup.restore()} made: a new local cluster, a promoted server and any replicas cloned
 * from it, with the figures
 * of the restore (when it started, when it accepted connections and writes, where the recovery
 * stopped) and the verification of a writer's rows against it. The cluster itself belongs to the
 * scope that restored it. Immutable.
 */
@HostType(name = "pg_restore", doc = "A cluster restored from a base backup and the WAL archive, with the restore's figures;"
    + " verify(writer) checks the writer's acknowledged writes against it.")
public final class RestoredCluster implements HostValue {
  private final LocalCluster cluster;
  private final BaseBackup backup;
  private final RecoveryTarget target;
  private final long startNanos;
  private final long acceptingNanos;
  private final long readyNanos;
  private final long lostNanos;
  private final String reachedLsn;
  private final String reachedTime;
  private final long timeline;

  RestoredCluster(LocalCluster cluster, BaseBackup backup, RecoveryTarget target, long startNanos, long acceptingNanos, long readyNanos,
      long lostNanos, String reachedLsn, String reachedTime, long timeline) {
    this.cluster = cluster;
    this.backup = backup;
    this.target = target;
    this.startNanos = startNanos;
    this.acceptingNanos = acceptingNanos;
    this.readyNanos = readyNanos;
    this.lostNanos = lostNanos;
    this.reachedLsn = reachedLsn;
    this.reachedTime = reachedTime;
    this.timeline = timeline;
  }

  LocalCluster cluster() {
    return cluster;
  }

  RecoveryTarget target() {
    return target;
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "cluster", effect = Effect.PURE, doc = "The new cluster (pg_cluster): node1, the restored server,"
      + " and its replicas node2, … when restore(replicas:) asked for them.")
  public LocalCluster clusterValue() {
    return cluster;
  }

  @HostFunction(name = "db", effect = Effect.PURE, doc = "A pooled target on the restored server, as postgres.")
  public Database db() {
    return cluster.db();
  }

  @HostFunction(name = "app", effect = Effect.PURE, doc = "The same as the role app.")
  public Database app() {
    return cluster.app();
  }

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The JDBC URL of the restored server (node1).")
  public String url() {
    return cluster.nodes().get(0).url();
  }

  @HostFunction(name = "address", effect = Effect.PURE, doc = "\"127.0.0.1:port\" of the restored server: a new free port.")
  public String address() {
    return cluster.nodes().get(0).address();
  }

  @HostFunction(name = "backup", effect = Effect.PURE, doc = "The base backup it was restored from.")
  public BaseBackup backup() {
    return backup;
  }

  @HostFunction(name = "target", effect = Effect.PURE, doc = "The recovery target, in words: \"the latest archived change\","
      + " \"time 2026-11-23T10:30:00.000000Z\", \"restore point before-bad-write\", …")
  public String targetText() {
    return target.describe();
  }

  @HostFunction(name = "started", effect = Effect.PURE, doc = "When the restore started, ISO-8601 in UTC.")
  public String started() {
    return WallClock.iso(WallClock.at(startNanos));
  }

  @HostFunction(name = "accepting", effect = Effect.PURE, doc = "When the restored server first accepted connections (read"
      + " only, still replaying), ISO-8601 in UTC.")
  public String accepting() {
    return WallClock.iso(WallClock.at(acceptingNanos));
  }

  @HostFunction(name = "ready", effect = Effect.PURE, doc = "When it was promoted and accepted writes, ISO-8601 in UTC.")
  public String ready() {
    return WallClock.iso(WallClock.at(readyNanos));
  }

  @HostFunction(name = "took", effect = Effect.PURE, doc = "From the restore's start to accepting writes: copying the backup,"
      + " replaying the WAL, the promotion (not the replicas cloned afterwards).")
  public Duration took() {
    return Duration.ofNanos(readyNanos - startNanos);
  }

  @HostFunction(name = "rto", effect = Effect.PURE, doc = "From the loss of the source cluster (the start of its lose()"
      + " fault) to the restored server accepting writes; from the restore's start when the source was not lost.")
  public Duration rto() {
    long from = lostNanos != 0 && lostNanos < startNanos ? lostNanos : startNanos;
    return Duration.ofNanos(readyNanos - from);
  }

  @HostFunction(name = "reached_lsn", effect = Effect.PURE, doc = "The last WAL position replayed.")
  public String reachedLsn() {
    return reachedLsn;
  }

  @HostFunction(name = "reached_time", effect = Effect.PURE, doc = "The commit time of the last transaction replayed,"
      + " ISO-8601 in UTC; empty when none was replayed after the backup.")
  public String reachedTime() {
    return reachedTime;
  }

  @HostFunction(name = "timeline", effect = Effect.PURE, doc = "The timeline the restored server writes on: one more than"
      + " the backup's, since a restore starts a new history.")
  public long timeline() {
    return timeline;
  }

  @HostFunction(name = "verify", effect = Effect.PROBE, doc = "Stops the writer and checks its rows in the restore against"
      + " what it had acknowledged: every acknowledged write up to the recovery point present, nothing the writer never"
      + " sent, no altered row, nothing past the target; the data loss in writes and in time (RPO), reported and judged"
      + " against slo.rpo.")
  public RestoreCheck verify(
      @Arg(name = "writer", doc = "the writer that wrote to the source cluster") Writer writer,
      CallContext ctx) {
    RestoreCheck check = writer.verifyRestore(this, ctx);
    ctx.measurements().dataLoss(new DataLoss("writer " + writer.writerId() + " in the restore of backup " + backup.label(),
        check.lost(), check.rpo()), ctx.at());
    return check;
  }

  @Override
  public String show() {
    return "pg_restore " + cluster.name() + " at " + address() + " from backup " + backup.label() + " to " + target.describe()
        + ", writes after " + Values.show(took());
  }

  @Override
  public String toString() {
    return show();
  }
}
