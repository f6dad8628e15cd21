package dev.faultline.stdlib.redis;

import dev.faultline.host.HostError;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ShutdownParams;

/**
 * One process of a local Redis cluster, a {@code redis-server} or a {@code redis-sentinel}: its
 * configuration file, log and PID file in the cluster's directory, its port on 127.0.0.1, and what
 * starts, stops, signals and asks it. The port stays the same for its whole life, across stops and
 * restarts, so that addresses held by playbooks and by Sentinel stay valid. The configuration is
 * written once, before the first start; after that Redis and Sentinel rewrite it themselves (a
 * replica promoted, a Sentinel's view of the topology), and a restart reads what they wrote.
 * Thread-safe: what changes it is synchronised.
 */
final class LocalInstance {
  enum Kind {
    SERVER("server"), SENTINEL("sentinel");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  /** Ports are drawn below Linux's ephemeral range (32768 and up), where outgoing connections take theirs. */
  private static final int PORT_FLOOR = 15_000;
  private static final int PORT_CEILING = 32_000;
  private static final int START_TRIES = 5;
  static final Duration START_WAIT = Duration.ofSeconds(20);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

  final String name;
  final Kind kind;
  /** Fixed once the process first started; before that a port found taken is replaced. */
  volatile int port;
  private final Path root;
  private final Path program;
  private List<String> settings = List.of();
  private boolean started;
  /** The process this JVM started last; null before the first start. */
  private Process process;

  LocalInstance(String name, Kind kind, Path root, Path program) {
    this.name = name;
    this.kind = kind;
    this.root = root;
    this.program = program;
    this.port = freePort();
  }

