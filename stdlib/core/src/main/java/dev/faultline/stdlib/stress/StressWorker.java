package dev.faultline.stdlib.stress;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in stress worker, run in a JVM of its own (never inside the interpreter):
 * {@code cpu N BOUND_MS} keeps N threads busy; {@code memory MIB BOUND_MS} allocates MIB mebibytes,
 * writes every page so that they are resident, and holds them. It prints {@code ready} once the load
 * is in place, and exits by itself after BOUND_MS, or as soon as the process that started it is gone.
 * Rationale: a stress load must never outlive its bound, even when nothing reverts it.
 */
public final class StressWorker {
  private static final int MIB = 1 << 20;
  private static final int PAGE = 4096;

  private StressWorker() {}

  /** Kept reachable, so that the memory stays allocated. */
  static volatile List<byte[]> held;
  static volatile long sink;

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: StressWorker cpu|memory N BOUND_MS");
      System.exit(64);
    }
    int n = Integer.parseInt(args[1]);
    long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000L;
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (args[0].equals("cpu")) {
      for (int i = 0; i < n; i++) {
        Thread t = new Thread(StressWorker::spin, "cpu-" + i);
        t.setDaemon(true);
        t.start();
      }
    } else if (args[0].equals("memory")) {
      List<byte[]> blocks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte[] b = new byte[MIB];
        for (int at = 0; at < b.length; at += PAGE) b[at] = 1;
        blocks.add(b);
      }
      held = blocks;
    } else {
      System.err.println("unknown stress: " + args[0]);
      System.exit(64);
    }
    System.out.println("ready");
    System.out.flush();
    while (System.nanoTime() - end < 0) {
      if (parent != null && !parent.isAlive()) break;
      Thread.sleep(100);
    }
    System.exit(0);
  }

  private static void spin() {
    long x = 0;
    while (true) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      if (x == 42) sink = x;
    }
  }
}
