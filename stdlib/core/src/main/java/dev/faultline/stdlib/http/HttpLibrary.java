package dev.faultline.stdlib.http;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Interrupted;
import dev.faultline.host.Library;
import dev.faultline.value.Values;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * HTTP and TCP probes: {@code http.get}, {@code http.request} and {@code tcp.connect}.
 *
 * <p>Design: {@code http} is a namespace, not a function, and every HTTP probe takes the URL first
 * and the same named options ({@code headers}, {@code timeout}); {@code http.request} adds
 * {@code method} and {@code body}. A probe never fails the step because the target is down: it
 * returns a result with status 0 (or {@code ok} false) and an {@code error}, so that it can be
 * polled in {@code await} while a service restarts. Mistakes in the call itself (a malformed URL,
 * a header that cannot be set) are errors of the step.
 *
 * <p>Threading: one {@link HttpClient} per library instance, created on first use (the
 * constructor stays cheap, as {@link Library} requires) and shared by every run of the
 * interpreter; it is thread-safe. Every wait is sliced so that an interrupted run stops the probe
 * at once and aborts the exchange. Requests use HTTP/1.1 and do not follow redirects: a probe
 * reports what the URL answers, a 301 included.
 */
public final class HttpLibrary implements Library {
  private static final Pattern METHOD = Pattern.compile("[A-Z]+");
  /** The methods that only read, by HTTP's definition (RFC 9110, safe methods): what a dry run sends. */
  private static final java.util.Set<String> READ_ONLY = java.util.Set.of("GET", "HEAD", "OPTIONS");
  private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset=\"?([^\";]+)\"?");

  private final Object clientLock = new Object();
  private HttpClient client;

  /** Cheap: the HTTP client and its threads start with the first request. */
  public HttpLibrary() {}

  HttpClient client() {
    synchronized (clientLock) {
      if (client == null) {
        client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
      }
      return client;
    }
  }

  // ------------------------------------------------------------ http

  @HostFunction(name = "http.get", effect = Effect.PROBE, doc = "Sends a GET request and returns the response. When no response arrives"
      + " (refused, reset, timed out) the result has status 0 and `error` set; the step does not fail.")
  public HttpResult get(
      @Arg(name = "url", doc = "the URL to request, http:// or https://") String url,
      @Arg(name = "headers", doc = "request headers, e.g. {\"Accept\": \"application/json\"}", byDefault = "{}") Map<String, Object> headers,
      @Arg(name = "timeout", doc = "how long to wait for the whole response", byDefault = "5s") Duration timeout,
      @Arg(name = "status", doc = "the statuses that make `ok` true, e.g. [200, 404]; empty means any 2xx", byDefault = "[]") List<Object> status,
      CallContext ctx) {
    return reported(exchange("get", "GET", url, headers, "", timeout, ctx).expecting(statuses("get", status)), ctx);
  }

  /** For Java callers: {@code http.get} with any 2xx as ok. */
  public HttpResult get(String url, Map<String, Object> headers, Duration timeout, CallContext ctx) {
    return get(url, headers, timeout, List.of(), ctx);
  }

  /** For Java callers: {@code http.request} with any 2xx as ok. */
  public HttpResult request(String url, String method, Map<String, Object> headers, Object body, Duration timeout, CallContext ctx) {
    return request(url, method, headers, body, timeout, List.of(), ctx);
  }

  /** The expected statuses: whole numbers from 100 to 599. */
  private static java.util.Set<Integer> statuses(String fn, List<Object> status) {
    java.util.Set<Integer> out = new java.util.LinkedHashSet<>();
    for (Object s : status) {
      if (!(s instanceof Long code) || code < 100 || code > 599) {
        throw new HostError(fn + "() needs HTTP statuses (100 to 599) in 'status', got " + Values.showNested(s), "e.g. status: [200, 204]");
      }
      out.add(code.intValue());
    }
    return out;
  }

  /** Each probe's sample goes to the run's report (event {@code probe}): which URL, the outcome, the latency. */
  private static HttpResult reported(HttpResult r, CallContext ctx) {
    ctx.measurements().probed("http " + r.method() + " " + r.url(), r.ok(), r.latency(),
        r.status() == 0 ? r.error() : "status " + r.status(), ctx.at());
    return r;
  }

  @HostFunction(name = "http.request", effect = Effect.PROBE, doc = "Sends a request with any method and an optional body and returns the"
      + " response. When no response arrives the result has status 0 and `error` set; the step does not fail.")
  public HttpResult request(
      @Arg(name = "url", doc = "the URL to request, http:// or https://") String url,
      @Arg(name = "method", doc = "the HTTP method: GET, POST, PUT, DELETE, …", byDefault = "\"GET\"") String method,
      @Arg(name = "headers", doc = "request headers, e.g. {\"Authorization\": \"Bearer …\"}", byDefault = "{}") Map<String, Object> headers,
      @Arg(name = "body", doc = "the request body: a string sent as is, or a map or list sent as JSON"
          + " (with Content-Type: application/json unless given)", byDefault = "\"\"") Object body,
      @Arg(name = "timeout", doc = "how long to wait for the whole response", byDefault = "5s") Duration timeout,
      @Arg(name = "status", doc = "the statuses that make `ok` true, e.g. [200, 204]; empty means any 2xx", byDefault = "[]") List<Object> status,
      CallContext ctx) {
    java.util.Set<Integer> expected = statuses("request", status);
    String m = method.strip().toUpperCase(Locale.ROOT);
    if (!METHOD.matcher(m).matches()) {
      throw new HostError("request() needs a method such as \"GET\" or \"POST\", got " + Values.showNested(method));
    }
    if (ctx.isDryRun() && !READ_ONLY.contains(m)) {
      // Rationale: a probe may run in a dry run because it only reads; a POST or a DELETE does not.
      ctx.log("not sent in a dry run: " + m + " " + url + " may change what it reaches");
      return HttpResult.failure(m, url, Duration.ZERO, "not sent: a dry run sends only GET, HEAD and OPTIONS requests");
    }
    return reported(exchange("request", m, url, headers, body, timeout, ctx).expecting(expected), ctx);
  }

  private HttpResult exchange(String fn, String method, String url, Map<String, Object> headers, Object body,
      Duration timeout, CallContext ctx) {
    URI uri = parseUrl(fn, url);
    requirePositive(fn, timeout);
    HttpRequest.BodyPublisher publisher;
    String contentType = null;
    if (body == null || "".equals(body)) {
      publisher = HttpRequest.BodyPublishers.noBody();
    } else if (body instanceof String s) {
      publisher = HttpRequest.BodyPublishers.ofString(s, StandardCharsets.UTF_8);
    } else if (body instanceof Map || body instanceof List) {
      publisher = HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8);
      contentType = "application/json";
    } else {
      throw new HostError(fn + "() needs a string, map or list for 'body', got " + Values.typeOf(body));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method, publisher);
    for (var h : headers.entrySet()) {
      try {
        request.header(h.getKey(), Values.show(h.getValue()));
      } catch (IllegalArgumentException e) {
        throw new HostError(fn + "() cannot send the header '" + h.getKey() + "': " + lowerFirst(e.getMessage()),
            "the HTTP client sets Host, Connection and Content-Length itself");
      }
      if (h.getKey().equalsIgnoreCase("content-type")) contentType = null;
    }
    if (contentType != null) request.header("Content-Type", contentType);

    long start = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> pending = client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      HttpResponse<byte[]> response = Waits.get(pending, start + timeout.toNanos(), ctx);
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      return HttpResult.response(method, url, response.statusCode(), latency, decode(response), firstValues(response));
    } catch (TimeoutException e) {
      return HttpResult.failure(method, url, Duration.ofNanos(System.nanoTime() - start), "no response within " + Values.show(timeout));
    } catch (ExecutionException e) {
      return HttpResult.failure(method, url, Duration.ofNanos(System.nanoTime() - start), describe(e.getCause(), uri, timeout));
    }
  }

  private static URI parseUrl(String fn, String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new HostError(fn + "(): " + Values.showNested(url) + " is not a URL: " + lowerFirst(e.getReason()),
          "write e.g. \"http://127.0.0.1:8080/health\"; spaces must be written %20");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new HostError(fn + "() needs an http:// or https:// URL, got " + Values.showNested(url),
          "write e.g. \"http://127.0.0.1:8080/health\"");
    }
    if (uri.getHost() == null) {
      throw new HostError(fn + "(): " + Values.showNested(url) + " has no host", "write e.g. \"http://127.0.0.1:8080/health\"");
    }
    return uri;
  }

  private static String decode(HttpResponse<byte[]> response) {
    Charset charset = StandardCharsets.UTF_8;
    String type = response.headers().firstValue("content-type").orElse("");
    Matcher m = CHARSET.matcher(type);
    if (m.find()) {
      try {
        charset = Charset.forName(m.group(1).strip());
      } catch (IllegalArgumentException unknown) {
        // An unknown charset name: UTF-8 is the best guess for a probe.
      }
    }
    return new String(response.body(), charset);
  }

  private static Map<String, Object> firstValues(HttpResponse<?> response) {
    Map<String, Object> out = new LinkedHashMap<>();
    response.headers().map().forEach((name, values) -> {
      if (!name.startsWith(":") && !values.isEmpty()) out.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
    });
    return out;
  }

  /** A readable reason for a failed exchange: "connection refused by 127.0.0.1:8080". */
  public static String describe(Throwable failure, URI uri, Duration timeout) {
    String where = uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80);
    String deepest = null;
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof HttpConnectTimeoutException) return "could not connect to " + where + " within " + Values.show(timeout);
      if (c instanceof HttpTimeoutException) return "no response within " + Values.show(timeout);
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) return "unknown host '" + uri.getHost() + "'";
      if (c instanceof SSLException) return "TLS with " + where + " failed: " + lowerFirst(String.valueOf(c.getMessage()));
      if (c.getMessage() != null) deepest = c.getMessage();
    }
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return deepest == null || deepest.toLowerCase(Locale.ROOT).contains("refused")
            ? "connection refused by " + where
            : "could not connect to " + where + ": " + lowerFirst(deepest);
      }
    }
    if (deepest == null) return failure.getClass().getSimpleName();
    String lower = deepest.toLowerCase(Locale.ROOT);
    if (lower.contains("received no bytes") || lower.contains("eof reached") || lower.contains("connection reset")) {
      return "the connection to " + where + " was closed before a response arrived";
    }
    return lowerFirst(deepest);
  }

  // ------------------------------------------------------------ tcp

  @HostFunction(name = "tcp.connect", effect = Effect.PROBE, doc = "Opens a TCP connection and closes it at once. When it cannot connect"
      + " (refused, timed out, unknown host) the result has `ok` false and `error` set; the step does not fail.")
  public TcpResult connect(
      @Arg(name = "address", doc = "host:port, e.g. \"127.0.0.1:5432\" or \"[::1]:5432\"") String address,
      @Arg(name = "timeout", doc = "how long to wait for the connection", byDefault = "2s") Duration timeout,
      CallContext ctx) {
    TcpResult r = connectOnce(address, timeout, ctx);
    ctx.measurements().probed("tcp " + r.address(), r.ok(), r.latency(), r.error(), ctx.at());
    return r;
  }

  private TcpResult connectOnce(String address, Duration timeout, CallContext ctx) {
    requirePositive("connect", timeout);
    InetSocketAddress target = parseAddress(address);
    long start = System.nanoTime();
    if (target.isUnresolved()) return new TcpResult(address, since(start), "unknown host '" + target.getHostString() + "'");
    long deadline = start + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(); Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      boolean connected = channel.connect(target);
      if (!connected) channel.register(selector, SelectionKey.OP_CONNECT);
      while (!connected) {
        ctx.checkInterrupted();
        if (Thread.currentThread().isInterrupted()) throw new Interrupted("interrupted");
        long left = deadline - System.nanoTime();
        if (left <= 0) return new TcpResult(address, since(start), "no connection within " + Values.show(timeout));
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, Waits.SLICE_NANOS))));
        selector.selectedKeys().clear();
        connected = channel.finishConnect();
      }
      return new TcpResult(address, since(start), "");
    } catch (ConnectException e) {
      String why = e.getMessage() == null || e.getMessage().toLowerCase(Locale.ROOT).contains("refused")
          ? "connection refused" : lowerFirst(e.getMessage());
      return new TcpResult(address, since(start), why + " by " + address);
    } catch (IOException e) {
      return new TcpResult(address, since(start), "could not connect to " + address + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : lowerFirst(e.getMessage())));
    }
  }

  /** {@code host:port} or {@code [v6]:port}; a malformed address is the caller's mistake. */
  static InetSocketAddress parseAddress(String address) {
    String a = address.strip();
    String host;
    String port;
    if (a.startsWith("[")) {
      int close = a.indexOf("]:");
      host = close < 0 ? "" : a.substring(1, close);
      port = close < 0 ? "" : a.substring(close + 2);
    } else {
      int colon = a.lastIndexOf(':');
      host = colon <= 0 || a.indexOf(':') != colon ? "" : a.substring(0, colon);
      port = colon < 0 ? "" : a.substring(colon + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (host.isEmpty() || p < 1 || p > 65535) {
      throw new HostError("connect() needs an address host:port, got " + Values.showNested(address),
          "write e.g. \"127.0.0.1:5432\", or \"[::1]:5432\" for IPv6");
    }
    return new InetSocketAddress(host, p);
  }

  // ------------------------------------------------------------ helpers

  private static void requirePositive(String fn, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new HostError(fn + "() needs a positive 'timeout', got " + Values.show(timeout));
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) return String.valueOf(s);
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
