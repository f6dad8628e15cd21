package dev.faultline.stdlib.postgres;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How far replication is behind, as one server sees it. On a primary: the worst of its standbys in
 * {@code pg_stat_replication} (bytes not yet replayed, and {@code replay_lag}). On a replica: the
 * WAL received but not yet replayed, and the age of the last replayed transaction while some is
 * waiting ({@code pg_last_xact_replay_timestamp}); 0 when it has replayed all it received. Immutable.
 */
@HostType(name = "replication_lag", doc = "Replication lag seen from one server: bytes and time, the worst standby on a primary.")
public final class ReplicationLag implements HostValue {
  private final String role;
  private final long bytes;
  private final Duration time;
  private final List<Map<String, Object>> standbys;
  private final Duration latency;
  private final String error;

  ReplicationLag(String role, long bytes, Duration time, List<Map<String, Object>> standbys, Duration latency, String error) {
    this.role = role;
    this.bytes = bytes;
    this.time = time;
    this.standbys = List.copyOf(standbys);
    this.latency = latency;
    this.error = error;
  }

  static ReplicationLag failure(Duration latency, String error) {
    return new ReplicationLag("unknown", 0, Duration.ZERO, List.of(), latency, error);
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the server answered.")
  public boolean ok() {
    return error.isEmpty();
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why the server did not answer; empty when it did.")
  public String error() {
    return error;
  }

  @HostFunction(name = "role", effect = Effect.PURE, doc = "\"primary\" or \"replica\": which view this is.")
  public String role() {
    return role;
  }

  @HostFunction(name = "bytes", effect = Effect.PURE, doc = "WAL bytes not yet replayed (the worst standby, on a primary).")
  public long bytes() {
    return bytes;
  }

  @HostFunction(name = "time", effect = Effect.PURE, doc = "How long replay is behind (the worst standby's replay_lag, on a primary).")
  public Duration time() {
    return time;
  }

  @HostFunction(name = "replicas", effect = Effect.PURE, doc = "On a primary, how many standbys are streaming; 0 on a replica.")
  public long replicas() {
    return standbys.stream().filter(s -> "streaming".equals(s.get("state"))).count();
  }

  @HostFunction(name = "standbys", effect = Effect.PURE, doc = "On a primary, each standby: {name, state, sync_state, bytes, time}.")
  public List<Map<String, Object>> standbys() {
    return standbys;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long the probe took.")
  public Duration latency() {
    return latency;
  }

  @Override
  public String show() {
    if (!ok()) return "replication_lag unknown (" + error + ")";
    return "replication_lag " + bytes + " bytes, " + Values.show(time) + " on the " + role
        + (role.equals("primary") ? " (" + replicas() + " streaming)" : "");
  }

  @Override
  public String toString() {
    return show();
  }
}
