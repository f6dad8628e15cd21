package dev.faultline.stdlib.postgres;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client sessions of one server, from {@code pg_stat_activity} (client backends only, not the
 * server's own processes), counted by state and by {@code application_name}. Immutable.
 */
@HostType(name = "pg_connections", doc = "Client connections of a server, counted by state and application_name.")
public final class ConnectionCounts implements HostValue {
  /** One group of sessions: same state, same application_name. */
  record Group(String state, String application, long count) {}

  private final List<Group> groups;
  private final long max;
  private final Duration latency;
  private final String error;

  ConnectionCounts(List<Group> groups, long max, Duration latency, String error) {
    this.groups = List.copyOf(groups);
    this.max = max;
    this.latency = latency;
    this.error = error;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the server answered.")
  public boolean ok() {
    return error.isEmpty();
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why the server did not answer; empty when it did.")
  public String error() {
    return error;
  }

  @HostFunction(name = "total", effect = Effect.PURE, doc = "All client connections.")
  public long total() {
    return groups.stream().mapToLong(Group::count).sum();
  }

  @HostFunction(name = "max", effect = Effect.PURE, doc = "The server's max_connections.")
  public long max() {
    return max;
  }

  @HostFunction(name = "by_state", effect = Effect.PURE, doc = "Counts by state: {active: 2, idle: 5, \"idle in transaction\": 1}.")
  public Map<String, Object> byState() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Group g : groups) m.merge(g.state(), g.count(), (a, b) -> (Long) a + (Long) b);
    return m;
  }

  @HostFunction(name = "by_application", effect = Effect.PURE, doc = "Counts by application_name (\"\" for sessions without one).")
  public Map<String, Object> byApplication() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Group g : groups) m.merge(g.application(), g.count(), (a, b) -> (Long) a + (Long) b);
    return m;
  }

  @HostFunction(name = "count", effect = Effect.PURE, doc = "Connections matching both filters; an empty filter matches all."
      + " `application_name` is a LIKE pattern: \"faultline-hold-%\".")
  public long count(
      @Arg(name = "state", doc = "active, idle, \"idle in transaction\", …", byDefault = "\"\"") String state,
      @Arg(name = "application_name", doc = "a LIKE pattern (% for any text, _ for one character)", byDefault = "\"\"") String application) {
    return groups.stream()
        .filter(g -> state.isEmpty() || g.state().equals(state))
        .filter(g -> application.isEmpty() || like(g.application(), application))
        .mapToLong(Group::count).sum();
  }

  /** SQL LIKE without an escape character. */
  static boolean like(String text, String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '%') re.append(".*");
      else if (c == '_') re.append('.');
      else re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
    }
    return text.matches("(?s)" + re);
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long the probe took.")
  public Duration latency() {
    return latency;
  }

  @Override
  public String show() {
    if (!ok()) return "pg_connections unknown (" + error + ")";
    return "pg_connections " + total() + " of " + max + " " + Values.showNested(byState());
  }

  @Override
  public String toString() {
    return show();
  }
}
