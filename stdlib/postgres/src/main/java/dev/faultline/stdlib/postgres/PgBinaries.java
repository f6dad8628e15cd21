package dev.faultline.stdlib.postgres;

import dev.faultline.host.HostError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine's PostgreSQL server programs (initdb, pg_ctl, pg_basebackup), found on PATH, in
 * {@code PG_BIN} or under {@code /usr/lib/postgresql/<version>/bin} (newest first), and how to run
 * them: as root they run as the {@code postgres} user, since PostgreSQL refuses to run as root.
 * Immutable and thread-safe.
 */
final class PgBinaries {
  static final String HOW_TO_GET = "install the server (Debian: apt-get install postgresql-15), or set PG_BIN to the folder"
      + " holding initdb and pg_ctl";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  final Path bin;
  /** Null when the programs run as the current user. */
  private final String runAs;

  private PgBinaries(Path bin, String runAs) {
    this.bin = bin;
    this.runAs = runAs;
  }

  /** The binaries of this machine, or a HostError saying how to get them. */
  static PgBinaries find() {
    return find(System.getenv(), VERSIONS);
  }

  static PgBinaries find(Map<String, String> env, Path versions) {
    Path bin = locate(env, versions).orElseThrow(() -> new HostError(
        "postgres.local() needs the PostgreSQL server programs (initdb, pg_ctl), found on PATH, in PG_BIN or under"
            + " /usr/lib/postgresql/*/bin; none were found", HOW_TO_GET));
    String user = isRoot() ? "postgres" : null;
    if (user != null && !userExists(user)) {
      throw new HostError("postgres.local() runs as root, so it runs the servers as the 'postgres' user, which does not exist",
          "create it (useradd --system postgres) or run as another user");
    }
    return new PgBinaries(bin, user);
  }

  /** Whether the programs can be found, for tests that skip without them. */
  static boolean available() {
    return locate(System.getenv(), VERSIONS).isPresent();
  }

  /** Where Debian installs each major version: /usr/lib/postgresql/15/bin. */
  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");

  static Optional<Path> locate(Map<String, String> env, Path versions) {
    List<Path> candidates = new ArrayList<>();
    String pgBin = env.get("PG_BIN");
    if (pgBin != null && !pgBin.isBlank()) candidates.add(Path.of(pgBin));
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(":")) if (!dir.isBlank()) candidates.add(Path.of(dir));
    if (Files.isDirectory(versions)) {
      try (Stream<Path> s = Files.list(versions)) {
        s.map(v -> v.resolve("bin")).sorted(Comparator.comparing(PgBinaries::versionOf).reversed()).forEach(candidates::add);
      } catch (IOException e) {
        // unreadable: only the other places count
      }
    }
    // A PATH entry may hold symbolic links to a few programs only (initdb, pg_ctl): the folder that
    // counts is the one the real initdb lives in, next to pg_basebackup and the server.
    return candidates.stream()
        .filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
        .map(d -> realFolder(d.resolve("initdb")))
        .filter(d -> Files.isExecutable(d.resolve("pg_ctl")) && Files.isExecutable(d.resolve("postgres")))
        .findFirst();
  }

  private static Path realFolder(Path program) {
    try {
      return program.toRealPath().getParent();
    } catch (IOException e) {
      return program.getParent();
    }
  }

  private static int versionOf(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean userExists(String user) {
    try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
      return lines.anyMatch(l -> l.startsWith(user + ":"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Makes {@code dir} belong to the user the servers run as. */
  void own(Path dir) throws IOException {
    if (runAs == null) return;
    UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
    Files.setOwner(dir, user);
  }

  /**
   * Runs one program to its end with {@code env} added to the environment; its output goes to
   * {@code log}. Returns normally on exit status 0, else throws a HostError quoting the log's tail.
   * {@code env} carries secrets (PGPASSWORD), never the command line, which others can read in /proc.
   */
  void run(Path log, Map<String, String> env, String program, String... args) {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    exec(log, env, program, command);
  }

  /**
   * Copies a directory tree as the servers' user, keeping modes ({@code cp -a}): a base backup into
   * a new data directory. {@code to} must not exist yet.
   */
  void copyTree(Path log, Path from, Path to) {
    exec(log, Map.of(), "cp", List.of("cp", "-a", from.toString(), to.toString()));
  }

  private void exec(Path log, Map<String, String> env, String program, List<String> command) {
    List<String> cmd = new ArrayList<>();
    if (runAs != null) cmd.addAll(List.of("runuser", "-u", runAs, "--"));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new HostError(program + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + "s; see " + log);
      }
      if (p.exitValue() != 0) {
        throw new HostError(program + " failed (exit " + p.exitValue() + "): " + tail(log), "its full output is in " + log);
      }
    } catch (IOException e) {
      throw new HostError("cannot run " + program + ": " + e.getMessage(), HOW_TO_GET);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.faultline.host.Interrupted("interrupted while running " + program);
    }
  }

  /** The last meaningful line of a log, for error messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).strip();
        if (!l.isEmpty() && !l.startsWith("waiting for") && !l.equals("stopped waiting") && !l.contains("hint:")) return l;
      }
    } catch (IOException e) {
      // fall through
    }
    return "(no output)";
  }
}
