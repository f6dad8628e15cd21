package dev.faultline.stdlib.postgres;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A base backup of a local cluster's primary, taken with pg_basebackup into the cluster's
 * {@code backups/<label>} directory: a fast checkpoint, the WAL the copy needs streamed into it, and
 * a manifest with CRC32C checksums for pg_verifybackup. It lives as long as its cluster. Immutable.
 */
@HostType(name = "pg_backup", doc = "A base backup of a local cluster (pg_basebackup): its label, WAL positions and times;"
    + " verify() checks it, restore() makes a new cluster from it.")
public final class BaseBackup implements HostValue {
  private static final Pattern START_LSN = Pattern.compile("(?m)^START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+)");
  private static final Pattern START_TIMELINE = Pattern.compile("(?m)^START TIMELINE: (\\d+)");
  private static final Pattern END_LSN = Pattern.compile("\"End-LSN\"\\s*:\\s*\"([0-9A-F]+/[0-9A-F]+)\"");

  private final LocalCluster cluster;
  private final String label;
  private final Path directory;
  private final String startLsn;
  private final String endLsn;
  private final long timeline;
  private final long startNanos;
  private final long endNanos;
  private final Instant started;
  private final long bytes;

  private BaseBackup(LocalCluster cluster, String label, Path directory, String startLsn, String endLsn, long timeline,
      long startNanos, long endNanos, long bytes) {
    this.cluster = cluster;
    this.label = label;
    this.directory = directory;
    this.startLsn = startLsn;
    this.endLsn = endLsn;
    this.timeline = timeline;
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.started = WallClock.at(startNanos);
    this.bytes = bytes;
  }

  static BaseBackup take(LocalCluster cluster, LocalServer primary, String label) {
    Path backups = cluster.root().resolve("backups");
    Path dir = backups.resolve(label);
    long t0 = System.nanoTime();
    try {
      if (!Files.exists(backups)) {
        Files.createDirectory(backups);
        cluster.bin().own(backups);
      }
      primary.backupTo(dir, label);
      long t1 = System.nanoTime();
      String backupLabel = Files.readString(dir.resolve("backup_label"));
      String manifest = Files.readString(dir.resolve("backup_manifest"));
      String start = find(START_LSN, backupLabel, "the start position in backup_label");
      String end = find(END_LSN, manifest, "the end position in backup_manifest");
      long tli = Long.parseLong(find(START_TIMELINE, backupLabel, "the timeline in backup_label"));
      return new BaseBackup(cluster, label, dir, start, end, tli, t0, t1, size(dir));
    } catch (IOException e) {
      throw new HostError("base_backup(): cannot read the backup in " + dir + ": " + e.getMessage());
    }
  }

