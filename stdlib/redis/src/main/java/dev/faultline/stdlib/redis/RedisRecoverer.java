package dev.faultline.stdlib.redis;

import dev.faultline.fault.FaultRecoverer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reverts local Redis faults from their journal records in a process that did not inject them
 * ({@code faultline recover}, the watchdog). {@code redis.pause}: SIGCONT to the paused process when
 * it is still the same one (PID and start time). {@code redis.stop} and {@code redis.kill}: starts
 * the program again on its configuration file, detached, when that file still exists (the cluster
 * was not removed) and nothing answers on its address; a cluster whose owner died is removed
 * anyway by the next {@code redis.local()}. {@code redis.client_pause}: CLIENT UNPAUSE on the
 * recorded address, with the password from the recorded environment variable (a server that refuses
 * the connection has no pause left). Idempotent. Stateless.
 */
public final class RedisRecoverer implements FaultRecoverer {
  private static final Set<String> KINDS = Set.of("redis.stop", "redis.kill", InstancePause.KIND, ClientPause.KIND);
  private static final long START_WAIT_MILLIS = 10_000;

  @Override
  public Set<String> kinds() {
    return KINDS;
  }

  @Override
  public void revert(String kind, Map<String, Object> undo) throws Exception {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("not a Redis fault: " + kind);
    if (kind.equals(InstancePause.KIND)) {
      InstancePause.resume(undo);
      return;
    }
    if (kind.equals(ClientPause.KIND)) {
      String env = String.valueOf(undo.getOrDefault("password_env", ""));
      String password = env.isEmpty() ? null : System.getenv(env);
      if (!env.isEmpty() && password == null) {
        throw new IllegalStateException("set $" + env + " so that recover can log in to " + undo.get("address") + " and send CLIENT UNPAUSE");
      }
      ClientPause.unpause(String.valueOf(undo.get("address")), password);
      return;
    }
    Path conf = Path.of(String.valueOf(undo.get("conf")));
    String address = String.valueOf(undo.get("address"));
    if (!Files.exists(conf) || answers(address)) return;
    List<String> cmd = new ArrayList<>();
    ProcStat.setsid().ifPresent(cmd::add);
    cmd.add(String.valueOf(undo.get("program")));
    cmd.add(conf.toString());
    Process p = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true)
        .start();
    long end = System.nanoTime() + START_WAIT_MILLIS * 1_000_000;
    while (!answers(address)) {
      if (!p.isAlive() && p.exitValue() != 0) {
        throw new IOException(undo.get("name") + " did not start again from " + conf + " (exit " + p.exitValue() + "); see its log beside it");
      }
      if (System.nanoTime() > end) throw new IOException(undo.get("name") + " does not answer on " + address + " 10s after it was started again");
      Thread.sleep(20);
    }
  }

  private static boolean answers(String address) {
    try (Jedis j = new Jedis(HostAndPort.from(address), redis.clients.jedis.DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(500).socketTimeoutMillis(500).build())) {
      return "PONG".equals(j.ping());
    } catch (JedisException e) {
      return false;
    }
  }
}
