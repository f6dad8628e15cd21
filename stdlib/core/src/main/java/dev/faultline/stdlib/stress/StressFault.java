package dev.faultline.stdlib.stress;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Values;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A CPU, memory or disk load, in place from {@code inject} until {@code revert}. CPU and memory
 * loads run in processes of their own (stress-ng, or the built-in worker), tagged in their
 * environment so that the revert and {@link StressRecoverer} find every one of them; a disk load is
 * one file of zeros under the given directory, forced to disk, removed on revert. The record is
 * taken at construction: the tag and the fill file's name are drawn then. Thread-safe.
 */
final class StressFault implements Fault {
  enum Kind {
    CPU("stress.cpu"), MEMORY("stress.memory"), DISK("stress.disk");

    final String kind;

    Kind(String kind) {
      this.kind = kind;
    }
  }

  /** Rationale: inject returns only once the load is in place; a worker that cannot start says so soon. */
  private static final Duration READY = Duration.ofSeconds(30);
  private static final int CHUNK = 1 << 20;

  private final Kind kind;
  private final StressEngine engine;
  private final long amount;
  private final Duration bound;
  private final Path dir;
  private final Map<String, Object> record;
  private volatile boolean started;
  /** The worker (stress-ng's parent process, or the built-in worker's JVM) this fault started. */
  private volatile Process launched;

  private StressFault(Kind kind, StressEngine engine, long amount, Duration bound, Path dir) {
    this.kind = kind;
    this.engine = engine;
    this.amount = amount;
    this.bound = bound;
    this.dir = dir;
    String tag = UUID.randomUUID().toString();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("version", 1);
    r.put("kind", kind.kind);
    r.put("engine", engine == null ? "builtin" : engine.word);
    r.put("bound_ms", bound.toMillis());
    switch (kind) {
      case CPU -> {
        r.put("tag", tag);
        r.put("workers", amount);
      }
      case MEMORY -> {
        r.put("tag", tag);
        r.put("bytes", amount);
      }
      case DISK -> {
        r.put("path", dir.resolve("faultline-fill-" + tag.substring(0, 8) + ".bin").toString());
        r.put("bytes", amount);
        r.put("made_dirs", missingDirs(dir));
      }
    }
    this.record = Collections.unmodifiableMap(r);
  }

  static StressFault cpu(StressEngine engine, int workers, Duration bound) {
    return new StressFault(Kind.CPU, engine, workers, bound, null);
  }

  static StressFault memory(StressEngine engine, long bytes, Duration bound) {
    return new StressFault(Kind.MEMORY, engine, bytes, bound, null);
  }

  static StressFault disk(Path dir, long bytes, Duration bound) {
    return new StressFault(Kind.DISK, null, bytes, bound, dir);
  }

  /** The directories that filling under {@code dir} would create, deepest first. */
  private static List<Object> missingDirs(Path dir) {
    List<Object> out = new ArrayList<>();
    for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) out.add(d.toString());
    return out;
  }

  @Override
  public String kind() {
    return kind.kind;
  }

  @Override
  public String target() {
    return kind == Kind.DISK ? dir.toString() : "this machine";
  }

  @Override
  public String describe() {
    return switch (kind) {
      case CPU -> "CPU stress: " + amount + " busy worker" + (amount == 1 ? "" : "s") + " with " + engineWords();
      case MEMORY -> "memory stress: hold " + new ByteSize(amount) + " in a separate process with " + engineWords();
      case DISK -> "disk stress: fill " + new ByteSize(amount) + " under " + dir;
    };
  }

  private String engineWords() {
    return engine == StressEngine.STRESS_NG ? "stress-ng" : "the built-in worker";
  }

  @Override
  public String plan() {
    if (kind == Kind.DISK) return describe() + "; removed when the scope ends";
    return describe() + "; ended when the scope ends, and by itself after " + Values.show(bound);
  }

  @Override
  public Map<String, Object> undoRecord() {
    return record;
  }

  @Override
  public void inject(CallContext context) throws Exception {
    if (started) return;
    started = true;
    switch (kind) {
      case CPU -> {
        launch(engine.cpu((int) amount, bound));
        awaitLoad(context, "the CPU workers did not start", () -> !Tagged.find(tag()).isEmpty());
      }
      case MEMORY -> {
        launch(engine.memory(Math.max(1, amount >> 20), bound));
        // 90%: the kernel may keep a few pages of an allocation out of the resident set.
        awaitLoad(context, "the memory worker did not hold " + new ByteSize(amount),
            () -> Tagged.residentBytes(tag()) >= amount * 9 / 10);
      }
      case DISK -> fill(context);
    }
    if (kind != Kind.DISK) context.log("the load ends by itself after " + Values.show(bound) + " at the latest");
  }

  private String tag() {
    return (String) record.get("tag");
  }

  private void launch(List<String> argv) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put(Tagged.VARIABLE, tag());
    launched = pb.start();
  }

  private void awaitLoad(CallContext context, String failure, java.util.function.BooleanSupplier ready) {
    long end = System.nanoTime() + READY.toNanos();
    while (!ready.getAsBoolean()) {
      if (!launched.isAlive()) {
        throw new HostError(failure + ": " + engineWords() + " exited with status " + launched.exitValue(),
            kind == Kind.MEMORY ? "the machine may not have that much memory free" : "run it by hand to see why");
      }
      if (System.nanoTime() - end > 0) throw new HostError(failure + " within " + READY.toSeconds() + "s");
      context.sleep(Duration.ofMillis(20));
    }
  }

  private void fill(CallContext context) throws IOException {
    Path file = Path.of((String) record.get("path"));
    Files.createDirectories(dir);
    ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long left = amount;
      while (left > 0) {
        context.checkInterrupted();
        zeros.clear();
        zeros.limit((int) Math.min(CHUNK, left));
        while (zeros.hasRemaining()) left -= ch.write(zeros);
      }
      ch.force(true);
    } catch (IOException e) {
      throw new HostError("cannot fill " + new ByteSize(amount) + " under " + dir + ": " + e.getMessage(),
          "the fill written so far is removed when the fault is reverted");
    }
  }

  @Override
  public void revert(CallContext context) throws Exception {
    if (!started) return;
    StressUndo.revert(record, context::log);
    if (launched != null) launched.waitFor(5, java.util.concurrent.TimeUnit.SECONDS); // reaped: no zombie is left
  }

  @Override
  public String toString() {
    return describe();
  }
}
