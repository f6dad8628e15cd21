package dev.faultline.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Private temporary directories that name the process owning them, for the throwaway things a run
 * makes on this machine (local PostgreSQL clusters, local Redis servers, the watchdog's warm-up).
 * A run killed outright cannot remove its directories: the next one that makes a directory of the
 * same kind removes those whose owner is gone, after letting the caller stop what still runs from
 * them.
 */
public final class OwnedDirectories {
  /** The file in each directory that holds the owning process's PID. */
  public static final String OWNER_FILE = "owner.pid";

  /** What to do with an abandoned directory before it is removed, such as stopping its servers. */
  @FunctionalInterface
  public interface Cleanup {
    /**
     * Called once per abandoned directory, before it is removed.
     *
     * @param dir the directory whose owner is gone
     * @throws IOException when its contents cannot be read; the directory is skipped this time
     */
    void before(Path dir) throws IOException;
  }

  private OwnedDirectories() {}

  /**
   * Makes a new directory in the system's temporary directory, readable by its user only, naming
   * this process as its owner.
   *
   * @param prefix the start of its name, the same for every directory of a kind
   * @return the new directory
   * @throws IOException when it cannot be made
   */
  public static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(dir.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
    return dir;
  }

  /**
   * Removes the directories of a kind whose owning process is gone, calling {@code cleanup} on
   * each first. Best effort: a directory that cannot be cleaned up or removed is left for the next
   * time, and nothing is thrown.
   *
   * @param prefix the start of their names, as given to {@link #create}
   * @param cleanup what to do before removing one
   */
  public static void removeAbandoned(String prefix, Cleanup cleanup) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).toList()) {
        Optional<Long> owner = owner(dir);
        if (owner.isEmpty() || ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) continue;
        try {
          cleanup.before(dir);
          deleteTree(dir);
        } catch (IOException | RuntimeException e) {
          // left for the next time
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a leftover directory does not stop a new one
    }
  }

  /**
   * The PID of the process that made a directory.
   *
   * @param dir a directory made by {@link #create}
   * @return the owner's PID, or empty when the directory names none
   */
  public static Optional<Long> owner(Path dir) {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes a directory and everything in it; nothing happens when it does not exist.
   *
   * @param dir the directory
   * @throws HostError when something in it cannot be removed
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new HostError("cannot remove " + dir + ": " + e.getMessage());
    }
  }
}
