package dev.faultline.stdlib.postgres;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.OwnedDirectories;
import dev.faultline.value.HostValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster on this machine: one primary and streaming replicas started from
 * the machine's binaries, on free ports of 127.0.0.1, in a temporary directory that is removed,
 * with every server stopped, when the scope that started it ends. As root the servers run as the
 * {@code postgres} user.
 *
 * <p>Which node is primary is read from the servers each time it is asked (a promotion changes it).
 * Changes of topology (promotion, rejoin) are serialised on this object. The password is generated
 * per cluster and never shown.
 */
@HostType(name = "pg_cluster", doc = "A local PostgreSQL cluster started by postgres.local(): a primary and streaming replicas"
    + " on 127.0.0.1, removed when the scope that started it ends.")
public final class LocalCluster implements HostValue, AutoCloseable {
  static final String DIR_PREFIX = "faultline-pg-";
  static final String APP_USER = "app";

  private final String name;
  private final Path root;
  private final boolean synchronous;
  private final Credentials credentials;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final Database db;
  private final Database app;
  private final PgBinaries bin;
  /** Null when the cluster does not archive its WAL. */
  private final WalArchive archive;
  private final List<BaseBackup> backups = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, RestorePoint> restorePoints = new java.util.concurrent.ConcurrentHashMap<>();
  /** When the cluster's servers were lost ({@code lose()}), as System.nanoTime(); 0 while not lost. */
  private volatile long lostAtNanos;
  private volatile boolean closed;

  private LocalCluster(String name, Path root, boolean synchronous, Credentials credentials, List<LocalServer> servers,
      PgBinaries bin, WalArchive archive) {
    this.name = name;
    this.root = root;
    this.synchronous = synchronous;
    this.credentials = credentials;
    this.bin = bin;
    this.archive = archive;
    for (LocalServer s : servers) nodes.add(new ClusterNode(this, s));
    String hosts = servers.stream().map(LocalServer::address).collect(Collectors.joining(","));
    this.db = new Database("jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary&hostRecheckSeconds=1", credentials,
        "cluster " + name + " (primary)");
    this.app = new Database(db.url(), new Credentials(APP_USER, credentials.password(), ""), "cluster " + name + " (primary, as app)");
  }

  /**
   * Starts a primary and {@code replicas} streaming replicas. Servers left behind by an earlier
   * process that died without cleaning up are stopped and removed first.
   */
  static LocalCluster start(String name, int replicas, boolean synchronous, boolean fsync) {
    return start(name, replicas, synchronous, fsync, null);
  }

  /**
   * As {@link #start(String, int, boolean, boolean)}; with {@code archiveTimeout} not null the
   * primary archives its WAL into the cluster's archive directory, switching to a new WAL segment at
   * least that often while there are writes (see {@link WalArchive}).
   */
  static LocalCluster start(String name, int replicas, boolean synchronous, boolean fsync, java.time.Duration archiveTimeout) {
    PgBinaries bin = PgBinaries.find();
    removeAbandoned(bin);
    Path root = createRoot(bin, "postgres.local()");
    Credentials credentials = new Credentials("postgres", randomPassword(), "");
    List<LocalServer> servers = new ArrayList<>();
    try {
      WalArchive archive = archiveTimeout == null ? null : WalArchive.create(root, bin, archiveTimeout, WalArchive.LOCAL_SEGMENT_BYTES);
      for (int i = 0; i <= replicas; i++) servers.add(new LocalServer("node" + (i + 1), root, bin, credentials));
      LocalServer primary = servers.get(0);
      List<String> settings = settings(root, fsync);
      if (archive != null) settings.addAll(archive.settings());
      primary.initPrimary(settings, archive == null ? List.of() : WalArchive.INITDB_OPTIONS);
      primary.start();
      // An application role without superuser rights: the slots reserved for superusers stay free
      // for the operator (and Faultline's probes) when the application exhausts its connections.
      primary.execute("create role " + APP_USER + " login password '" + credentials.password() + "'",
          "grant all on schema public to " + APP_USER);
      for (LocalServer replica : servers.subList(1, servers.size())) {
        replica.cloneFrom(primary);
        replica.start();
      }
      LocalCluster cluster = new LocalCluster(name, root, synchronous, credentials, servers, bin, archive);
      cluster.applySynchronousSetting(primary);
      return cluster;
    } catch (IOException | RuntimeException e) {
      for (LocalServer s : servers) {
        try {
          s.stop("immediate");
        } catch (RuntimeException ignored) {
          // already failing: the first error is the one to report
        }
      }
      deleteTree(root);
      if (e instanceof HostError h) throw h;
      throw new HostError("postgres.local() could not start the cluster: " + e.getMessage());
    }
  }

