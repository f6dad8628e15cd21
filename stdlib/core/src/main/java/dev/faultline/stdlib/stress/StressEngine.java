package dev.faultline.stdlib.stress;

import dev.faultline.host.HostError;
import dev.faultline.value.Values;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What produces a CPU or memory load: {@code stress-ng} when it is installed (or asked for), else
 * the built-in {@link StressWorker} in a JVM of its own. Both end by themselves at the fault's
 * bound. Immutable.
 */
enum StressEngine {
  STRESS_NG("stress-ng"), BUILTIN("builtin");

  final String word;

  StressEngine(String word) {
    this.word = word;
  }

  /** {@code "auto"} (stress-ng when on the PATH), {@code "stress-ng"} or {@code "builtin"}. */
  static StressEngine choose(String asked) {
    String a = asked.strip().toLowerCase(Locale.ROOT);
    return switch (a) {
      case "auto" -> stressNg() != null ? STRESS_NG : BUILTIN;
      case "stress-ng" -> {
        if (stressNg() == null) throw new HostError("stress-ng is not installed", "install it (apt-get install stress-ng) or use engine: \"builtin\"");
        yield STRESS_NG;
      }
      case "builtin" -> BUILTIN;
      default -> throw new HostError("unknown stress engine " + Values.showNested(asked), "engines are \"auto\", \"stress-ng\" and \"builtin\"");
    };
  }

  static String stressNg() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "stress-ng");
      if (Files.isExecutable(p)) return p.toString();
    }
    return null;
  }

  /** The command line of a CPU load of {@code workers} busy workers. */
  List<String> cpu(int workers, Duration bound) {
    if (this == STRESS_NG) {
      return List.of(stressNg(), "--cpu", Integer.toString(workers), "--timeout", seconds(bound), "--quiet");
    }
    return java(32, "cpu", workers, bound);
  }

  /** The command line of a memory load that holds {@code mib} mebibytes. */
  List<String> memory(long mib, Duration bound) {
    if (this == STRESS_NG) {
      // --vm-keep: allocate once and keep it; --vm-hang 0: then sleep (hold it, no CPU) until the end.
      return List.of(stressNg(), "--vm", "1", "--vm-bytes", mib + "M", "--vm-keep", "--vm-hang", "0",
          "--timeout", seconds(bound), "--quiet");
    }
    return java(mib + 64, "memory", mib, bound);
  }

  private static String seconds(Duration bound) {
    return Math.max(1, (bound.toMillis() + 999) / 1000) + "s";
  }

  private static List<String> java(long heapMib, String mode, long n, Duration bound) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath;
    try {
      classpath = Path.of(StressWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new HostError("cannot find the built-in stress worker's classes: " + e.getMessage());
    }
    List<String> argv = new ArrayList<>(List.of(java, "-Xmx" + heapMib + "m", "-Xmn16m", "-Xss512k", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classpath, StressWorker.class.getName(), mode, Long.toString(n),
        Long.toString(bound.toMillis())));
    return argv;
  }
}
