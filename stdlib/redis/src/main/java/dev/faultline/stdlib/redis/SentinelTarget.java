package dev.faultline.stdlib.redis;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A set of Sentinels watching one master name: who is master as they say
 * ({@code SENTINEL get-master-addr-by-name}), the replicas and Sentinels they know, a forced
 * failover, and a {@link RedisTarget} that follows the master they name. Each question goes to the
 * Sentinels in order until one answers (1 s each). The Sentinels themselves need no password; the
 * password is the Redis servers'. Thread-safe.
 */
@HostType(name = "redis_sentinel", doc = "Sentinels watching one master name: master_address, replicas, known_sentinels, quorum_ok,"
    + " failover(), and redis, a target on the master they name.")
public final class SentinelTarget implements HostValue, AutoCloseable {
  private static final int ASK_MILLIS = 1000;

  private final List<String> sentinels;
  private final String masterName;
  private final RedisTarget redis;

  SentinelTarget(List<String> sentinels, String masterName, String password, String passwordEnv) {
    this.sentinels = List.copyOf(sentinels);
    this.masterName = masterName;
    this.redis = new RedisTarget(this::requireMaster, "master '" + masterName + "' via Sentinel " + String.join(",", sentinels),
        password, passwordEnv, 0);
  }

  /** Asks the Sentinels in order; the first answer wins. Empty when none answers. */
  private <T> Optional<T> ask(Function<Jedis, T> question) {
    for (String s : sentinels) {
      try (Jedis j = new Jedis(HostAndPort.from(s), DefaultJedisClientConfig.builder().connectionTimeoutMillis(ASK_MILLIS)
          .socketTimeoutMillis(ASK_MILLIS).clientName("faultline-probe").build())) {
        return Optional.ofNullable(question.apply(j));
      } catch (JedisConnectionException e) {
        // this one does not answer: ask the next
      }
    }
    return Optional.empty();
  }

  /** The master's address as the first answering Sentinel names it; empty when none answers or knows the name. */
  Optional<String> masterNow() {
    return ask(j -> {
      List<String> a = j.sentinelGetMasterAddrByName(masterName);
      return a == null || a.size() < 2 ? null : a.get(0) + ":" + a.get(1);
    });
  }

  private String requireMaster() {
    return masterNow().orElseThrow(() -> new HostError("no Sentinel of " + String.join(",", sentinels) + " names a master for '"
        + masterName + "'", "check the Sentinels run and monitor '" + masterName + "'"));
  }

  @HostFunction(name = "master_address", effect = Effect.PROBE, doc = "\"host:port\" of the master as Sentinel names it now"
      + " (SENTINEL get-master-addr-by-name); an error when no Sentinel answers or knows the name.")
  public String masterAddress() {
    return requireMaster();
  }

  @HostFunction(name = "master_name", effect = Effect.PURE, doc = "The master name the Sentinels monitor, e.g. \"mymaster\".")
  public String masterName() {
    return masterName;
  }

  @HostFunction(name = "sentinels", effect = Effect.PURE, doc = "The Sentinels' addresses joined by commas, as clients take them:"
      + " \"127.0.0.1:p1,127.0.0.1:p2\".")
  public String sentinels() {
    return String.join(",", sentinels);
  }

  List<String> addresses() {
    return sentinels;
  }

  @HostFunction(name = "redis", effect = Effect.PURE, doc = "A target on whichever server Sentinel names master at each call.")
  public RedisTarget redis() {
    return redis;
  }

  @HostFunction(name = "replicas", effect = Effect.PROBE, doc = "The replicas Sentinel knows (SENTINEL replicas): each"
      + " {address, flags, offset, link}; flags include s_down while Sentinel sees one down. Empty when no Sentinel answers.")
  public List<Map<String, Object>> replicas() {
    List<Map<String, String>> raw = ask(j -> j.sentinelReplicas(masterName)).orElse(List.of());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, String> r : raw) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", r.get("ip") + ":" + r.get("port"));
      m.put("flags", r.getOrDefault("flags", ""));
      m.put("offset", parse(r.get("slave-repl-offset")));
      m.put("link", r.getOrDefault("master-link-status", ""));
      out.add(m);
    }
    return out;
  }

  @HostFunction(name = "known_sentinels", effect = Effect.PROBE, doc = "How many Sentinels the first answering one knows,"
      + " itself included; 0 when none answers.")
  public long knownSentinels() {
    return ask(j -> (long) j.sentinelSentinels(masterName).size() + 1).orElse(0L);
  }

  @HostFunction(name = "quorum_ok", effect = Effect.PROBE, doc = "SENTINEL CKQUORUM: whether enough Sentinels are reachable to"
      + " agree the master is down and to authorise a failover; false when none answers.")
  public boolean quorumOk() {
    return ask(j -> {
      try {
        Object r = j.sendCommand(Protocol.Command.SENTINEL, "CKQUORUM", masterName);
        return String.valueOf(SafeEncoder.encodeObject(r)).startsWith("OK");
      } catch (JedisDataException e) {
        return false;
      }
    }).orElse(false);
  }

  private static long parse(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @HostFunction(name = "failover", effect = Effect.ACTION, requires = Capability.DB, doc = "SENTINEL FAILOVER: forces a failover"
      + " as if the master were down, then waits until Sentinel names another master. Not a fault: a failover is a change of"
      + " state that nothing reverts; the result says from, to and how long it took, and a log line records it.")
  public RedisFailover failover(
      @Arg(name = "wait", doc = "how long to wait for Sentinel to name the new master", byDefault = "30s") Duration wait,
      CallContext ctx) {
    String before = requireMaster();
    long t0 = System.nanoTime();
    boolean asked = false;
    for (String s : sentinels) {
      try (Jedis j = new Jedis(HostAndPort.from(s), DefaultJedisClientConfig.builder().connectionTimeoutMillis(ASK_MILLIS)
          .socketTimeoutMillis(5000).clientName("faultline").build())) {
        j.sentinelFailover(masterName);
        asked = true;
        break;
      } catch (JedisDataException e) {
        throw new HostError("Sentinel " + s + " refused to fail over '" + masterName + "': " + e.getMessage(),
            "NOGOODSLAVE: no replica is in a state to be promoted; INPROG: a failover is already running, wait for it");
      } catch (JedisException e) {
        // this one does not answer: ask the next
      }
    }
    if (!asked) throw new HostError("no Sentinel of " + sentinels() + " answered SENTINEL FAILOVER");
    String after = before;
    long deadline = t0 + wait.toNanos();
    while (System.nanoTime() < deadline) {
      after = masterNow().orElse(before);
      if (!after.equals(before)) break;
      ctx.sleep(Duration.ofMillis(50));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    RedisFailover f = after.equals(before)
        ? new RedisFailover(before, after, took, "Sentinel still names " + before + " after " + Values.show(wait))
        : new RedisFailover(before, after, took, "");
    ctx.log("Sentinel failover of '" + masterName + "': " + (f.ok() ? before + " -> " + after + " in " + Values.show(took)
        : f.error()) + " (a change of state, not a fault: nothing reverts it)");
    return f;
  }

  @Override
  public void close() {
    redis.close();
  }

  @Override
  public String show() {
    return "redis_sentinel '" + masterName + "' via " + sentinels();
  }

  @Override
  public String toString() {
    return show();
  }
}
