package dev.faultline.stdlib.stress;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.HostError;
import dev.faultline.host.Injector;
import dev.faultline.host.Library;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Resource stress: CPU ({@code stress.cpu(workers: 2)}), memory ({@code stress.memory(256MB)}) and
 * disk ({@code stress.disk(16MB, dir: "/var/tmp")}), each a fault that is bounded, journaled and
 * reverted. CPU and memory loads never run inside the interpreter. Stateless.
 */
public final class StressLibrary implements Library {
  /** Rationale: more busy workers than this only queue behind each other and starve the machine. */
  static final int WORKERS_PER_CORE = 4;
  /** Rationale: memory stress must not push the machine into the OOM killer, which may pick anyone. */
  static final double MEMORY_SHARE = 0.9;

  @Injector(name = "stress.cpu", requires = Capability.EXEC, doc = "Keeps `workers` CPU workers busy in a separate process"
      + " (stress-ng --cpu when installed, the built-in worker otherwise) until the fault is reverted, and at most `bound`.")
  public Fault cpu(
      @Arg(name = "workers", doc = "how many busy workers; at most 4 per core", byDefault = "1") long workers,
      @Arg(name = "bound", doc = "the workers end by themselves after this long, even if nothing reverts them", byDefault = "10m") Duration bound,
      @Arg(name = "engine", doc = "\"auto\" (stress-ng when installed), \"stress-ng\" or \"builtin\"", byDefault = "\"auto\"") String engine) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (workers < 1) throw new HostError("stress.cpu() needs at least 1 worker, got " + workers);
    if (workers > (long) WORKERS_PER_CORE * cores) {
      throw new HostError("stress.cpu() refuses " + workers + " workers on a machine with " + cores + " cores",
          "at most " + WORKERS_PER_CORE * cores + " (4 per core)");
    }
    return StressFault.cpu(StressEngine.choose(engine), (int) workers, requireBound("stress.cpu", bound));
  }

  @Injector(name = "stress.memory", requires = Capability.EXEC, doc = "Allocates `size` of memory in a separate process"
      + " (stress-ng --vm when installed, the built-in worker otherwise), makes it resident and holds it until the fault is"
      + " reverted, and at most `bound`. The interpreter's own memory is never used.")
  public Fault memory(
      @Arg(name = "size", doc = "how much to hold, e.g. 256MB; at most 90% of the memory available now") ByteSize size,
      @Arg(name = "bound", doc = "the worker ends by itself after this long, even if nothing reverts it", byDefault = "10m") Duration bound,
      @Arg(name = "engine", doc = "\"auto\" (stress-ng when installed), \"stress-ng\" or \"builtin\"", byDefault = "\"auto\"") String engine) {
    if (size.bytes() < (1 << 20)) throw new HostError("stress.memory() needs at least 1MiB, got " + Values.show(size));
    OptionalLong available = memAvailable();
    if (available.isPresent() && size.bytes() > available.getAsLong() * MEMORY_SHARE) {
      throw new HostError("stress.memory() refuses " + Values.show(size) + ": this machine has " + new ByteSize(available.getAsLong())
          + " available", "at most 90% of the available memory, so that the OOM killer is never called");
    }
    return StressFault.memory(StressEngine.choose(engine), size.bytes(), requireBound("stress.memory", bound));
  }

  @Injector(name = "stress.disk", requires = Capability.FS, doc = "Fills `size` under `dir` with one file of zeros, forced to"
      + " disk; the file (and any directory made for it) is removed when the fault is reverted. Refused when the file"
      + " system has less than `size` free.")
  public Fault disk(
      @Arg(name = "size", doc = "how much to write, e.g. 16MB") ByteSize size,
      @Arg(name = "dir", doc = "the directory to fill under (created when missing, removed again)", byDefault = "\".\"") String dir) {
    if (size.bytes() < 1) throw new HostError("stress.disk() needs a size above 0, got " + Values.show(size));
    Path d;
    try {
      d = Path.of(dir).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new HostError("stress.disk(): not a path: " + e.getMessage());
    }
    Path existing = d;
    while (existing != null && !Files.exists(existing)) existing = existing.getParent();
    if (existing != null) {
      try {
        long free = Files.getFileStore(existing).getUsableSpace();
        if (size.bytes() > free) {
          throw new HostError("stress.disk() cannot fill " + Values.show(size) + " under " + d + ": only " + new ByteSize(free) + " free");
        }
      } catch (IOException e) {
        throw new HostError("stress.disk(): cannot read the free space under " + d + ": " + e.getMessage());
      }
    }
    return StressFault.disk(d, size.bytes(), Duration.ZERO);
  }

  private static Duration requireBound(String fn, Duration bound) {
    if (bound.isNegative() || bound.isZero()) throw new HostError(fn + "() needs a positive 'bound', got " + Values.show(bound));
    return bound;
  }

  /** {@code MemAvailable} of {@code /proc/meminfo}, in bytes; empty when unknown. */
  static OptionalLong memAvailable() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or unreadable: no limit can be computed
    }
    return OptionalLong.empty();
  }
}
