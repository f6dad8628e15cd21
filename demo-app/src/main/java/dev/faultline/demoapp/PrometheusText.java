package dev.faultline.demoapp;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /metrics}: the numbers of {@code /stats} in the Prometheus text format, untyped, named by
 * their path ({@code demo_cache_hits}, {@code demo_db_pool_primary_active}); requests by status as
 * {@code demo_requests_by_status{status="503"}}, a state as {@code demo_db_breaker_state{state="OPEN"} 1}.
 * Lists (the breaker history, the retry delays) are left out.
 */
final class PrometheusText {
  private PrometheusText() {}

  static String of(Map<String, Object> stats) {
    StringBuilder out = new StringBuilder();
    write(out, "demo", stats);
    return out.toString();
  }

  private static void write(StringBuilder out, String name, Object value) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = e.getKey().toString();
        if (key.equals("by_status") && e.getValue() instanceof Map<?, ?> byStatus) {
          byStatus.forEach((status, n) -> out.append(name).append("_by_status{status=\"").append(status).append("\"} ").append(n).append('\n'));
        } else {
          write(out, name + "_" + key.replaceAll("[^A-Za-z0-9_]", "_"), e.getValue());
        }
      }
    } else if (value instanceof Number n) {
      out.append(name).append(' ').append(n).append('\n');
    } else if (value instanceof Boolean b) {
      out.append(name).append(' ').append(b ? 1 : 0).append('\n');
    } else if (value instanceof String s) {
      out.append(name).append("{state=\"").append(s.replace("\"", "")).append("\"} 1\n");
    } else if (!(value instanceof List<?>) && value != null) {
      out.append(name).append(' ').append(value).append('\n');
    }
  }
}
