package dev.faultline.stdlib.redis;

import dev.faultline.host.CallContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Redis benchmark, for the record: how long redis.local() takes to start a master, a replica and
 * three Sentinels; from the master's SHUTDOWN NOSAVE to Sentinel naming the new master and to the
 * first write it accepts; from the old master's restart to Sentinel making it a replica. With the
 * module's timings (down_after 2s), with 1s (Sentinel's ping period: one late reply marks a server
 * down) and with 5s, to show what the failover time is made of. Writes a Markdown table to the file given. In this package because the cluster's Java API is
 * package-private.
 */
public final class RedisBench {
  private static final CallContext CTX = CallContext.detached();
  private static final Duration T = Duration.ofSeconds(2);

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    StringBuilder md = new StringBuilder();
    md.append("# Redis benchmark\n\n");
    md.append("Measured by `bench/redis-failover.sh` on ").append(Instant.now().toString(), 0, 10)
        .append(", commit ").append(System.getProperty("bench.commit", "?")).append(", ").append(version())
        .append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores (shared with other work: figures are indicative). Local servers as `redis.local(replicas: 1, sentinels: 3)`")
        .append(" starts them (no persistence, loopback, quorum 2, failover_timeout 5s). No goal: seed 002 asks for a new master")
        .append(" within 30 s.\n\n");
    md.append("| down_after | runs | start p50 / max | new master named p50 / max | first write on it p50 / max | old master a replica p50 / max | second failovers |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    row(md, Duration.ofSeconds(2), runs);
    row(md, Duration.ofSeconds(1), Math.max(1, runs / 2));
    row(md, Duration.ofSeconds(5), Math.max(1, runs / 3));
    md.append("\n*start*: until every replica is in sync and every Sentinel knows the others. *new master named*: from")
        .append(" SHUTDOWN NOSAVE of the master to `SENTINEL get-master-addr-by-name` naming the replica (down_after, then")
        .append(" the election and promotion). *first write*: to the first SET the new master accepts through a")
        .append(" Sentinel-following target. *old master a replica*: from the old master's restart (the stop's revert) to its")
        .append(" ROLE saying replica; Sentinel waits about 8 s before it corrects a server that says it is master. *second")
        .append(" failovers*: runs where, instead, the Sentinels failed the new master over again (to the old one, restarted")
        .append(" empty) within 30 s: with down_after equal to Sentinel's 1 s ping period one late reply is enough. Polling")
        .append(" every 20 ms; each run starts its own cluster.\n");
    Files.writeString(out, md.toString());
    System.out.print(md);
  }

  private static String version() throws Exception {
    Process p = new ProcessBuilder(RedisBinaries.find().server().toString(), "--version").redirectErrorStream(true).start();
    String v = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return v.replaceAll(" sha=.*", "");
  }

  private static void row(StringBuilder md, Duration downAfter, int runs) throws Exception {
    List<Long> starts = new ArrayList<>();
    List<Long> named = new ArrayList<>();
    List<Long> writes = new ArrayList<>();
    List<Long> rejoins = new ArrayList<>();
    int flips = 0;
    for (int i = 0; i < runs; i++) {
      long s0 = System.nanoTime();
      LocalRedis c = LocalRedis.start(new LocalRedis.Settings("bench", 1, 3, 2, "mymaster", downAfter, Duration.ofSeconds(5), "none"));
      starts.add(ms(s0));
      String line;
      try {
        String old = c.masterAddress();
        String next = c.nodes().get(1).address();
        InstanceDown stop = (InstanceDown) c.master().stop("nosave");
        long t0 = System.nanoTime();
        stop.inject(CTX);
        await(() -> !c.masterAddress().equals(old));
        named.add(ms(t0));
        await(() -> c.redis().set("k", "v", Duration.ZERO, T).ok());
        writes.add(ms(t0));
        long r0 = System.nanoTime();
        stop.revert(CTX);
        boolean rejoined = await(() -> c.nodes().get(0).role().equals("replica") || !c.masterAddress().equals(next));
        if (rejoined && c.masterAddress().equals(next)) {
          rejoins.add(ms(r0));
          line = "rejoin " + rejoins.get(rejoins.size() - 1) + " ms";
        } else {
          flips++;
          line = "failed over a second time";
        }
      } finally {
        c.close();
      }
      System.err.printf("down_after %s run %d: start %d ms, named %d ms, write %d ms, %s%n", downAfter, i + 1,
          starts.get(i), named.get(i), writes.get(i), line);
    }
    md.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %s | %s | %d |\n", downAfter.toMillis(), runs, stat(starts),
        stat(named), stat(writes), rejoins.isEmpty() ? "-" : stat(rejoins), flips));
  }

  /** Polls every 20 ms for up to 30 s; false when the condition did not hold by then. */
  private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) return false;
      Thread.sleep(20);
    }
    return true;
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static String stat(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return String.format(Locale.ROOT, "%.2f s / %.2f s", s.get((s.size() - 1) / 2) / 1000.0, s.get(s.size() - 1) / 1000.0);
  }
}