  /**
   * A port free now on 127.0.0.1. Rationale: the server binds it a moment later, so it is drawn at
   * random below the ephemeral range, where no outgoing connection can take it meanwhile; if
   * another program still does, {@link #start} draws again.
   */
  static int freePort() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < 100; i++) {
      int candidate = r.nextInt(PORT_FLOOR, PORT_CEILING);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", candidate));
        return candidate;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new HostError("redis.local(): no free port on 127.0.0.1 between " + PORT_FLOOR + " and " + PORT_CEILING);
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  Path program() {
    return program;
  }

  Path conf() {
    return root.resolve(name + ".conf");
  }

  Path log() {
    return root.resolve(name + ".log");
  }

  private Path output() {
    return root.resolve(name + ".out");
  }

  Path pidFile() {
    return root.resolve(name + ".pid");
  }

  /** The lines of its configuration besides port, bind, dir, logfile and pidfile; used by the first start. */
  synchronized void configure(List<String> lines) {
    this.settings = List.copyOf(lines);
  }

  private void writeConfig() throws IOException {
    Path data = root.resolve(name);
    Files.createDirectories(data);
    List<String> lines = new ArrayList<>(List.of(
        "# written by faultline redis.local(); Redis and Sentinel rewrite it as the topology changes",
        "port " + port,
        "bind 127.0.0.1",
        "daemonize no",
        "dir " + data,
        "logfile " + log(),
        "pidfile " + pidFile()));
    lines.addAll(settings);
    Files.write(conf(), lines);
  }

  /** Starts it and waits until it answers PING; on its first start, a port someone took meanwhile is replaced. */
  synchronized void start() {
    for (int attempt = 1; ; attempt++) {
      long logStart = size(log());
      long outStart = size(output());
      try {
        if (!started) writeConfig();
        launch();
      } catch (IOException e) {
        throw new HostError("cannot start " + name + " (" + program + "): " + e.getMessage(), RedisBinaries.HOW_TO_GET);
      }
      if (awaitAnswer(START_WAIT)) {
        started = true;
        return;
      }
      String said = since(log(), logStart) + since(output(), outStart);
      process.destroyForcibly();
      boolean portTaken = said.contains("Address already in use");
      if (!started && portTaken && attempt < START_TRIES) {
        port = freePort();
        continue;
      }
      String why = said.lines().filter(l -> l.contains("#") || l.contains("FATAL") || l.contains("rror") || l.contains("Could not"))
          .reduce((a, b) -> b).orElse("no answer within " + START_WAIT.toSeconds() + "s").strip();
      throw new HostError(kind.word + " " + name + " did not start: " + why, "its log is " + log());
    }
  }

  private void launch() throws IOException {
    List<String> cmd = new ArrayList<>();
    ProcStat.setsid().ifPresent(cmd::add);
    cmd.add(program.toString());
    cmd.add(conf().toString());
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  /** Polls PING until it answers, the process exits or {@code limit} passes. */
  private boolean awaitAnswer(Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (answers()) return true;
      if (process != null && !process.isAlive()) return false;
      pause(20);
    }
    return false;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.faultline.host.Interrupted("interrupted while waiting for a Redis process");
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String since(Path p, long offset) {
    try {
      byte[] all = Files.readAllBytes(p);
      int from = (int) Math.min(offset, all.length);
      return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Its PID now: the process this JVM started while it lives, else the PID file's when that PID runs
   * a Redis process on this port (a process restarted by {@code faultline recover} is not a child).
   */
  Optional<Long> pid() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p != null && p.isAlive()) return Optional.of(p.pid());
    return pidFromFile(pidFile(), port);
  }

  static Optional<Long> pidFromFile(Path pidFile, int port) {
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      String command = ProcStat.commandLine(pid);
      if (ProcStat.isAlive(pid) && command.contains("redis") && command.contains(":" + port)) return Optional.of(pid);
    } catch (IOException | NumberFormatException e) {
      // no PID file: not running
    }
    return Optional.empty();
  }

  boolean isRunning() {
    return pid().map(ProcStat::isAlive).orElse(false);
  }

  boolean isPaused() {
    return pid().map(ProcStat::isStopped).orElse(false);
  }

  /** A fresh connection to it alone; the caller closes it. */
  Jedis connect(int timeoutMillis) {
    return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis).clientName("faultline").build());
  }

  /** Whether it answers PING within half a second. */
  boolean answers() {
    try (Jedis j = connect(500)) {
      return "PONG".equals(j.ping());
    } catch (JedisException e) {
      return false;
    }
  }

  /**
   * Stops it the way an operator would: {@code SHUTDOWN NOSAVE} for a server (no snapshot is
   * written, whatever the persistence), SIGTERM for a Sentinel; waits until the process has exited.
   */
  void shutdown() throws IOException {
    if (!isRunning()) return;
    if (isPaused()) throw new HostError(name + " is paused (SIGSTOP), so it cannot answer SHUTDOWN", "resume it first, or kill() it");
    if (kind == Kind.SERVER) {
      try (Jedis j = connect(2000)) {
        j.shutdown(ShutdownParams.shutdownParams().nosave());
      } catch (JedisException expected) {
        // the connection closes as the server exits
      }
    } else {
      signal("TERM");
    }
    awaitExit(EXIT_WAIT);
  }

  /** Sends a signal to the process; false when it does not run. */
  boolean signal(String signal) throws IOException {
    Optional<Long> pid = pid();
    return pid.isPresent() && ProcStat.signal(pid.get(), signal);
  }

  /** Waits until the process has exited; a HostError after {@code limit}. */
  void awaitExit(Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (isRunning()) {
      if (System.nanoTime() > end) throw new HostError(name + " (" + address() + ") is still running " + limit.toSeconds() + "s after it was told to stop");
      pause(10);
    }
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p != null) {
      try {
        p.waitFor(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SIGKILL, paused or not (a stopped process dies of it too), and waits for the exit. */
  void killNow() {
    Optional<Long> pid = pid();
    if (pid.isEmpty()) return;
    ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
    awaitExit(EXIT_WAIT);
  }

  @Override
  public String toString() {
    return kind.word + " " + name + " at " + address();
  }
}
