package dev.faultline.stdlib.postgres;

import dev.faultline.host.HostError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One PostgreSQL server of a local cluster: its data directory, its port on 127.0.0.1 and the
 * programs that start, stop, clone and promote it. The port stays the same for the server's whole
 * life, across stops, restarts and re-clones, so that addresses held by playbooks stay valid.
 * Not thread-safe on its own: {@link LocalCluster} serialises what changes it.
 */
final class LocalServer {
  /** Ports are drawn below Linux's ephemeral range (32768 and up), where outgoing connections take theirs. */
  private static final int PORT_FLOOR = 15_000;
  private static final int PORT_CEILING = 32_000;
  private static final int START_TRIES = 5;

  final String name;
  /** Fixed once the server first started; before that a port found taken is replaced. */
  volatile int port;
  private boolean started;
  private final Path root;
  private final Path data;
  private final PgBinaries bin;
  private final Credentials credentials;

  LocalServer(String name, Path root, PgBinaries bin, Credentials credentials) {
    this.name = name;
    this.root = root;
    this.data = root.resolve(name);
    this.bin = bin;
    this.credentials = credentials;
    this.port = freePort();
  }

  /**
   * A port free now on 127.0.0.1. Rationale: the server binds it a moment later, so it is drawn at
   * random below the ephemeral range, where no outgoing connection can take it meanwhile; if
   * another program still does, {@link #start} draws again.
   */
  private static int freePort() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 100; i++) {
      int candidate = r.nextInt(PORT_FLOOR, PORT_CEILING);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", candidate));
        return candidate;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new HostError("postgres.local(): no free port on 127.0.0.1 between " + PORT_FLOOR + " and " + PORT_CEILING);
  }

  /** Draws another port before a first start that found this one taken. */
  void redrawPort() {
    if (started) throw new IllegalStateException("the port of " + name + " is fixed once it has started");
    port = freePort();
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  private Path commandLog() {
    return root.resolve(name + "-commands.log");
  }

  Path serverLog() {
    return root.resolve(name + ".log");
  }

  private long logSize() {
    try {
      return Files.size(serverLog());
    } catch (IOException e) {
      return 0;
    }
  }

  /** What the server wrote to its log since {@code offset}. */
  private String logSince(long offset) {
    try {
      byte[] all = Files.readAllBytes(serverLog());
      return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private Map<String, String> passwordEnv() {
    return Map.of("PGPASSWORD", credentials.password());
  }

  /** initdb with the cluster's password and settings; the server is not started. */
  void initPrimary(List<String> settings) throws IOException {
    initPrimary(settings, List.of());
  }

  /** As {@link #initPrimary(List)}, with more initdb options (WAL segment size, data checksums). */
  void initPrimary(List<String> settings, List<String> initdbOptions) throws IOException {
    Path pwfile = root.resolve("pwfile");
    Files.writeString(pwfile, credentials.password() + "\n");
    bin.own(pwfile);
    try {
      List<String> args = new java.util.ArrayList<>(List.of("-D", data.toString(), "-U", credentials.user(), "--pwfile=" + pwfile,
          "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
      args.addAll(initdbOptions);
      bin.run(commandLog(), Map.of(), "initdb", args.toArray(String[]::new));
    } finally {
      Files.deleteIfExists(pwfile);
    }
    Files.write(data.resolve("postgresql.conf"), settings, java.nio.file.StandardOpenOption.APPEND);
  }

  /**
   * Makes this server a streaming replica of {@code primary}: its data directory is replaced by a
   * base backup, with {@code primary_conninfo} written by {@code pg_basebackup -R}. Not started.
   */
  void cloneFrom(LocalServer primary) throws IOException {
    wipe();
    String conninfo = "host=127.0.0.1 port=" + primary.port + " user=" + credentials.user() + " application_name=" + name;
    bin.run(commandLog(), passwordEnv(), "pg_basebackup", "-d", conninfo, "-D", data.toString(), "-R", "-X", "stream",
        "-c", "fast", "--no-sync");
  }

  Path dataDirectory() {
    return data;
  }

  /** Where {@link #moveAside()} puts the data directory: beside it, inside the cluster's own directory. */
  private Path lostDirectory() {
    return root.resolve(name + ".lost");
  }

  /**
   * Moves the data directory aside (the server must be stopped): the server and its data can no
   * longer be reached, as when its region is lost. Only ever inside the cluster's own directory.
   */
  void moveAside() throws IOException {
    if (isRunning()) throw new HostError("server " + name + " must be stopped before its data directory is moved aside");
    if (Files.exists(data)) Files.move(data, lostDirectory(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Undoes {@link #moveAside()}; returns whether there was something to bring back. */
  boolean moveBack() throws IOException {
    if (!Files.exists(lostDirectory()) || Files.exists(data)) return false;
    Files.move(lostDirectory(), data, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /**
   * Makes this server's data directory a copy of a base backup, with {@code settings} appended to
   * its postgresql.auto.conf (read after postgresql.conf, so they override what the backup brought)
   * and a recovery.signal: started, it replays WAL as {@code settings} say. Not started.
   */
  void restoreFrom(Path backup, List<String> settings) throws IOException {
    wipe();
    bin.copyTree(commandLog(), backup, data);
    // backup_manifest and backup_label describe the backup; the server reads backup_label (it must
    // stay), the manifest is for pg_verifybackup only.
    Files.deleteIfExists(data.resolve("backup_manifest"));
    Files.write(data.resolve("postgresql.auto.conf"), settings, java.nio.file.StandardOpenOption.APPEND);
    Path signal = data.resolve("recovery.signal");
    Files.writeString(signal, "");
    bin.own(signal);
  }

  /** Starts the server without waiting for it to accept connections (a restore waits on its own terms). */
  void startWithoutWaiting() {
    started = false;
    bin.run(commandLog(), Map.of(), "pg_ctl", "start", "-W", "-D", data.toString(), "-l", serverLog().toString(),
        "-o", "-p " + port + " -k " + root + " -c cluster_name=" + name);
  }

  /** Marks the port as fixed: the server came up on it. */
  void markStarted() {
    started = true;
  }

  /** The last FATAL, PANIC or ERROR line of the server's log, or empty. */
  String lastLogError() {
    // A FATAL line often only sums up: the line before it says what (an invalid setting, a missing file).
    List<String> lines = logSince(0).lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String l = lines.get(i);
      // Connections turned away while the server starts or stops say so at FATAL too: not the cause.
      if (l.contains("the database system is") || l.contains("not yet accepting connections")) continue;
      if (l.contains("FATAL") || l.contains("PANIC") || l.contains("ERROR")) {
        String before = i > 0 && (lines.get(i - 1).contains("LOG:") || lines.get(i - 1).contains("DETAIL:")) ? lines.get(i - 1).strip() : "";
        return strip(l) + (before.isEmpty() ? "" : " (" + strip(before) + ")");
      }
    }
    return "";
  }

  /** A log line without its timestamp and process id prefix. */
  private static String strip(String line) {
    return line.replaceFirst("^\\d{4}-\\d{2}-\\d{2} [0-9:.]+ \\S+ \\[\\d+\\] ", "").strip();
  }

  /** A base backup of this server into {@code dir} (which must not exist): WAL streamed into it, a manifest with checksums. */
  void backupTo(Path dir, String label) {
    String conninfo = "host=127.0.0.1 port=" + port + " user=" + credentials.user() + " application_name=faultline-backup";
    bin.run(commandLog(), passwordEnv(), "pg_basebackup", "-d", conninfo, "-D", dir.toString(), "-X", "stream", "-c", "fast",
        "--no-sync", "-l", label, "--manifest-checksums=CRC32C");
  }

  /** Starts the server; on its first start, a port someone took meanwhile is replaced by another. */
  void start() {
    for (int attempt = 1; ; attempt++) {
      long logStart = logSize();
      try {
        bin.run(commandLog(), Map.of(), "pg_ctl", "start", "-w", "-t", "60", "-D", data.toString(), "-l", serverLog().toString(),
            "-o", "-p " + port + " -k " + root + " -c cluster_name=" + name);
        started = true;
        return;
      } catch (HostError e) {
        String log = logSince(logStart);
        boolean portTaken = log.contains("could not bind") || log.contains("Address already in use");
        if (!started && portTaken && attempt < START_TRIES) {
          port = freePort();
          continue;
        }
        String why = log.lines().filter(l -> l.contains("FATAL") || l.contains("ERROR") || l.contains("could not"))
            .reduce((a, b) -> b).orElse(e.getMessage()).strip();
        throw new HostError("server " + name + " did not start: " + why, "its log is " + serverLog());
      }
    }
  }

  /** {@code mode} is fast or immediate; a server that is not running is left as it is. */
  void stop(String mode) {
    if (!isRunning()) return;
    bin.run(commandLog(), Map.of(), "pg_ctl", "stop", "-w", "-t", "60", "-D", data.toString(), "-m", mode);
  }

  /** Whether the postmaster of this data directory is alive. */
  boolean isRunning() {
    return postmasterPid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  Optional<Long> postmasterPid() {
    Path pidFile = data.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  void wipe() throws IOException {
    LocalCluster.deleteTree(data);
  }

  /** A fresh connection to this server alone, not pooled; the caller closes it. */
  Connection connect(int timeoutSeconds) throws SQLException {
    Properties p = credentials.properties("faultline-admin");
    p.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
    p.setProperty("socketTimeout", "60");
    return DriverManager.getConnection(jdbcUrl(), p);
  }

  /** Whether the server answers and is not in recovery; false when it does not answer. */
  boolean acceptsWrites() {
    if (!isRunning()) return false;
    try (Connection c = connect(2); Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_is_in_recovery()")) {
      return r.next() && !r.getBoolean(1);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Runs statements that return nothing, in autocommit; SQL errors become HostErrors naming the server. */
  void execute(String... sql) {
    try (Connection c = connect(5); Statement s = c.createStatement()) {
      for (String q : sql) s.execute(q);
    } catch (SQLException e) {
      throw new HostError("server " + name + " (" + address() + "): " + e.getMessage());
    }
  }

  /** pg_promote(), waiting up to {@code waitSeconds} for the promotion to finish. */
  boolean promote(int waitSeconds) {
    try (Connection c = connect(5); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("select pg_promote(true, " + waitSeconds + ")")) {
      return r.next() && r.getBoolean(1);
    } catch (SQLException e) {
      throw new HostError("cannot promote " + name + " (" + address() + "): " + e.getMessage());
    }
  }

  /** Stops a server of an abandoned cluster directory, whatever its port, with immediate shutdown. */
  static void stopAbandoned(PgBinaries bin, Path root, Path data) {
    bin.run(root.resolve("cleanup.log"), Map.of(), "pg_ctl", "stop", "-w", "-t", "30", "-D", data.toString(), "-m", "immediate");
  }
}
