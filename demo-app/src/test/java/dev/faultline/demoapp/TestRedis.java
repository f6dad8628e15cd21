package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway redis-server on a free loopback port, without persistence; it can be stopped and
 * started again on the same port. The tests skip with {@code -Dfaultline.skip.redis=true}; without
 * the property and without the program they fail, saying how to get it.
 */
final class TestRedis implements AutoCloseable {
  static final String SKIP = "faultline.skip.redis";
  private static final Path SERVER = Path.of("/usr/bin/redis-server");

  final int port;
  private final List<String> extra;
  private Process process;

  private TestRedis(int port, List<String> extra) {
    this.port = port;
    this.extra = extra;
  }

  static void assumeServer() {
    assumeFalse(Boolean.getBoolean(SKIP), "Redis tests skipped (-D" + SKIP + "=true)");
    if (!Files.isExecutable(server())) {
      throw new AssertionError("the Redis tests need redis-server: apt-get install redis-server (./run-tests does it),"
          + " or skip them with -D" + SKIP + "=true");
    }
  }

  private static Path server() {
    if (Files.isExecutable(SERVER)) return SERVER;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) return Path.of(dir, "redis-server");
    }
    return SERVER;
  }

  static TestRedis start() throws IOException {
    TestRedis r = new TestRedis(TestPostgres.freePort(), List.of());
    r.startAgain();
    return r;
  }

  /** A replica of the server on {@code masterPort}. */
  static TestRedis replicaOf(int masterPort) throws IOException {
    TestRedis r = new TestRedis(TestPostgres.freePort(), List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort)));
    r.startAgain();
    return r;
  }

  /**
   * A Sentinel watching the master on {@code masterPort} as "mymaster", alone (quorum 1), declaring
   * it down after 1 s. Its config file is in {@code dir}, which Sentinel rewrites.
   */
  static TestRedis sentinel(int masterPort, Path dir) throws IOException {
    int port = TestPostgres.freePort();
    Path conf = dir.resolve("sentinel-" + port + ".conf");
    Files.writeString(conf, String.join("\n",
        "port " + port, "bind 127.0.0.1", "daemonize no",
        "sentinel monitor mymaster 127.0.0.1 " + masterPort + " 1",
        "sentinel down-after-milliseconds mymaster 1000",
        "sentinel failover-timeout mymaster 5000", ""));
    TestRedis r = new TestRedis(port, List.of(conf.toString(), "--sentinel"));
    r.startAgain();
    return r;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  void startAgain() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(server().toString()));
    if (!extra.contains("--sentinel")) {
      cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"));
    }
    cmd.addAll(extra);
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(new File("/dev/null")).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) throw new IOException("redis-server exited with " + process.exitValue());
        sleep(50);
      }
    }
    throw new IOException("redis-server did not listen on " + port + " within 10 s");
  }

  /** Kills the server (SIGKILL) and waits until it is gone. */
  void stop() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
