package dev.faultline.stdlib.postgres;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The WAL archive of a local cluster: a directory of the cluster's own ({@code archive/}) into
 * which the primary's {@code archive_command} copies each completed WAL segment, and from which a
 * restore's {@code restore_command} reads them back. It stands for the backup storage of another
 * region: losing the cluster's servers ({@code lose()}) keeps it.
 *
 * <p>Rationale: archive_command (the way pgBackRest, WAL-G and Barman's archiving work) rather than
 * pg_receivewal, so that what a restore can lose is what such a setup loses: the WAL not yet in a
 * completed segment. {@code archive_timeout} bounds it by switching segments while there are writes;
 * the segments are 1 MB (initdb --wal-segsize=1), so frequent switches cost little. Files are copied
 * under a temporary name and renamed, so a restore never reads half a segment. Thread-safe: the
 * directory is only read here.
 */
@HostType(name = "pg_archive", doc = "The WAL archive of a local cluster: completed WAL segments copied by archive_command,"
    + " read back by restore().")
public final class WalArchive implements HostValue {
  /** 1 MB segments: a switch every archive_timeout costs 1 MB, not 16. Data checksums: a restore's pages are checked as read. */
  static final List<String> INITDB_OPTIONS = List.of("--wal-segsize=1", "--data-checksums");
  /** The WAL segment size of clusters postgres.local() initialises to archive. */
  static final long LOCAL_SEGMENT_BYTES = 1L << 20;
  /** PostgreSQL's default, that of a cluster started without archive: true. */
  static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
  private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");

  private final Path directory;
  private final Duration timeout;
  private final long segmentBytes;

  private WalArchive(Path directory, Duration timeout, long segmentBytes) {
    this.directory = directory;
    this.timeout = timeout;
    this.segmentBytes = segmentBytes;
  }

  /** An archive for a cluster whose WAL segments are {@code segmentBytes} long. */
  static WalArchive create(Path clusterRoot, PgBinaries bin, Duration timeout, long segmentBytes) throws IOException {
    if (timeout.isNegative() || timeout.toMillis() < 1000 && !timeout.isZero()) {
      throw new HostError("postgres.local() needs an archive_timeout of 1s or more (or 0s for none), got " + Values.show(timeout),
          "PostgreSQL counts it in whole seconds");
    }
    Path dir = clusterRoot.resolve("archive");
    Files.createDirectory(dir);
    bin.own(dir);
    return new WalArchive(dir, timeout, segmentBytes);
  }

  /** The primary's settings: archive every completed segment into the directory, switching at least every timeout. */
  List<String> settings() {
    String d = directory.toString();
    return List.of(
        "archive_mode = on",
        "archive_command = 'test ! -f " + d + "/%f && cp %p " + d + "/%f.part && mv " + d + "/%f.part " + d + "/%f'",
        "archive_timeout = '" + timeout.toSeconds() + "s'");
  }

  /** What a restore reads segments (and timeline history files) with. */
  String restoreCommand() {
    return "cp " + directory + "/%f %p";
  }

  Path directory() {
    return directory;
  }

  long segmentBytes() {
    return segmentBytes;
  }

  private List<String> segmentNames() {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> SEGMENT.matcher(n).matches()).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The WAL position just past the newest archived segment: every change before it is in the archive. */
  Optional<Long> archivedEnd() {
    return segmentNames().stream().max(Comparator.naturalOrder()).map(n -> {
      long log = Long.parseLong(n.substring(8, 16), 16);
      long seg = Long.parseLong(n.substring(16, 24), 16);
      long segmentsPerLog = 0x1_0000_0000L / segmentBytes;
      return (log * segmentsPerLog + seg + 1) * segmentBytes;
    });
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "directory", effect = Effect.PURE, doc = "The archive's directory, inside the cluster's own.")
  public String directoryName() {
    return directory.toString();
  }

  @HostFunction(name = "timeout", effect = Effect.PURE, doc = "archive_timeout: the primary switches to a new WAL segment"
      + " at least this often while there are writes, which bounds what a restore from the archive can lose.")
  public Duration timeout() {
    return timeout;
  }

  @HostFunction(name = "segments", effect = Effect.PROBE, doc = "How many WAL segments the archive holds.")
  public long segments() {
    return segmentNames().size();
  }

  @HostFunction(name = "last_segment", effect = Effect.PROBE, doc = "The name of the newest archived WAL segment; empty when none.")
  public String lastSegment() {
    List<String> names = segmentNames();
    return names.isEmpty() ? "" : names.get(names.size() - 1);
  }

  @HostFunction(name = "archived_lsn", effect = Effect.PROBE, doc = "The WAL position up to which the archive holds every"
      + " change (the end of its newest segment), e.g. \"0/3000000\"; empty when it holds none.")
  public String archivedLsn() {
    return archivedEnd().map(Lsn::format).orElse("");
  }

  @HostFunction(name = "covers", effect = Effect.PROBE, doc = "Whether the archive holds every change up to the WAL position"
      + " given (a restore point's lsn): whether a restore can reach it.")
  public boolean covers(@Arg(name = "lsn", doc = "a WAL position, e.g. point.lsn") String lsn) {
    long target = Lsn.parse(lsn);
    return archivedEnd().map(end -> end >= target).orElse(false);
  }

  @Override
  public String show() {
    return "pg_archive " + directory + " (" + segments() + " segments, archive_timeout " + Values.show(timeout) + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
