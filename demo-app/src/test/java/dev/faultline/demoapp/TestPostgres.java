package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL primary with streaming replicas on free loopback ports, made with the
 * machine's initdb, pg_ctl and pg_basebackup (as the {@code postgres} user when the tests run as
 * root). Trust authentication, fsync off. The tests skip with {@code -Dfaultline.skip.postgres=true};
 * without the property and without the programs they fail, saying how to get them.
 */
final class TestPostgres implements AutoCloseable {
  static final String SKIP = "faultline.skip.postgres";

  /** One server: its port and data directory. */
  final class Node {
    final int port;
    final Path data;

    Node(int port, Path data) {
      this.port = port;
      this.data = data;
    }

    void stop() {
      pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    void start() {
      pg("pg_ctl", "-D", data.toString(), "-l", data.resolveSibling(data.getFileName() + ".log").toString(), "-w", "-t", "60", "start");
    }

    void promote() {
      pg("pg_ctl", "-D", data.toString(), "-w", "promote");
    }

    String address() {
      return "127.0.0.1:" + port;
    }
  }

  private final Path bin;
  private final Path root;
  private final boolean asPostgres;
  final List<Node> nodes = new ArrayList<>();

  private TestPostgres(Path bin, Path root, boolean asPostgres) {
    this.bin = bin;
    this.root = root;
    this.asPostgres = asPostgres;
  }

  /** Skips the test with the property; fails it when the programs are missing. */
  static void assumeServer() {
    assumeFalse(Boolean.getBoolean(SKIP), "PostgreSQL tests skipped (-D" + SKIP + "=true)");
    if (bin().isEmpty()) {
      throw new AssertionError("the PostgreSQL tests need initdb and pg_ctl: apt-get install postgresql (./run-tests does it),"
          + " or skip them with -D" + SKIP + "=true");
    }
  }

  static Optional<Path> bin() {
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> s = Files.list(versions)) {
        Optional<Path> found = s.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparing(Path::toString));
        if (found.isPresent()) return found;
      } catch (IOException e) {
        // fall through to PATH
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
        return Optional.of(Path.of(dir));
      }
    }
    return Optional.empty();
  }

  /** A primary and {@code replicas} streaming replicas, all running. */
  static TestPostgres start(int replicas) throws IOException {
    return start(replicas, false);
  }

  /**
   * Like {@link #start(int)}; with {@code socketsOnly} the servers refuse every TCP connection but
   * replication, so that only their Unix sockets (in {@link #socketDir()}) let clients in.
   */
  static TestPostgres start(int replicas, boolean socketsOnly) throws IOException {
    boolean root = "root".equals(System.getProperty("user.name"));
    TestPostgres pg = new TestPostgres(bin().orElseThrow(), Files.createTempDirectory("demo-app-pg-"), root);
    try {
      pg.own(pg.root);
      Path primaryData = pg.root.resolve("node1");
      Node primary = pg.new Node(freePort(), primaryData);
      pg.pg("initdb", "-D", primaryData.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
      pg.appendConfig(primary, "wal_level = replica", "max_wal_senders = 10", "hot_standby = on", "wal_keep_size = '64MB'");
      if (socketsOnly) {
        Path hba = primaryData.resolve("pg_hba.conf");
        Files.writeString(hba, "host all all 127.0.0.1/32 reject\nhost all all ::1/128 reject\n" + Files.readString(hba));
      }
      primary.start();
      pg.nodes.add(primary);
      for (int i = 0; i < replicas; i++) {
        Node replica = pg.new Node(freePort(), pg.root.resolve("node" + (i + 2)));
        pg.pg("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primary.port), "-U", "postgres",
            "-D", replica.data.toString(), "-R", "-X", "stream");
        pg.appendConfig(replica);
        replica.start();
        pg.nodes.add(replica);
      }
      return pg;
    } catch (IOException | RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /** Where the servers' Unix sockets are: .s.PGSQL.<port>. */
  String socketDir() {
    return root.toString();
  }

  Node primary() {
    return nodes.get(0);
  }

  /** Every server as host:port,host:port, the primary first: the API's --db. */
  String hosts() {
    return nodes.stream().map(Node::address).collect(Collectors.joining(","));
  }

  /** Runs one SQL statement on a server as postgres, with psql. */
  String sql(Node node, String statement) {
    return pg("psql", "-h", root.toString(), "-p", Integer.toString(node.port), "-U", "postgres", "-d", "postgres", "-Atc", statement);
  }

  private void appendConfig(Node node, String... more) throws IOException {
    List<String> lines = new ArrayList<>(List.of("", "listen_addresses = '127.0.0.1'", "port = " + node.port,
        "unix_socket_directories = '" + root + "'", "fsync = off", "full_page_writes = off", "shared_buffers = '16MB'",
        "max_connections = 60"));
    lines.addAll(List.of(more));
    Path conf = node.data.resolve("postgresql.conf");
    Files.writeString(conf, String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.APPEND);
  }

  private void own(Path dir) throws IOException {
    if (!asPostgres) return;
    UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
    Files.setOwner(dir, user);
  }

  /** Runs a PostgreSQL program to its end; its output is returned, or quoted in the failure. */
  String pg(String program, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    cmd.add(bin.resolve(program).toString());
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("demo-app-pg", ".out");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
            .redirectInput(new File("/dev/null")).directory(root.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(program + " did not finish in 90 s");
        }
        String text = Files.readString(out);
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + text);
        return text.strip();
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + program + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      try {
        n.stop();
      } catch (RuntimeException ignored) {
        // already stopped
      }
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }
}
