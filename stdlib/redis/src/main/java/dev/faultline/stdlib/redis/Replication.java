package dev.faultline.stdlib.redis;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replication as one server sees it ({@code INFO replication}). On a master: its offset and each
 * replica's ({@code slaveN:ip=…,port=…,state=…,offset=…,lag=…}), the worst replica's lag in bytes
 * (master offset less replica offset) and in time (seconds since its last acknowledgement, as Redis
 * counts it). On a replica: its offset, its master and whether the link to it is up. Immutable.
 */
@HostType(name = "redis_replication", doc = "Replication seen from one Redis server: role, offset, link, and on a master each"
    + " replica's offset and lag.")
public final class Replication implements HostValue {
  private final boolean ok;
  private final String error;
  private final String role;
  private final long offset;
  private final String master;
  private final boolean linkUp;
  private final List<Map<String, Object>> replicas;
  private final Duration latency;

  private Replication(boolean ok, String error, String role, long offset, String master, boolean linkUp,
      List<Map<String, Object>> replicas, Duration latency) {
    this.ok = ok;
    this.error = error;
    this.role = role;
    this.offset = offset;
    this.master = master;
    this.linkUp = linkUp;
    this.replicas = List.copyOf(replicas);
    this.latency = latency;
  }

  static Replication failure(String error, Duration latency) {
    return new Replication(false, error, "down", 0, "", false, List.of(), latency);
  }

  static Replication of(Map<String, Object> info, Duration latency) {
    String role = String.valueOf(info.getOrDefault("role", ""));
    if (role.equals("slave")) {
      long offset = info.get("slave_repl_offset") instanceof Long l ? l : 0;
      return new Replication(true, "", "replica", offset, info.get("master_host") + ":" + info.get("master_port"),
          "up".equals(info.get("master_link_status")), List.of(), latency);
    }
    long offset = info.get("master_repl_offset") instanceof Long l ? l : 0;
    List<Map<String, Object>> replicas = new ArrayList<>();
    for (Map.Entry<String, Object> e : info.entrySet()) {
      if (!e.getKey().matches("slave\\d+")) continue;
      Map<String, String> f = new LinkedHashMap<>();
      for (String part : String.valueOf(e.getValue()).split(",")) {
        int eq = part.indexOf('=');
        if (eq > 0) f.put(part.substring(0, eq), part.substring(eq + 1));
      }
      long at = parse(f.get("offset"));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("address", f.get("ip") + ":" + f.get("port"));
      r.put("state", f.getOrDefault("state", ""));
      r.put("offset", at);
      r.put("lag_bytes", Math.max(0, offset - at));
      r.put("lag", Duration.ofSeconds(parse(f.get("lag"))));
      replicas.add(r);
    }
    return new Replication(true, "", "master", offset, "", true, replicas, latency);
  }

  private static long parse(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the server answered.")
  public boolean ok() {
    return ok;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why it did not answer; empty when it did.")
  public String error() {
    return error;
  }

  @HostFunction(name = "role", effect = Effect.PURE, doc = "\"master\" or \"replica\"; \"down\" when it did not answer.")
  public String role() {
    return role;
  }

  @HostFunction(name = "offset", effect = Effect.PURE, doc = "Its replication offset: master_repl_offset on a master,"
      + " slave_repl_offset on a replica.")
  public long offset() {
    return offset;
  }

  @HostFunction(name = "master", effect = Effect.PURE, doc = "On a replica, \"host:port\" of its master; empty on a master.")
  public String master() {
    return master;
  }

  @HostFunction(name = "link_up", effect = Effect.PURE, doc = "On a replica, whether master_link_status is up; true on a master.")
  public boolean linkUp() {
    return linkUp;
  }

  @HostFunction(name = "replicas", effect = Effect.PURE, doc = "On a master, how many replicas are online; 0 on a replica.")
  public long replicaCount() {
    return replicas.stream().filter(r -> "online".equals(r.get("state"))).count();
  }

  @HostFunction(name = "standbys", effect = Effect.PURE, doc = "On a master, each replica: {address, state, offset, lag_bytes, lag}.")
  public List<Map<String, Object>> standbys() {
    return replicas;
  }

  @HostFunction(name = "lag_bytes", effect = Effect.PURE, doc = "On a master, the worst replica's offset behind the master's; 0 on a"
      + " replica (it cannot know the master's offset).")
  public long lagBytes() {
    return replicas.stream().mapToLong(r -> (Long) r.get("lag_bytes")).max().orElse(0);
  }

  @HostFunction(name = "lag", effect = Effect.PURE, doc = "On a master, the worst replica's time since its last acknowledgement"
      + " (whole seconds, as Redis counts it); 0s on a replica.")
  public Duration lag() {
    return replicas.stream().map(r -> (Duration) r.get("lag")).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long the probe took.")
  public Duration latency() {
    return latency;
  }

  @Override
  public String show() {
    if (!ok) return "redis_replication unknown (" + error + ")";
    if (role.equals("replica")) return "redis_replication replica of " + master + " at offset " + offset + (linkUp ? ", link up" : ", link down");
    return "redis_replication master at offset " + offset + ", " + replicaCount() + " online, " + lagBytes() + " bytes behind, "
        + Values.show(lag());
  }

  @Override
  public String toString() {
    return show();
  }
}