  private static String find(Pattern p, String text, String what) {
    Matcher m = p.matcher(text);
    if (!m.find()) throw new HostError("base_backup(): pg_basebackup wrote no " + what);
    return m.group(1);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  LocalCluster cluster() {
    return cluster;
  }

  Path path() {
    return directory;
  }

  long startNanos() {
    return startNanos;
  }

  long endNanos() {
    return endNanos;
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "label", effect = Effect.PURE, doc = "The backup's label.")
  public String label() {
    return label;
  }

  @HostFunction(name = "directory", effect = Effect.PURE, doc = "Where it is: the cluster's backups/<label>.")
  public String directoryName() {
    return directory.toString();
  }

  @HostFunction(name = "start_lsn", effect = Effect.PURE, doc = "The WAL position the backup starts from (its checkpoint's redo point).")
  public String startLsn() {
    return startLsn;
  }

  @HostFunction(name = "end_lsn", effect = Effect.PURE, doc = "The WAL position at which a restore of it becomes consistent.")
  public String endLsn() {
    return endLsn;
  }

  @HostFunction(name = "timeline", effect = Effect.PURE, doc = "The timeline it was taken on.")
  public long timeline() {
    return timeline;
  }

  @HostFunction(name = "started", effect = Effect.PURE, doc = "When it started, ISO-8601 in UTC.")
  public String started() {
    return WallClock.iso(started);
  }

  @HostFunction(name = "took", effect = Effect.PURE, doc = "How long pg_basebackup took.")
  public Duration took() {
    return Duration.ofNanos(endNanos - startNanos);
  }

  @HostFunction(name = "size", effect = Effect.PURE, doc = "Its size on disk.")
  public ByteSize size() {
    return new ByteSize(bytes);
  }

  @HostFunction(name = "verify", effect = Effect.PROBE, doc = "Checks the backup with pg_verifybackup: every file against"
      + " the manifest's checksums, and the WAL it needs. Returns ok, error and latency; a damaged backup is a result with"
      + " ok false, not an error.")
  public BackupVerification verify() {
    cluster.checkOpen("verify()");
    long t0 = System.nanoTime();
    Path log = cluster.root().resolve("verify-" + label + ".log");
    try {
      cluster.bin().run(log, Map.of(), "pg_verifybackup", "--quiet", directory.toString());
      return new BackupVerification(true, "", Database.since(t0));
    } catch (HostError e) {
      return new BackupVerification(false, PgBinaries.tail(log), Database.since(t0));
    }
  }

  @HostFunction(name = "restore", effect = Effect.ACTION, requires = dev.faultline.fault.Capability.DB, doc = "Makes a new"
      + " local cluster from this backup and the WAL archive, on a new free port: to the latest archived change (by"
      + " default), to the backup's end (target: \"immediate\", the fast restore), to a time, a named restore point or a WAL"
      + " position. Waits until it has been promoted and accepts writes, and returns it with when it started, when it"
      + " accepted connections and writes, and the recovery target it reached; then clones `replicas` streaming replicas from it."
      + " It is removed with the scope that restored it.")
  public RestoredCluster restore(
      @Arg(name = "target", doc = "\"latest\" (every archived change) or \"immediate\" (stop as soon as the backup is"
          + " consistent)", byDefault = "\"latest\"") String target,
      @Arg(name = "time", doc = "restore up to this time: \"2026-11-23 10:30:00+00\", ISO-8601, or a restore point's time",
          byDefault = "\"\"") String time,
      @Arg(name = "point", doc = "restore up to this named restore point (cluster.restore_point(name))", byDefault = "\"\"") String point,
      @Arg(name = "lsn", doc = "restore up to this WAL position, e.g. \"0/3000060\"", byDefault = "\"\"") String lsn,
      @Arg(name = "name", doc = "the new cluster's name, for logs", byDefault = "\"restored\"") String name,
      @Arg(name = "replicas", doc = "streaming replicas cloned from the restored server once it accepts writes, 0 to 5",
          byDefault = "0") long replicas,
      @Arg(name = "archive", doc = "the new cluster archives its own WAL into its own archive (with the source's"
          + " archive_timeout), so that it can be backed up and restored in turn", byDefault = "false") boolean archive,
      @Arg(name = "wait", doc = "how long the recovery may take before the restore fails", byDefault = "5m") Duration wait,
      CallContext ctx) {
    cluster.checkOpen("restore()");
    if (replicas < 0 || replicas > 5) throw new HostError("restore() takes 0 to 5 replicas, got " + replicas);
    RecoveryTarget t = RecoveryTarget.of(this, target, time, point, lsn);
    RestoredCluster restored = Restore.run(this, t, name, (int) replicas, archive, wait, ctx);
    ctx.log("restored backup " + label + " of cluster " + cluster.name() + " into " + restored.cluster().show() + " to "
        + t.describe() + ": accepting writes after " + Values.show(restored.took()));
    return restored;
  }

  @Override
  public String show() {
    return "pg_backup " + label + " of cluster " + cluster.name() + " (" + startLsn + " to " + endLsn + ", timeline " + timeline
        + ", " + String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6) + ", " + Values.show(took()) + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
