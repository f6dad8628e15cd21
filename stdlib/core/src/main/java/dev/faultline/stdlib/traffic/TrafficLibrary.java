package dev.faultline.stdlib.traffic;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.stdlib.http.Json;
import dev.faultline.value.Rate;
import dev.faultline.value.Values;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code traffic(url, rate: 200/s, for: 1m)}: background HTTP load at a fixed rate (see
 * {@link Traffic}). Stateless: each traffic has its own {@link HttpSender}, so that its connections
 * and threads end with it.
 */
public final class TrafficLibrary implements Library {
  /** Rationale: above this the sending thread, not the target, is what a run would measure. */
  static final double MAX_RATE = 100_000;

  public TrafficLibrary() {}

  @HostFunction(name = "traffic", effect = Effect.ACTION, doc = "Starts sending HTTP requests to `url` at a fixed `rate` in the"
      + " background, open model (a request's send time is fixed by the schedule, and its latency counts from then), until"
      + " `for` has passed, `stop()` is called or the scope that started it ends. Returns the running traffic; read its"
      + " figures (error_rate, p95, …) at any time, in steps and in guards.")
  public Traffic traffic(
      @Arg(name = "url", doc = "the URL to request, http:// or https://") String url,
      @Arg(name = "rate", doc = "requests per time, e.g. 200/s", byDefault = "10/s") Rate rate,
      @Arg(name = "for", doc = "how long to send; without it, until the scope ends or stop()", byDefault = "null") Duration runFor,
      @Arg(name = "method", doc = "the HTTP method", byDefault = "\"GET\"") String method,
      @Arg(name = "headers", doc = "request headers", byDefault = "{}") Map<String, Object> headers,
      @Arg(name = "body", doc = "the request body: a string, or a map or list sent as JSON", byDefault = "\"\"") Object body,
      @Arg(name = "status", doc = "the statuses that count as success; empty means any 2xx", byDefault = "[]") List<Object> status,
      @Arg(name = "timeout", doc = "how long one request may take before it counts as failed", byDefault = "2s") Duration timeout,
      @Arg(name = "max_in_flight", doc = "requests that may wait for an answer at once; beyond, a request fails unsent",
          byDefault = "10000") long maxInFlight,
      @Arg(name = "name", doc = "the name in messages and the report; default: the URL's host:port/path", byDefault = "null") String name,
      CallContext ctx) {
    if (rate.perSecond() <= 0 || rate.perSecond() > MAX_RATE) {
      throw new HostError("traffic() needs a rate above 0/s and at most " + Values.decimal(MAX_RATE) + "/s, got " + rate);
    }
    if (runFor != null && (runFor.isNegative() || runFor.isZero())) throw new HostError("traffic() needs a positive 'for', got " + Values.show(runFor));
    if (timeout.isNegative() || timeout.isZero()) throw new HostError("traffic() needs a positive 'timeout', got " + Values.show(timeout));
    if (maxInFlight < 1 || maxInFlight > 1_000_000) throw new HostError("traffic() needs 'max_in_flight' from 1 to 1000000, got " + maxInFlight);
    URI uri = parseUrl(url);
    String m = method.strip().toUpperCase(Locale.ROOT);
    if (!m.matches("[A-Z]+")) throw new HostError("traffic() needs a method such as \"GET\" or \"POST\", got " + Values.showNested(method));
    Set<Integer> expected = new LinkedHashSet<>();
    for (Object s : status) {
      if (!(s instanceof Long code) || code < 100 || code > 599) {
        throw new HostError("traffic() needs HTTP statuses (100 to 599) in 'status', got " + Values.showNested(s), "e.g. status: [200, 204]");
      }
      expected.add(code.intValue());
    }
    Map<String, String> sent = new java.util.LinkedHashMap<>();
    for (var h : headers.entrySet()) {
      String k = h.getKey().strip();
      if (!k.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || k.equalsIgnoreCase("host") || k.equalsIgnoreCase("content-length")
          || k.equalsIgnoreCase("connection")) {
        throw new HostError("traffic() cannot send the header '" + h.getKey() + "'", "Host, Connection and Content-Length are set by traffic() itself");
      }
      sent.put(k, Values.show(h.getValue()));
    }
    String shown = name != null ? name : uri.getAuthority() + (uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath());
    boolean json = body instanceof Map || body instanceof List;
    if (new java.net.InetSocketAddress(uri.getHost(), 80).isUnresolved()) {
      throw new HostError("traffic(): unknown host '" + uri.getHost() + "'", "check the URL's host name");
    }
    HttpSender http;
    try {
      http = new HttpSender(uri, m, sent, bytes(body), json && !hasContentType(sent) ? "application/json" : null, timeout, (int) maxInFlight);
    } catch (javax.net.ssl.SSLException e) {
      throw new HostError("traffic() cannot set up TLS: " + e.getMessage());
    }
    Traffic t = new Traffic(shown, rate, http, Set.copyOf(expected), timeout, (int) maxInFlight, runFor, ctx.measurements());
    try {
      ctx.own(t, "traffic \"" + shown + "\"");
    } catch (RuntimeException refused) {
      http.close(); // a guard's condition, say: nothing was sent, and no thread may outlive the call
      throw refused;
    }
    ctx.measurements().trafficStarted(t, rate + " " + m + " " + uri + (runFor == null ? "" : " for " + Values.show(runFor)), ctx.at());
    t.start();
    return t;
  }

  private static byte[] bytes(Object body) {
    if (body == null || "".equals(body)) return new byte[0];
    if (body instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
    if (body instanceof Map || body instanceof List) return Json.write(body).getBytes(StandardCharsets.UTF_8);
    throw new HostError("traffic() needs a string, map or list for 'body', got " + Values.typeOf(body));
  }

  private static boolean hasContentType(Map<String, String> headers) {
    return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("content-type"));
  }

  private static URI parseUrl(String url) {
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return uri;
    } catch (URISyntaxException e) {
      // reported below, with the same help
    }
    throw new HostError("traffic() needs an http:// or https:// URL, got " + Values.showNested(url),
        "write e.g. \"http://127.0.0.1:8080/api/items\"");
  }
}
