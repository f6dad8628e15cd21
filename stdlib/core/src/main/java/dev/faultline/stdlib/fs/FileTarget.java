package dev.faultline.stdlib.fs;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file named by {@code file(path)}, as playbooks hold it: an absolute path and nothing else, so
 * naming a file touches nothing. Its readers look at the disk each time; its injectors describe
 * faults that the lifecycle injects and reverts. Immutable.
 */
@HostType(name = "file", doc = "A file named by file(path): read it, or inject faults into it that are restored byte for byte.")
public final class FileTarget implements HostValue {
  /** Rationale: {@code content} makes a string of the whole file; past this it is not a config file. */
  static final long CONTENT_LIMIT = 16L << 20;

  private final Path path;

  FileTarget(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  // ------------------------------------------------------------ readers

  @HostFunction(name = "path", effect = Effect.PURE, doc = "The file's absolute path.")
  public String pathName() {
    return path.toString();
  }

  @HostFunction(name = "exists", effect = Effect.PROBE, doc = "Whether the file exists now (a link counts when what it names exists).")
  public boolean exists() {
    return Files.exists(path);
  }

  @HostFunction(name = "content", effect = Effect.PROBE, doc = "The file's content now, as UTF-8 text (up to 16MiB).")
  public String content() {
    try {
      long size = Files.size(path);
      if (size > CONTENT_LIMIT) {
        throw new HostError("content: " + path + " is " + new ByteSize(size) + ", more than the 16MiB a playbook may read as text");
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      try {
        return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
      } catch (IOException again) {
        throw readError("content", again);
      }
    } catch (IOException e) {
      throw readError("content", e);
    }
  }

  @HostFunction(name = "size", effect = Effect.PROBE, doc = "The file's size now.")
  public ByteSize size() {
    try {
      return new ByteSize(Files.size(path));
    } catch (IOException e) {
      throw readError("size", e);
    }
  }

  @HostFunction(name = "mode", effect = Effect.PROBE, doc = "The file's POSIX permissions now, in octal: \"644\".")
  public String mode() {
    try {
      return FileUndo.octal(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw readError("mode", e);
    } catch (UnsupportedOperationException e) {
      throw new HostError("mode: " + path + " is not on a file system with POSIX permissions");
    }
  }

  @HostFunction(name = "mtime", effect = Effect.PROBE, doc = "The file's last-modified time now, as an ISO-8601 instant"
      + " with the file system's precision: \"2024-05-01T10:00:00.123456789Z\".")
  public String mtime() {
    try {
      return Files.getLastModifiedTime(path).toInstant().toString();
    } catch (IOException e) {
      throw readError("mtime", e);
    }
  }

  private HostError readError(String member, IOException e) {
    return new HostError(member + ": cannot read " + path + ": " + FileUndo.reason(e));
  }

  // ------------------------------------------------------------ injectors

  @Injector(name = "replace", requires = Capability.FS, doc = "Replaces the whole content with `text`; a file that does not"
      + " exist is created (with any missing directories). Reverted byte for byte, permissions and mtime included; a"
      + " created file is removed again.")
  public Fault replace(@Arg(name = "text", doc = "the new content, written as UTF-8") String text) {
    return fault(FileUndo.Op.REPLACE, text.getBytes(StandardCharsets.UTF_8), 0, 0, null);
  }

  @Injector(name = "append", requires = Capability.FS, doc = "Appends `text` to the file (creating it when it does not exist)."
      + " Reverted byte for byte, permissions and mtime included.")
  public Fault append(@Arg(name = "text", doc = "what to add at the end, written as UTF-8") String text) {
    return fault(FileUndo.Op.APPEND, text.getBytes(StandardCharsets.UTF_8), 0, 0, null);
  }

  @Injector(name = "corrupt", requires = Capability.FS, doc = "Changes `bytes` consecutive bytes (every one of them) at a"
      + " position drawn from `seed`; the same seed on the same file corrupts the same bytes. The seed is printed in the"
      + " fault's description. Reverted byte for byte.")
  public Fault corrupt(
      @Arg(name = "bytes", doc = "how many bytes to change (the whole file when it is shorter)", byDefault = "64") int bytes,
      @Arg(name = "seed", doc = "chooses the position and the new bytes; null picks one and prints it", byDefault = "null") Long seed) {
    if (bytes < 1) throw new HostError("corrupt() needs at least 1 byte to change, got " + bytes);
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    return fault(FileUndo.Op.CORRUPT, null, bytes, s, null);
  }

  @Injector(name = "delete", requires = Capability.FS, doc = "Deletes the file. Reverted by recreating it byte for byte,"
      + " with its permissions and mtime.")
  public Fault delete() {
    return fault(FileUndo.Op.DELETE, null, 0, 0, null);
  }

  @Injector(name = "chmod", requires = Capability.FS, doc = "Sets the file's POSIX permissions to `mode` (octal, as chmod"
      + " takes it); \"000\" makes it unreadable to everyone but root. Reverted to the original permissions.")
  public Fault chmod(@Arg(name = "mode", doc = "the permissions in octal: \"000\", \"444\", \"0600\"", byDefault = "\"000\"") String mode) {
    try {
      return fault(FileUndo.Op.CHMOD, null, 0, 0, FileUndo.mode(mode.strip()));
    } catch (IllegalArgumentException e) {
      throw new HostError("chmod() needs a mode of three octal digits, got " + Values.showNested(mode),
          "e.g. mode: \"000\" (no access) or \"444\" (read-only)");
    }
  }

  private Fault fault(FileUndo.Op op, byte[] text, int length, long seed, java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) {
    return new FileFault(path, new FileUndo.Change(op, text, length, seed, mode));
  }

  @Override
  public String show() {
    return "file " + path;
  }
}
