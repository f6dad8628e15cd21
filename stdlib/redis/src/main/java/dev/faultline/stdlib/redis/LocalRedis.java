package dev.faultline.stdlib.redis;

import dev.faultline.fault.Capability;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Throwaway Redis servers watched by Sentinels on this machine: a master, its replicas and the
 * Sentinels, each a process of its own on a free port of 127.0.0.1, with its files in one temporary
 * directory that is removed, every process killed, when the scope that started them ends.
 *
 * <p>Which server is master is what Sentinel says, asked each time (a failover changes it). A
 * directory left by a process that died without cleaning up is removed, its processes killed, by
 * the next start. Thread-safe.
 */
@HostType(name = "redis_cluster", doc = "Local Redis servers and Sentinels started by redis.local(): a master, replicas and"
    + " Sentinels on 127.0.0.1, removed when the scope that started them ends.")
public final class LocalRedis implements HostValue, AutoCloseable {
  static final String DIR_PREFIX = "faultline-redis-";
  /** How long a new cluster may take to settle: replicas in sync, Sentinels aware of each other. */
  private static final Duration SETTLE_WAIT = Duration.ofSeconds(30);

  /** Settings of one cluster, as given to redis.local(). */
  record Settings(String name, int replicas, int sentinels, int quorum, String masterName, Duration downAfter,
      Duration failoverTimeout, String persistence) {}

  private final Settings settings;
  private final Path root;
  private final List<RedisNode> nodes = new ArrayList<>();
  private final List<RedisNode> sentinelNodes = new ArrayList<>();
  private final SentinelTarget sentinel;
  private final RedisTarget redis;
  private boolean closed;

  private LocalRedis(Settings settings, Path root, List<LocalInstance> servers, List<LocalInstance> sentinels) {
    this.settings = settings;
    this.root = root;
    for (LocalInstance s : servers) nodes.add(new RedisNode(this, s));
    for (LocalInstance s : sentinels) sentinelNodes.add(new RedisNode(this, s));
    this.sentinel = sentinels.isEmpty() ? null
        : new SentinelTarget(sentinels.stream().map(LocalInstance::address).toList(), settings.masterName(), null, "");
    this.redis = sentinel != null ? sentinel.redis()
        : new RedisTarget(this::masterAddress, "master of cluster " + settings.name(), null, 0);
  }

  /** Starts the master, the replicas (in sync before it returns), then the Sentinels (aware of each other and of every replica). */
  static LocalRedis start(Settings s) {
    RedisBinaries bin = RedisBinaries.find();
    removeAbandoned();
    Path root;
    try {
      root = OwnedDirectories.create(DIR_PREFIX);
    } catch (IOException e) {
      throw new HostError("redis.local(): cannot make a temporary directory: " + e.getMessage());
    }
    List<LocalInstance> servers = new ArrayList<>();
    List<LocalInstance> sentinels = new ArrayList<>();
    try {
      for (int i = 0; i <= s.replicas(); i++) servers.add(new LocalInstance("node" + (i + 1), LocalInstance.Kind.SERVER, root, bin.server()));
      LocalInstance master = servers.get(0);
      master.configure(serverSettings(s.persistence()));
      master.start();
      for (LocalInstance replica : servers.subList(1, servers.size())) {
        List<String> lines = new ArrayList<>(serverSettings(s.persistence()));
        lines.add("replicaof 127.0.0.1 " + master.port);
        replica.configure(lines);
        replica.start();
      }
      for (int i = 1; i <= s.sentinels(); i++) {
        LocalInstance sentinel = new LocalInstance("sentinel" + i, LocalInstance.Kind.SENTINEL, root, bin.sentinel());
        sentinel.configure(List.of(
            "sentinel monitor " + s.masterName() + " 127.0.0.1 " + master.port + " " + s.quorum(),
            "sentinel down-after-milliseconds " + s.masterName() + " " + s.downAfter().toMillis(),
            "sentinel failover-timeout " + s.masterName() + " " + s.failoverTimeout().toMillis(),
            "sentinel parallel-syncs " + s.masterName() + " 1"));
        sentinel.start();
        sentinels.add(sentinel);
      }
      LocalRedis cluster = new LocalRedis(s, root, servers, sentinels);
      cluster.awaitSettled();
      return cluster;
    } catch (RuntimeException e) {
      for (LocalInstance i : sentinels) killQuietly(i);
      for (LocalInstance i : servers) killQuietly(i);
      deleteTree(root);
      if (e instanceof HostError h) throw h;
      throw new HostError("redis.local() could not start: " + e.getMessage());
    }
  }