  /** A new private temporary directory for a cluster, owned by the servers' user, naming this process as its owner. */
  static Path createRoot(PgBinaries bin, String what) {
    try {
      Path root = OwnedDirectories.create(DIR_PREFIX);
      bin.own(root);
      return root;
    } catch (IOException e) {
      throw new HostError(what + ": cannot make a temporary directory: " + e.getMessage());
    }
  }

  /**
   * A cluster restored from a base backup ({@link Restore}): the promoted server and replicas cloned
   * from it; it has the source cluster's users and password, which are in the restored data.
   */
  static LocalCluster restored(String name, Path root, Credentials credentials, List<LocalServer> servers, PgBinaries bin,
      WalArchive archive) {
    return new LocalCluster(name, root, false, credentials, servers, bin, archive);
  }

  /**
   * Rationale: fsync off makes a start-up and every commit fast; it loses data only when the
   * machine itself crashes, which a throwaway cluster never survives anyway. A server killed with
   * immediate shutdown loses nothing it acknowledged, because the operating system keeps its writes.
   */
  private static List<String> settings(Path root, boolean fsync) {
    List<String> s = new ArrayList<>(List.of(
        "",
        "# written by faultline postgres.local()",
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = '" + root + "'",
        "wal_level = replica",
        "max_wal_senders = 10",
        "wal_keep_size = '256MB'",
        "hot_standby = on",
        "wal_receiver_status_interval = '1s'",
        "shared_buffers = '32MB'",
        "max_connections = 100"));
    if (!fsync) {
      s.add("fsync = off");
      s.add("full_page_writes = off");
    }
    return s;
  }

  private static String randomPassword() {
    SecureRandom r = new SecureRandom();
    String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 24; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    return b.toString();
  }

