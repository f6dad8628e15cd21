package dev.faultline.demoapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy in front of the object store that answers 503 to the next {@code failNext}
 * requests instead of forwarding them (or to every request while {@code failAll} is set), and can
 * damage the next response's body: the faults of seed 003's "S3 5xx" scenario, on demand.
 */
final class FlakyStore implements AutoCloseable {
  final AtomicInteger failNext = new AtomicInteger();
  volatile boolean failAll;
  final AtomicInteger corruptNext = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;

  FlakyStore(int storePort) throws IOException {
    this.target = "http://127.0.0.1:" + storePort;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!ex.getRequestURI().getPath().equals("/health")) requests.incrementAndGet();
      if (failAll || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        failed.incrementAndGet();
        byte[] msg = "injected 503\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.sendResponseHeaders(503, msg.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(msg);
        }
        return;
      }
      HttpRequest.BodyPublisher pub = body.length == 0 && !ex.getRequestMethod().equals("PUT")
          ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().getPath()))
          .method(ex.getRequestMethod(), pub).build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers().firstValue("ETag").ifPresent(v -> ex.getResponseHeaders().set("ETag", v));
      byte[] out = r.body();
      if (out.length > 0 && corruptNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        out = out.clone();
        out[0] ^= 0x55;
      }
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(r.statusCode(), out.length == 0 || head ? -1 : out.length);
      if (out.length > 0 && !head) {
        try (OutputStream o = ex.getResponseBody()) {
          o.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
