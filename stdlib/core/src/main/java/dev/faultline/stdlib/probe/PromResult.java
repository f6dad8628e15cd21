package dev.faultline.stdlib.probe;

import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one PromQL instant query answered: a scalar or a vector of samples. Immutable. A query
 * Prometheus could not answer (unreachable, bad PromQL, timed out) is a result with {@code error}.
 */
@HostType(name = "promql_result", doc = "The result of prometheus.query(): ok, kind, value, values, series, latency and error.")
public final class PromResult implements HostValue {
  private final String query;
  private final String kind;
  /** Each sample as {labels: {…}, value: number}; a scalar is one sample without labels. */
  private final List<Map<String, Object>> samples;
  private final Duration latency;
  private final String error;

  PromResult(String query, String kind, List<Map<String, Object>> samples, Duration latency, String error) {
    this.query = query;
    this.kind = kind;
    this.samples = List.copyOf(samples);
    this.latency = latency;
    this.error = error;
  }

  static PromResult failure(String query, Duration latency, String error) {
    return new PromResult(query, "", List.of(), latency, error);
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether Prometheus answered the query.")
  public boolean ok() {
    return error.isEmpty();
  }

  @HostFunction(name = "kind", effect = Effect.PURE, doc = "The result type: \"scalar\" or \"vector\"; empty when the query failed.")
  public String kind() {
    return kind;
  }

  @HostFunction(name = "value", effect = Effect.PURE, doc = "The number: a scalar's value, or the value of a vector's only sample;"
      + " an error for a failed query or a vector with more or fewer than one sample.")
  public double value() {
    if (!error.isEmpty()) throw new HostError("the query '" + query + "' failed: " + error, "check 'ok' first");
    if (samples.size() != 1) {
      throw new HostError("the query '" + query + "' returned " + samples.size() + " series, so it has no single value",
          "read 'values', or aggregate in PromQL, e.g. sum(" + query + ")");
    }
    return ((Number) samples.get(0).get("value")).doubleValue();
  }

  @HostFunction(name = "values", effect = Effect.PURE, doc = "Every sample as {labels: {…}, value: number}; empty when the query failed.")
  public List<Map<String, Object>> values() {
    return samples;
  }

  @HostFunction(name = "series", effect = Effect.PURE, doc = "How many samples the result has.")
  public long series() {
    return samples.size();
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "How long Prometheus took to answer.")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why the query failed (unreachable, bad PromQL, timed out); empty when it did not.")
  public String error() {
    return error;
  }

  @HostFunction(name = "query", effect = Effect.PURE, doc = "The PromQL that was sent.")
  public String query() {
    return query;
  }

  @Override
  public String show() {
    return "promql_result " + (ok() ? kind + " with " + samples.size() + " series" : "failed (" + error + ")") + " for '" + query
        + "' in " + Values.show(latency);
  }
}