  private static void killQuietly(LocalInstance i) {
    try {
      i.killNow();
    } catch (RuntimeException ignored) {
      // already failing: the first error is the one to report
    }
  }

  /**
   * Rationale: a cache needs no persistence, and without it a start is instant and a stopped master
   * comes back empty, as a cache node does. Diskless replication keeps full syncs off the disk too.
   */
  static List<String> serverSettings(String persistence) {
    List<String> lines = new ArrayList<>(List.of("repl-diskless-sync yes", "repl-diskless-sync-delay 0"));
    switch (persistence) {
      case "none" -> lines.addAll(List.of("save \"\"", "appendonly no"));
      case "rdb" -> lines.addAll(List.of("save 3600 1 300 100 60 10000", "appendonly no"));
      case "aof" -> lines.addAll(List.of("save \"\"", "appendonly yes", "appendfsync everysec"));
      default -> throw new HostError("redis.local() takes a persistence of \"none\", \"rdb\" or \"aof\", got \"" + persistence + "\"");
    }
    return lines;
  }

  /** Waits until every replica's link is up and, with Sentinels, each knows every replica and every other Sentinel. */
  private void awaitSettled() {
    long end = System.nanoTime() + SETTLE_WAIT.toNanos();
    String waitingFor = "";
    while (System.nanoTime() < end) {
      waitingFor = unsettled();
      if (waitingFor.isEmpty()) return;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.faultline.host.Interrupted("interrupted while redis.local() was starting");
      }
    }
    throw new HostError("redis.local(): the cluster did not settle within " + SETTLE_WAIT.toSeconds() + "s: " + waitingFor,
        "the logs are in " + root);
  }

  /** What is not ready yet, in words; empty when everything is. */
  private String unsettled() {
    for (RedisNode n : nodes.subList(1, nodes.size())) {
      Replication r = n.redis().replication(Duration.ofSeconds(1));
      if (!r.linkUp()) return n.name() + " is not in sync with node1 yet";
    }
    for (RedisNode s : sentinelNodes) {
      try (Jedis j = s.instance().connect(1000)) {
        int replicas = j.sentinelReplicas(settings.masterName()).size();
        if (replicas < settings.replicas()) return s.name() + " knows " + replicas + " of " + settings.replicas() + " replicas";
        int others = j.sentinelSentinels(settings.masterName()).size();
        if (others < sentinelNodes.size() - 1) return s.name() + " knows " + others + " of " + (sentinelNodes.size() - 1) + " other Sentinels";
      } catch (JedisException e) {
        return s.name() + " does not answer: " + e.getMessage();
      }
    }
    return "";
  }

  /** Stops and removes clusters whose owning process is gone (killed before it could clean up). */
  static void removeAbandoned() {
    OwnedDirectories.removeAbandoned(DIR_PREFIX, LocalRedis::killProcessesOf);
  }

  /** SIGKILL to every process whose PID file is in {@code dir} and which still runs Redis on the port of its configuration. */
  private static void killProcessesOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid") && !p.getFileName().toString().equals(OwnedDirectories.OWNER_FILE)).toList()) {
        String base = pidFile.getFileName().toString().replaceAll("\\.pid$", "");
        int port = portOf(dir.resolve(base + ".conf"));
        if (port <= 0) continue;
        Optional<Long> pid = LocalInstance.pidFromFile(pidFile, port);
        if (pid.isEmpty()) continue;
        ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
        long end = System.nanoTime() + 5_000_000_000L;
        while (ProcStat.isAlive(pid.get()) && System.nanoTime() < end) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  static int portOf(Path conf) {
    try (Stream<String> lines = Files.lines(conf)) {
      return lines.filter(l -> l.startsWith("port ")).map(l -> Integer.parseInt(l.substring(5).strip())).findFirst().orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static void deleteTree(Path dir) {
    OwnedDirectories.deleteTree(dir);
  }

  // ------------------------------------------------------------ topology

  /** The master's address: what Sentinel names, or without Sentinels the first server that says it is a master. */
  String masterAddress() {
    if (sentinel != null) return sentinel.masterAddress();
    return nodes.stream().filter(n -> n.instance().isRunning() && !n.instance().isPaused() && n.redis().role().equals("master"))
        .findFirst().map(RedisNode::address)
        .orElseThrow(() -> new HostError("no server of cluster " + settings.name() + " is a master now"));
  }

  private SentinelTarget requireSentinel(String what) {
    if (sentinel == null) throw new HostError(what + " needs Sentinels; cluster " + settings.name() + " has none", "start it with sentinels: 3");
    return sentinel;
  }

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The name given to redis.local().")
  public String name() {
    return settings.name();
  }

  @HostFunction(name = "master_name", effect = Effect.PURE, doc = "The name the Sentinels monitor the master under, e.g. \"mymaster\".")
  public String masterName() {
    return settings.masterName();
  }

  @HostFunction(name = "quorum", effect = Effect.PURE, doc = "How many Sentinels must agree that the master is down.")
  public long quorum() {
    return settings.quorum();
  }

  @HostFunction(name = "down_after", effect = Effect.PURE, doc = "Sentinel's down-after-milliseconds: how long a server may not"
      + " answer before a Sentinel deems it down.")
  public Duration downAfter() {
    return settings.downAfter();
  }

  @HostFunction(name = "failover_timeout", effect = Effect.PURE, doc = "Sentinel's failover-timeout.")
  public Duration failoverTimeout() {
    return settings.failoverTimeout();
  }

  @HostFunction(name = "nodes", effect = Effect.PURE, doc = "The Redis servers: node1 (started as master), node2, …")
  public List<RedisNode> nodes() {
    return List.copyOf(nodes);
  }

  @HostFunction(name = "sentinel_nodes", effect = Effect.PURE, doc = "The Sentinels: sentinel1, sentinel2, …")
  public List<RedisNode> sentinelNodes() {
    return List.copyOf(sentinelNodes);
  }

  @HostFunction(name = "sentinels", effect = Effect.PURE, doc = "The Sentinels' addresses joined by commas, as a client takes them:"
      + " \"127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3\"; empty without Sentinels.")
  public String sentinels() {
    return sentinelNodes.stream().map(RedisNode::address).collect(Collectors.joining(","));
  }

  @HostFunction(name = "sentinel", effect = Effect.PURE, doc = "The Sentinels as a redis_sentinel target (replicas, known_sentinels,"
      + " quorum_ok, failover); an error without Sentinels.")
  public SentinelTarget sentinel() {
    return requireSentinel("sentinel");
  }

  @HostFunction(name = "redis", effect = Effect.PURE, doc = "A target on whichever server is master at each call (as Sentinel names"
      + " it): what a Sentinel-aware client reaches.")
  public RedisTarget redis() {
    return redis;
  }

  @HostFunction(name = "master_address", effect = Effect.PROBE, doc = "\"127.0.0.1:port\" of the master as Sentinel names it now"
      + " (SENTINEL get-master-addr-by-name); without Sentinels, the first server whose role is master.")
  public String masterAddressProbe() {
    return masterAddress();
  }

  @HostFunction(name = "master", effect = Effect.PROBE, doc = "The server Sentinel names master now, as a redis_node.")
  public RedisNode master() {
    String at = masterAddress();
    return nodes.stream().filter(n -> n.address().equals(at)).findFirst()
        .orElseThrow(() -> new HostError("Sentinel names " + at + " master, which is not a server of cluster " + settings.name()));
  }

  @HostFunction(name = "replicas", effect = Effect.PROBE, doc = "The servers that answer as replicas now (ROLE).")
  public List<RedisNode> replicas() {
    return nodes.stream().filter(n -> n.instance().isRunning() && !n.instance().isPaused() && n.redis().role().equals("replica")).toList();
  }

  @HostFunction(name = "failover", effect = Effect.ACTION, requires = Capability.DB, doc = "SENTINEL FAILOVER and the wait for the"
      + " new master: see redis_sentinel.failover. Not a fault: nothing reverts it.")
  public RedisFailover failover(
      @Arg(name = "wait", doc = "how long to wait for Sentinel to name the new master", byDefault = "30s") Duration wait,
      CallContext ctx) {
    return requireSentinel("failover()").failover(wait, ctx);
  }

  @HostFunction(name = "directory", effect = Effect.PURE, doc = "The temporary directory: each process's configuration, log and PID file.")
  public String directory() {
    return root.toString();
  }

  /** Kills every process (the data is thrown away) and removes the directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (sentinel != null) sentinel.close();
    redis.close();
    RuntimeException first = null;
    for (RedisNode n : concat()) {
      n.closeTargets();
      try {
        n.instance().killNow();
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    deleteTree(root);
    if (first != null) throw first;
  }

  private List<RedisNode> concat() {
    List<RedisNode> all = new ArrayList<>(sentinelNodes);
    all.addAll(nodes);
    return all;
  }

  @Override
  public String show() {
    return "redis_cluster " + settings.name() + " ('" + settings.masterName() + "': "
        + nodes.stream().map(n -> n.name() + " " + n.address()).collect(Collectors.joining(", "))
        + (sentinelNodes.isEmpty() ? "" : "; " + sentinelNodes.size() + " Sentinels, quorum " + settings.quorum()) + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