  /** Stops and removes clusters whose owning process is gone (killed before it could clean up). */
  private static void removeAbandoned(PgBinaries bin) {
    OwnedDirectories.removeAbandoned(DIR_PREFIX, dir -> {
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path data : entries.filter(p -> Files.exists(p.resolve("postmaster.pid"))).toList()) {
          try {
            LocalServer.stopAbandoned(bin, dir, data);
          } catch (RuntimeException e) {
            // not running after all: nothing to stop
          }
        }
      }
    });
  }

  static void deleteTree(Path dir) {
    OwnedDirectories.deleteTree(dir);
  }

  Credentials credentials() {
    return credentials;
  }

  PgBinaries bin() {
    return bin;
  }

  Path root() {
    return root;
  }

  /** Fails with a clear message once the scope that started the cluster has removed it. */
  void checkOpen(String what) {
    if (closed) {
      throw new HostError(what + ": cluster " + name + " was removed when the scope that started it ended",
          "start the cluster in the playbook's setup or in the scenario that restores from it");
    }
  }

  boolean isClosed() {
    return closed;
  }

  Optional<WalArchive> walArchive() {
    return Optional.ofNullable(archive);
  }

  Optional<RestorePoint> restorePoint(String pointName) {
    return Optional.ofNullable(restorePoints.get(pointName));
  }

  long lostAtNanos() {
    return lostAtNanos;
  }

  void markLost(long atNanos) {
    lostAtNanos = atNanos;
  }

  // ------------------------------------------------------------ topology

  /** The node that accepts writes now, if any. */
  synchronized Optional<ClusterNode> currentPrimary() {
    return nodes.stream().filter(n -> n.server().acceptsWrites()).findFirst();
  }

  /**
   * Promotes a running replica: pg_promote(), then the other running replicas follow the new
   * primary (their primary_conninfo is changed and reloaded), and with synchronous replication the
   * new primary waits for a standby only when one is left to follow it.
   */
  synchronized void promote(ClusterNode node, int waitSeconds) {
    LocalServer s = node.server();
    if (!s.isRunning()) throw new HostError("cannot promote " + node.name() + ": it is not running");
    if (s.acceptsWrites()) throw new HostError("cannot promote " + node.name() + ": it is already a primary");
    if (!s.promote(waitSeconds)) throw new HostError(node.name() + " did not finish its promotion within " + waitSeconds + "s");
    for (ClusterNode other : nodes) {
      if (other != node && other.server().isRunning() && !other.server().acceptsWrites()) follow(other.server(), s);
    }
    applySynchronousSetting(s);
  }

  /**
   * Brings a stopped node back as a replica of the current primary: its data directory is replaced
   * by a fresh base backup (a former primary's history has diverged from the new one), then it starts.
   */
  synchronized void rejoin(ClusterNode node, LocalServer primary) throws IOException {
    node.server().cloneFrom(primary);
    node.server().start();
    applySynchronousSetting(primary);
  }

  private void follow(LocalServer replica, LocalServer primary) {
    String conninfo = "host=127.0.0.1 port=" + primary.port + " user=" + credentials.user() + " password=" + credentials.password()
        + " application_name=" + replica.name;
    replica.execute("alter system set primary_conninfo = '" + conninfo + "'", "select pg_reload_conf()");
  }

  /** With synchronous replication, commits wait for one standby while the primary has one. */
  private void applySynchronousSetting(LocalServer primary) {
    if (!synchronous) return;
    boolean hasStandby = nodes.stream().anyMatch(n -> n.server() != primary && n.server().isRunning());
    primary.execute("alter system set synchronous_standby_names = '" + (hasStandby ? "*" : "") + "'", "select pg_reload_conf()");
  }

  // ------------------------------------------------------------ members

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The name given to postgres.local().")
  public String name() {
    return name;
  }

  @HostFunction(name = "nodes", effect = Effect.PURE, doc = "Every server of the cluster, the first started as primary:"
      + " node1, node2, …")
  public List<ClusterNode> nodes() {
    return List.copyOf(nodes);
  }

  @HostFunction(name = "primary", effect = Effect.PROBE, doc = "The node that accepts writes now; an error when none does"
      + " (wait for one with `await cluster.has_primary within 30s`).")
  public ClusterNode primary() {
    return currentPrimary().orElseThrow(() -> new HostError("no node of cluster " + name + " accepts writes now",
        "wait for a promotion with 'await cluster.has_primary within 30s'"));
  }

  @HostFunction(name = "has_primary", effect = Effect.PROBE, doc = "Whether a node accepts writes now.")
  public boolean hasPrimary() {
    return currentPrimary().isPresent();
  }

  @HostFunction(name = "replicas", effect = Effect.PROBE, doc = "The running nodes that are replicas now (in recovery).")
  public List<ClusterNode> replicas() {
    return nodes.stream().filter(n -> n.server().isRunning() && !n.server().acceptsWrites()).toList();
  }

  @HostFunction(name = "db", effect = Effect.PURE, doc = "A pooled target on whichever node is primary: its URL lists every"
      + " node with targetServerType=primary, so after a failover new connections reach the new primary.")
  public Database db() {
    return db;
  }

  @HostFunction(name = "app", effect = Effect.PURE, doc = "Like db, as the role 'app' (no superuser rights, may create"
      + " tables): what an application would use; the connection slots reserved for superusers stay out of its reach.")
  public Database app() {
    return app;
  }

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The JDBC URL of db: every node, targetServerType=primary.")
  public String url() {
    return db.url();
  }

  @HostFunction(name = "user", effect = Effect.PURE, doc = "The database user of the cluster (its password is never shown).")
  public String user() {
    return credentials.user();
  }

  @HostFunction(name = "synchronous", effect = Effect.PURE, doc = "Whether commits wait for a standby to flush them"
      + " (synchronous_standby_names = '*' while the primary has a standby).")
  public boolean synchronous() {
    return synchronous;
  }

  @HostFunction(name = "directory", effect = Effect.PURE, doc = "The temporary directory holding the data and the server logs.")
  public String directory() {
    return root.toString();
  }

  // ------------------------------------------------------------ backups, archive, loss

  @HostFunction(name = "archive", effect = Effect.PURE, doc = "The WAL archive of a cluster started with archive: true"
      + " (its directory, segments, the newest archived position); null when it does not archive.")
  public WalArchive archive() {
    return archive;
  }

  @HostFunction(name = "base_backup", effect = Effect.ACTION, requires = dev.faultline.fault.Capability.DB, doc = "Takes a base"
      + " backup of the primary with pg_basebackup (a fast checkpoint, the WAL it needs streamed into it, a manifest with"
      + " checksums) into the cluster's backups directory, and returns it: its label, start and end positions, when it"
      + " started and how long it took. restore() makes a new cluster from it.")
  public BaseBackup baseBackup(
      @Arg(name = "label", doc = "the backup's label; empty makes one: backup1, backup2, …", byDefault = "\"\"") String label,
      CallContext ctx) {
    checkOpen("base_backup()");
    String l = label.isBlank() ? "backup" + (backups.size() + 1) : label.strip();
    if (!l.matches("[A-Za-z0-9_.-]{1,60}") || l.startsWith(".")) {
      throw new HostError("base_backup() needs a label of letters, digits, '.', '_' or '-' (at most 60), got \"" + label + "\"");
    }
    if (backups.stream().anyMatch(b -> b.label().equals(l))) throw new HostError("base_backup(): cluster " + name + " has a backup labelled " + l + " already");
    LocalServer primary = primary().server();
    BaseBackup b = BaseBackup.take(this, primary, l);
    backups.add(b);
    ctx.log("base backup " + l + " of " + primary.name + ": " + b.show());
    return b;
  }

  @HostFunction(name = "backups", effect = Effect.PURE, doc = "The base backups taken so far, oldest first.")
  public List<BaseBackup> backups() {
    return List.copyOf(backups);
  }

  @HostFunction(name = "restore_point", effect = Effect.ACTION, requires = dev.faultline.fault.Capability.DB, doc = "Creates a"
      + " named restore point on the primary (pg_create_restore_point) and returns it: its name, WAL position and time;"
      + " a backup restores to it with restore(point: name).")
  public RestorePoint restorePoint(
      @Arg(name = "name", doc = "the restore point's name, unique in this cluster") String pointName,
      CallContext ctx) {
    checkOpen("restore_point()");
    if (pointName.isBlank() || pointName.length() > 60 || pointName.contains("'")) {
      throw new HostError("restore_point() needs a name of 1 to 60 characters without quotes, got \"" + pointName + "\"");
    }
    if (restorePoints.containsKey(pointName)) throw new HostError("restore_point(): cluster " + name + " has a restore point named " + pointName + " already");
    RestorePoint p = RestorePoint.create(this, primary().server(), pointName);
    restorePoints.put(pointName, p);
    return p;
  }

  @dev.faultline.host.Injector(name = "lose", requires = dev.faultline.fault.Capability.DB, doc = "Loses the whole cluster, as"
      + " a region lost with its data: every server is stopped with immediate shutdown (like a crash) and its data directory"
      + " moved aside inside the cluster's own directory, so that nothing can reach it any more. The WAL archive and the"
      + " base backups are kept (they stand for storage in another region). Reverted, the data directories come back"
      + " and the servers start again, as a region that returns.")
  public dev.faultline.fault.Fault lose() {
    checkOpen("lose()");
    return new RegionLoss(this, List.copyOf(nodes));
  }
  /** Stops every server (immediate shutdown: the data is thrown away) and removes the directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    db.close();
    app.close();
    RuntimeException first = null;
    for (ClusterNode n : nodes) {
      n.closeTargets();
      try {
        n.server().stop("immediate");
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    deleteTree(root);
    if (first != null) throw first;
  }

  @Override
  public String show() {
    return "pg_cluster " + name + " (" + nodes.stream().map(n -> n.name() + " " + n.server().address()).collect(Collectors.joining(", "))
        + (synchronous ? ", synchronous" : ", asynchronous") + (archive != null ? ", archiving" : "") + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
