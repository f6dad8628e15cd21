package dev.faultline.demoapp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo system's HTTP API on 127.0.0.1: items, uploads, health, stats. Requests under
 * {@code /api/} are counted by status and timed in {@code /stats}; failures of a dependency answer
 * 503 with {@code {"error": "…"}}, bad input 400, anything unexpected 500.
 */
final class DemoApi implements AutoCloseable {
  private static final Pattern ITEM = Pattern.compile("/api/items/([0-9]{1,18})");
  private static final Pattern UPLOAD = Pattern.compile("/api/uploads/([A-Za-z0-9_-][A-Za-z0-9._-]{0,199})");
  private static final int MAX_LIMIT = 1000;

  /** One answer. */
  private record Reply(int status, String type, byte[] body, Map<String, String> headers) {
    static Reply json(Json json, int status, Object value) {
      return new Reply(status, "application/json", json.bytes(value), Map.of());
    }
  }

  private final Stats stats = new Stats();
  private final Json json = new Json();
  private final ItemDatabase db;
  private final ItemCache cache;
  private final Items items;
  private final UploadClient uploads;
  private final HttpServer server;
  private final ExecutorService executor;
  private final StatusReport status;

  private DemoApi(ApiConfig config) throws IOException {
    this.db = new ItemDatabase(config, stats);
    this.cache = config.redis() != null || !config.redisSentinels().isEmpty() ? new ItemCache(config, stats) : null;
    this.items = new Items(db, cache, config.cacheFallback(), stats, json);
    this.uploads = new UploadClient(config, stats);
    this.status = new StatusReport(config, stats, db, cache, uploads);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 256);
    this.executor = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "api-request");
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  /** Builds the API and starts listening; the database and Redis are connected to lazily. */
  static DemoApi start(ApiConfig config) throws IOException {
    DemoApi api = new DemoApi(config);
    api.server.start();
    return api;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) {
    long start = System.nanoTime();
    String path = ex.getRequestURI().getPath();
    Reply reply;
    try {
      reply = route(ex, ex.getRequestMethod(), path);
    } catch (Unavailable e) {
      reply = Reply.json(json, 503, Json.error(e.getMessage()));
    } catch (BadRequest e) {
      reply = Reply.json(json, 400, Json.error(e.getMessage()));
    } catch (UploadClient.StoreRefused e) {
      reply = Reply.json(json, 502, Json.error(e.getMessage()));
    } catch (RuntimeException | IOException e) {
      reply = Reply.json(json, 500, Json.error("internal error: " + e));
    }
    try (ex) {
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.getResponseHeaders().set("Content-Type", reply.type());
      ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      if (reply.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(reply.body());
        }
      }
    } catch (IOException e) {
      // the client went away
    }
    if (path.startsWith("/api/")) stats.request(reply.status(), (System.nanoTime() - start) / 1000);
  }

  private Reply route(HttpExchange ex, String method, String path) throws IOException {
    Matcher m;
    if (path.equals("/health")) return Reply.json(json, 200, Map.of("status", "up"));
    if (path.equals("/health/ready")) {
      Map<String, Object> ready = status.readiness();
      return Reply.json(json, Boolean.TRUE.equals(ready.get("ready")) ? 200 : 503, ready);
    }
    if (path.equals("/stats") && method.equals("GET")) return Reply.json(json, 200, status.stats());
    if (path.equals("/metrics") && method.equals("GET")) {
      return new Reply(200, "text/plain; version=0.0.4", PrometheusText.of(status.stats()).getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
    }
    if (path.equals("/stats/reset") && method.equals("POST")) {
      stats.reset();
      return Reply.json(json, 200, Map.of("reset", true));
    }
    if (path.equals("/api/items")) {
      if (method.equals("POST")) {
        String body = json.objectBody(ex.getRequestBody().readAllBytes());
        long id = items.create(body);
        return Reply.json(json, 201, Map.of("id", id));
      }
      if (method.equals("GET")) {
        int limit = limit(ex.getRequestURI().getRawQuery());
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        items.latest(limit).forEach(i -> list.add(json.itemNode(i)));
        return Reply.json(json, 200, Map.of("items", list));
      }
      return notAllowed("GET, POST");
    }
    if ((m = ITEM.matcher(path)).matches()) {
      if (!method.equals("GET")) return notAllowed("GET");
      Optional<Items.Read> read = items.get(Long.parseLong(m.group(1)));
      if (read.isEmpty()) return Reply.json(json, 404, Json.error("no item " + m.group(1)));
      return new Reply(200, "application/json", json.bytes(json.itemNode(read.get().item())), Map.of("X-Source", read.get().source()));
    }
    if ((m = UPLOAD.matcher(path)).matches()) {
      String key = m.group(1);
      if (method.equals("PUT")) {
        UploadClient.Stored s = uploads.put(key, ex.getRequestBody().readAllBytes());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", s.key());
        out.put("etag", s.etag());
        out.put("size", s.size());
        out.put("attempts", s.attempts());
        return Reply.json(json, 201, out);
      }
      if (method.equals("GET")) {
        Optional<UploadClient.Fetched> f = uploads.get(key);
        if (f.isEmpty()) return Reply.json(json, 404, Json.error("no upload '" + key + "'"));
        return new Reply(200, "application/octet-stream", f.get().data(), Map.of("ETag", "\"" + f.get().etag() + "\""));
      }
      return notAllowed("GET, PUT");
    }
    if (path.startsWith("/api/uploads/")) throw new BadRequest("invalid upload key: use letters, digits, '.', '_' and '-'");
    return Reply.json(json, 404, Json.error("no such endpoint: " + method + " " + path));
  }

  private Reply notAllowed(String allow) {
    return new Reply(405, "application/json", json.bytes(Json.error("method not allowed; use " + allow)), Map.of("Allow", allow));
  }

  private static int limit(String query) {
    if (query == null) return 20;
    for (String part : query.split("&")) {
      if (part.startsWith("limit=")) {
        try {
          int n = Integer.parseInt(part.substring(6));
          if (n < 1 || n > MAX_LIMIT) throw new BadRequest("limit must be 1.." + MAX_LIMIT);
          return n;
        } catch (NumberFormatException e) {
          throw new BadRequest("limit must be a number: " + part.substring(6));
        }
      }
    }
    return 20;
  }

  /** Stops accepting, lets requests in progress finish (up to 1 s), then closes the pools and the cache. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    status.close();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    db.close();
    if (cache != null) cache.close();
  }
}
