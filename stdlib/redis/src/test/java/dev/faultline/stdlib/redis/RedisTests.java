package dev.faultline.stdlib.redis;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.util.EnumSet;
import java.util.stream.Collectors;

/**
 * What the Redis tests share, here and in the playbook tests. They need redis-server and
 * redis-sentinel; ./run-tests installs them, or skips these tests with -Dfaultline.skip.redis=true
 * when it cannot. Without the property and without the programs the tests fail, saying how to get them.
 */
public final class RedisTests {
  public static final String SKIP = "faultline.skip.redis";

  private RedisTests() {}

  /** For a class's shared cluster: false when the tests are skipped or cannot run, so that no cluster is started. */
  public static boolean wanted() {
    return !Boolean.getBoolean(SKIP) && RedisBinaries.available();
  }

  /** Call before each test (a skipped class-level start would hide the count of skipped tests). */
  public static void assumeServer() {
    assumeFalse(Boolean.getBoolean(SKIP), "Redis tests skipped (-D" + SKIP + "=true)");
    if (!RedisBinaries.available()) {
      throw new AssertionError("the Redis tests need redis-server and redis-sentinel: " + RedisBinaries.HOW_TO_GET
          + "; or skip them with -D" + SKIP + "=true");
    }
  }

  public static RunOptions allowDb() {
    return RunOptions.builder().allow(EnumSet.of(Capability.DB, Capability.NET)).build();
  }

  static RunResult run(Faultline faultline, String text) {
    return faultline.run("test.fl", text, allowDb());
  }

  public static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()
            + s.steps().stream().map(st -> "\n  " + st.name() + ": " + st.status() + " " + st.message()).collect(Collectors.joining()))
            .collect(Collectors.joining("\n"));
  }

  static LocalRedis start(String name, int replicas, int sentinels) {
    return LocalRedis.start(new LocalRedis.Settings(name, replicas, sentinels, sentinels / 2 + 1, "mymaster",
        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5), "none"));
  }

  /** Polls until {@code condition} holds; fails after {@code seconds}. */
  static java.time.Duration await(String what, int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError(what + " did not happen within " + seconds + "s");
      Thread.sleep(20);
    }
    return java.time.Duration.ofNanos(System.nanoTime() - t0);
  }
}
