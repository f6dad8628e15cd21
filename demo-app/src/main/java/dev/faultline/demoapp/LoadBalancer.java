package dev.faultline.demoapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A round-robin HTTP load balancer on 127.0.0.1, the "load balancer routes around failed pods" of
 * the seeds: requests go to the backends in turn; a backend whose readiness check fails is taken
 * out of rotation until it answers again (checked every 500 ms); a request that cannot reach its
 * backend is sent to the next one. Requests that may have reached a backend are resent only when
 * they are idempotent (GET, HEAD, PUT, DELETE); a POST is resent only when the connection was
 * refused, so a write is never applied twice. {@code GET /lb/stats} tells what it did.
 */
final class LoadBalancer implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "content-length", "host");
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

  /** One backend and what happened to it. */
  private static final class Backend {
    final URI uri;
    volatile boolean healthy = true;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    Backend(URI uri) {
      this.uri = uri;
    }
  }

  private final List<Backend> backends;
  private final String healthPath;
  private final boolean failover;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ScheduledExecutorService checker;
  private final HttpClient client;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Json json = new Json();

  private LoadBalancer(List<URI> uris, String healthPath, boolean failover, HttpServer server) {
    this.backends = uris.stream().map(Backend::new).toList();
    this.healthPath = healthPath;
    this.failover = failover;
    this.server = server;
    this.executor = Executors.newFixedThreadPool(32, daemon("lb-request"));
    this.checker = Executors.newSingleThreadScheduledExecutor(daemon("lb-health"));
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).executor(Executors.newCachedThreadPool(daemon("lb-client"))).build();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  static LoadBalancer start(int port, List<URI> backends, String healthPath, boolean failover) throws IOException {
    if (backends.isEmpty()) throw new IllegalArgumentException("--backends names no backend");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    LoadBalancer lb = new LoadBalancer(backends, healthPath, failover, server);
    server.createContext("/", lb::handle);
    server.setExecutor(lb.executor);
    server.start();
    if (failover) lb.checker.scheduleWithFixedDelay(lb::checkAll, 0, 500, TimeUnit.MILLISECONDS);
    return lb;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void checkAll() {
    for (Backend b : backends) {
      boolean ok;
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(b.uri.resolve(healthPath)).timeout(Duration.ofSeconds(1)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        ok = r.statusCode() == 200;
      } catch (IOException e) {
        ok = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (ok != b.healthy) System.err.println("lb: backend " + b.uri + (ok ? " back in rotation" : " out of rotation"));
      b.healthy = ok;
    }
  }

  /** The backends to try for one request: in turn from the next one, those in rotation first. */
  private List<Backend> order() {
    int n = backends.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    List<Backend> healthy = new ArrayList<>(n);
    List<Backend> others = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Backend b = backends.get((start + i) % n);
      (b.healthy || !failover ? healthy : others).add(b);
    }
    if (!failover) return healthy.subList(0, 1);
    healthy.addAll(others);
    return healthy;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getRawPath();
      if (path.equals("/lb/stats")) {
        send(x, 200, json.bytes(stats()));
        return;
      }
      if (path.equals("/lb/health")) {
        send(x, 200, json.bytes(Map.of("status", "up")));
        return;
      }
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readAllBytes();
      }
      String method = x.getRequestMethod().toUpperCase(Locale.ROOT);
      String lastError = "";
      boolean first = true;
      for (Backend b : order()) {
        if (!first) resent.incrementAndGet();
        first = false;
        b.requests.incrementAndGet();
        try {
          HttpResponse<byte[]> r = client.send(request(b, x, method, body), HttpResponse.BodyHandlers.ofByteArray());
          r.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) x.getResponseHeaders().put(name, values);
          });
          x.getResponseHeaders().set("X-Backend", b.uri.toString());
          send(x, r.statusCode(), method.equals("HEAD") ? null : r.body());
          return;
        } catch (IOException e) {
          b.failures.incrementAndGet();
          lastError = b.uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
          if (failover) b.healthy = false;
          boolean neverSent = e instanceof ConnectException;
          if (!failover || (!neverSent && !IDEMPOTENT.contains(method))) break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      failed.incrementAndGet();
      send(x, 502, json.bytes(Json.error("no backend answered: " + lastError)));
    }
  }

  private HttpRequest request(Backend b, HttpExchange x, String method, byte[] body) {
    HttpRequest.Builder r = HttpRequest.newBuilder(b.uri.resolve(x.getRequestURI().getRawPath()
            + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery())))
        .timeout(Duration.ofSeconds(10))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    x.getRequestHeaders().forEach((name, values) -> {
      if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase("expect")) return;
      for (String v : values) r.header(name, v);
    });
    return r.build();
  }

  private Map<String, Object> stats() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Backend b : backends) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", b.uri.toString());
      m.put("healthy", b.healthy);
      m.put("requests", b.requests.get());
      m.put("failures", b.failures.get());
      list.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("failover", failover);
    out.put("backends", list);
    out.put("in_rotation", backends.stream().filter(b -> b.healthy).count());
    out.put("resent", resent.get());
    out.put("failed", failed.get());
    return out;
  }

  private static void send(HttpExchange x, int status, byte[] body) throws IOException {
    if (body == null) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    if (!x.getResponseHeaders().containsKey("Content-Type")) x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    checker.shutdownNow();
    server.stop(1);
    executor.shutdownNow();
  }
}
