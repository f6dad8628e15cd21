package dev.faultline.stdlib.traffic;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on 127.0.0.1 that misbehaves on purpose, with known truth:
 * <pre>
 *   /ok          200 at once
 *   /slow?ms=N   200 after N ms
 *   /flaky?every=K   500 for every K-th request to /flaky (counted by the server), else 200
 *   /stall       200, but held while a stall is on ({@link #stall()} … {@link #release()})
 * </pre>
 */
final class MisbehavingServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "misbehaving-server");
    t.setDaemon(true);
    return t;
  });
  final AtomicLong flaky = new AtomicLong();
  final AtomicLong flakyFailed = new AtomicLong();
  final AtomicLong served = new AtomicLong();
  private final AtomicReference<CountDownLatch> stall = new AtomicReference<>(new CountDownLatch(0));

  MisbehavingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void stall() {
    stall.set(new CountDownLatch(1));
  }

  void release() {
    stall.get().countDown();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
      int status = 200;
      switch (path) {
        case "/slow" -> sleep(Long.parseLong(query.replace("ms=", "")));
        case "/flaky" -> {
          long every = Long.parseLong(query.replace("every=", ""));
          if (flaky.incrementAndGet() % every == 0) {
            status = 500;
            flakyFailed.incrementAndGet();
          }
        }
        case "/stall" -> {
          try {
            stall.get().await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        default -> { }
      }
      served.incrementAndGet();
      byte[] body = "ok".getBytes();
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    workers.shutdownNow();
  }
}
