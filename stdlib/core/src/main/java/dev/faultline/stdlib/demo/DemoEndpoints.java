package dev.faultline.stdlib.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.faultline.stdlib.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo service's endpoints, all JSON:
 * <pre>
 *   GET  /health             200 {"status": "up"}
 *   GET  /api/items          200 [{"id": 1, "name": "anvil"}, …]
 *   POST /api/items          201 the stored item; a JSON object body gets an "id", any other body is kept as "text"
 *   DELETE /api/items/{id}   204, or 404 when there is no such item
 *   GET  /api/slow?ms=N      200 after sleeping N ms (at most 60000; default 1000)
 *   GET  /api/status/{code}  that status (200–599)
 * </pre>
 * During an injected outage every path answers the outage's status. Items live in memory for the
 * life of the service. Thread-safe.
 */
final class DemoEndpoints implements HttpHandler {
  /** Rationale: a typo such as ms=6000000 should not hold a worker for hours. */
  static final long MAX_SLOW_MS = 60_000;
  /** Rationale: the demo keeps items in memory; a runaway loop must not exhaust the heap. */
  static final int MAX_BODY_BYTES = 1 << 20;

  private final DemoService service;
  private final List<Map<String, Object>> items = new ArrayList<>();
  private final AtomicLong nextId = new AtomicLong(1);

  DemoEndpoints(DemoService service) {
    this.service = service;
    for (String seed : List.of("anvil", "bellows")) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", nextId.getAndIncrement());
      item.put("name", seed);
      items.add(item);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      service.counted();
      exchange.getResponseHeaders().set("Server", "faultline-demo/" + service.name());
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      int outage = service.outageStatus();
      if (outage != 0) {
        send(exchange, outage, path.equals("/health") ? Map.of("status", "down") : Map.of("error", "injected outage"));
      } else if (path.equals("/health")) {
        if (only(exchange, method, "GET")) send(exchange, 200, Map.of("status", "up"));
      } else if (path.equals("/api/items")) {
        if (method.equals("POST")) add(exchange);
        else if (only(exchange, method, "GET")) send(exchange, 200, list());
      } else if (path.startsWith("/api/items/")) {
        if (only(exchange, method, "DELETE")) delete(exchange, path.substring("/api/items/".length()));
      } else if (path.equals("/api/slow")) {
        if (only(exchange, method, "GET")) slow(exchange);
      } else if (path.startsWith("/api/status/")) {
        status(exchange, path.substring("/api/status/".length()));
      } else {
        send(exchange, 404, Map.of("error", "no endpoint " + path,
            "endpoints", List.of("/health", "/api/items", "/api/slow?ms=N", "/api/status/{code}")));
      }
    } catch (RuntimeException e) {
      send(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
    } finally {
      exchange.close();
    }
  }

  private boolean only(HttpExchange exchange, String method, String allowed) throws IOException {
    if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) return true;
    exchange.getResponseHeaders().set("Allow", allowed);
    send(exchange, 405, Map.of("error", "method " + method + " is not allowed here"));
    return false;
  }

  private List<Object> list() {
    synchronized (items) {
      return new ArrayList<>(items);
    }
  }

  private void add(HttpExchange exchange) throws IOException {
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (raw.length > MAX_BODY_BYTES) {
      send(exchange, 413, Map.of("error", "the body is larger than " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    String text = new String(raw, StandardCharsets.UTF_8);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", nextId.getAndIncrement());
    Object parsed = null;
    try {
      parsed = text.isBlank() ? null : Json.parse(text);
    } catch (JsonProcessingException notJson) {
      // Kept as text below.
    }
    if (parsed instanceof Map<?, ?> fields) fields.forEach((k, v) -> { if (!"id".equals(k)) item.put(String.valueOf(k), v); });
    else item.put("text", text);
    synchronized (items) {
      items.add(item);
    }
    send(exchange, 201, item);
  }

  private void delete(HttpExchange exchange, String idText) throws IOException {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      send(exchange, 404, Map.of("error", "no item " + idText));
      return;
    }
    boolean removed;
    synchronized (items) {
      removed = items.removeIf(item -> item.get("id") instanceof Long l && l == id);
    }
    if (removed) {
      exchange.sendResponseHeaders(204, -1);
    } else {
      send(exchange, 404, Map.of("error", "no item " + id));
    }
  }

  private void slow(HttpExchange exchange) throws IOException {
    long ms = 1000;
    String query = exchange.getRequestURI().getQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("ms=")) {
          try {
            ms = Long.parseLong(pair.substring(3));
          } catch (NumberFormatException e) {
            send(exchange, 400, Map.of("error", "ms must be a whole number of milliseconds"));
            return;
          }
        }
      }
    }
    if (ms < 0 || ms > MAX_SLOW_MS) {
      send(exchange, 400, Map.of("error", "ms must be from 0 to " + MAX_SLOW_MS));
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      // The service is stopping: give up without an answer.
      Thread.currentThread().interrupt();
      return;
    }
    send(exchange, 200, Map.of("slept_ms", ms));
  }

  private void status(HttpExchange exchange, String code) throws IOException {
    int status;
    try {
      status = Integer.parseInt(code);
    } catch (NumberFormatException e) {
      status = -1;
    }
    if (status < 200 || status > 599) {
      send(exchange, 400, Map.of("error", "the status must be a number from 200 to 599, got '" + code + "'"));
      return;
    }
    send(exchange, status, Map.of("status", status));
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    boolean empty = status == 204 || status == 304 || exchange.getRequestMethod().equals("HEAD");
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, empty ? -1 : bytes.length);
    if (!empty) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
