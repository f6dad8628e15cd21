package dev.faultline.stdlib.fs;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * File faults: {@code file(path)} names a file, whose injectors replace, append to, corrupt, delete
 * or chmod it, each restored byte for byte. Stateless; the constructor does nothing.
 */
public final class FilesLibrary implements Library {

  @HostFunction(name = "file", effect = Effect.PURE, doc = "Names a file; a relative path is taken from the working"
      + " directory. Naming a file touches nothing: its readers (exists, content, size, mode) look at it, its injectors"
      + " (replace, append, corrupt, delete, chmod) change it until the fault is reverted.")
  public FileTarget file(@Arg(name = "path", doc = "the file's path, absolute or relative to the working directory") String path) {
    if (path.isBlank()) throw new HostError("file() needs a path, got an empty string");
    try {
      return new FileTarget(Path.of(path).toAbsolutePath().normalize());
    } catch (InvalidPathException e) {
      throw new HostError("file(): not a path: " + e.getMessage());
    }
  }
}
