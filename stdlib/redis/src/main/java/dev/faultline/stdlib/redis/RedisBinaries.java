package dev.faultline.stdlib.redis;

import dev.faultline.host.HostError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine's {@code redis-server} and {@code redis-sentinel}, found in {@code REDIS_BIN}, on
 * {@code PATH} or in {@code /usr/bin} (where Debian's packages put them). Redis runs as any user,
 * root included, so they run as the current user. Immutable.
 */
record RedisBinaries(Path server, Path sentinel) {
  static final String HOW_TO_GET = "install them (Debian: apt-get install redis-server redis-sentinel), or set REDIS_BIN to the"
      + " folder holding redis-server and redis-sentinel";

  /** The programs of this machine, or a HostError saying how to get them. */
  static RedisBinaries find() {
    return find(System.getenv(), DEBIAN).orElseThrow(() -> new HostError(
        "redis.local() needs redis-server and redis-sentinel, found in REDIS_BIN, on PATH or in /usr/bin; they were not found",
        HOW_TO_GET));
  }

  /** Whether both programs can be found, for tests that skip without them. */
  static boolean available() {
    return find(System.getenv(), DEBIAN).isPresent();
  }

  private static final List<Path> DEBIAN = List.of(Path.of("/usr/bin"));

  /** In {@code REDIS_BIN}, then each folder of {@code PATH}, then {@code fallback}. */
  static Optional<RedisBinaries> find(Map<String, String> env, List<Path> fallback) {
    List<Path> dirs = new ArrayList<>();
    String bin = env.get("REDIS_BIN");
    if (bin != null && !bin.isBlank()) dirs.add(Path.of(bin));
    for (String dir : env.getOrDefault("PATH", "").split(":")) if (!dir.isBlank()) dirs.add(Path.of(dir));
    dirs.addAll(fallback);
    Optional<Path> server = dirs.stream().map(d -> d.resolve("redis-server")).filter(Files::isExecutable).findFirst();
    Optional<Path> sentinel = dirs.stream().map(d -> d.resolve("redis-sentinel")).filter(Files::isExecutable).findFirst();
    if (server.isEmpty() || sentinel.isEmpty()) return Optional.empty();
    return Optional.of(new RedisBinaries(server.get(), sentinel.get()));
  }
}
