package dev.faultline.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for the demo system's processes, and the check that a playbook left none of them running. */
final class DemoSystem {
  /** The demo system's launcher, absolute: the tests run in the playbooks module's folder. */
  static final String LAUNCHER = java.nio.file.Path.of("../demo-app/run").toAbsolutePath().normalize().toString();

  private DemoSystem() {}

  /** The first of {@code count} consecutive free ports on 127.0.0.1. */
  static int freePorts(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20000, 60000);
      boolean free = true;
      for (int i = 0; i < count && free; i++) {
        try (ServerSocket s = new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress())) {
          free = s.getLocalPort() == base + i;
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) return base;
    }
    throw new IllegalStateException("no " + count + " consecutive free ports on 127.0.0.1");
  }

  /** The demo system's processes on the ports from {@code base} (demo-app/run api, store or lb). */
  static List<String> running(int base, int count) {
    return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("demo-app/run"))
        .filter(c -> {
          for (int i = 0; i < count; i++) if (c.contains("--port " + (base + i) + " ")) return true;
          return false;
        }).toList();
  }

  /** Waits up to 10 s for the demo system's processes to be gone, then says which remain. */
  static void assertNothingLeft(int base, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!running(base, count).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
    assertEquals(List.of(), running(base, count), "the demo system's processes are stopped when the playbook ends");
  }
}
