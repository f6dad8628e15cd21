package dev.faultline.stdlib.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.faultline.host.HostError;
import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.Map;

/**
 * What one HTTP probe saw: the response, or why there was none. Immutable; {@code json} is parsed
 * on first use and kept.
 *
 * <p>A request that got no response (refused, reset, timed out, unknown host) is still a result,
 * with status 0, {@code ok} false and {@code error} saying why. Rationale: probes are read in
 * {@code await} conditions while a service restarts, where "not up yet" is an answer, not a failure.
 */
@HostType(name = "http_response", doc = "The result of an HTTP probe: status, latency, body, headers and parsed JSON.")
public final class HttpResult implements HostValue {
  private final String method;
  private final String url;
  private final int status;
  private final Duration latency;
  private final String body;
  private final Map<String, Object> headers;
  private final String error;
  /** The statuses that count as ok; empty: any 2xx. */
  private final java.util.Set<Integer> expected;
  private volatile Object json;
  private volatile boolean jsonParsed;

  private HttpResult(String method, String url, int status, Duration latency, String body,
      Map<String, Object> headers, String error) {
    this(method, url, status, latency, body, headers, error, java.util.Set.of());
  }

  private HttpResult(String method, String url, int status, Duration latency, String body,
      Map<String, Object> headers, String error, java.util.Set<Integer> expected) {
    this.expected = java.util.Set.copyOf(expected);
    this.method = method;
    this.url = url;
    this.status = status;
    this.latency = latency;
    this.body = body;
    this.headers = Map.copyOf(headers);
    this.error = error;
  }

  /** A response that arrived; {@code headers} maps lower-case names to their first value. */
  static HttpResult response(String method, String url, int status, Duration latency, String body, Map<String, Object> headers) {
    return new HttpResult(method, url, status, latency, body, headers, "");
  }

  /** No response: status 0 and why. */
  static HttpResult failure(String method, String url, Duration latency, String error) {
    return new HttpResult(method, url, 0, latency, "", Map.of(), error);
  }

  /** The same result judged against {@code statuses} (empty: any 2xx). */
  HttpResult expecting(java.util.Set<Integer> statuses) {
    return new HttpResult(method, url, status, latency, body, headers, error, statuses);
  }

  @HostFunction(name = "status", effect = Effect.PURE, doc = "The HTTP status code, or 0 when no response arrived.")
  public int status() {
    return status;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the status is one of the expected ones (`status:` of the"
      + " probe), by default any 2xx.")
  public boolean ok() {
    if (status == 0) return false;
    return expected.isEmpty() ? status >= 200 && status < 300 : expected.contains(status);
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "From sending the request to the end of the response body (or to the failure).")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "body", effect = Effect.PURE, doc = "The response body as text; empty when no response arrived.")
  public String body() {
    return body;
  }

  @HostFunction(name = "headers", effect = Effect.PURE, doc = "Response headers: lower-case name to its first value.")
  public Map<String, Object> headers() {
    return headers;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why no response arrived (refused, timed out, …); empty when one did, whatever its status.")
  public String error() {
    return error;
  }

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The URL that was requested.")
  public String url() {
    return url;
  }

  @HostFunction(name = "method", effect = Effect.PURE, doc = "The request method: GET, POST, …")
  public String method() {
    return method;
  }

  @HostFunction(name = "json", effect = Effect.PURE, doc = "The body parsed as JSON into maps, lists, numbers, strings, booleans and null.")
  public Object json() {
    if (!jsonParsed) {
      if (status == 0) throw new HostError("no JSON: " + method + " " + url + " got no response (" + error + ")",
          "check 'ok' first, e.g. 'r.ok and r.json.status == \"up\"'");
      try {
        json = Json.parse(body);
      } catch (JsonProcessingException e) {
        String excerpt = body.length() > 60 ? body.substring(0, 60) + "…" : body;
        throw new HostError("the body of " + method + " " + url + " is not JSON: " + Values.showNested(excerpt),
            "read it as text with '.body'");
      }
      jsonParsed = true;
    }
    return json;
  }

  @Override
  public String show() {
    String outcome = status == 0 ? "no response (" + error + ")" : String.valueOf(status);
    return "http_response " + outcome + " from " + method + " " + url + " in " + Values.show(latency);
  }
}
