package dev.faultline.stdlib.httpproxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.stdlib.net.NetLibrary;
import dev.faultline.stdlib.net.ProxyLink;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Percent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real HTTP client through both fault proxies in a chain (HTTP fault proxy, then the TCP fault
 * proxy) to a real JDK HTTP server on 127.0.0.1: faults of both layers act together, and what no
 * fault touches arrives byte for byte.
 */
class ThroughBothProxiesTest {
  private static final CallContext CTX = CallContext.detached();

  static {
    // See HttpProxyTest: without it each response waits for a delayed ACK.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private HttpServer server;
  private ExecutorService pool;
  private ProxyLink tcp;
  private HttpLink http;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pool = Executors.newFixedThreadPool(4);
    server.setExecutor(pool);
    // /body/N answers N bytes drawn from seed N; every request body is echoed on /echo.
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      byte[] in = ex.getRequestBody().readAllBytes();
      byte[] out = path.startsWith("/body/") ? body(Integer.parseInt(path.substring(6))) : in;
      ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
    tcp = new NetLibrary().proxy("127.0.0.1:0", "127.0.0.1:" + server.getAddress().getPort(), "db-link", 3L,
        new ByteSize(64L << 20), CTX);
    http = HttpLink.start("edge", "127.0.0.1", 0, "127.0.0.1", tcp.port(), 11L);
  }

  @AfterEach
  void stop() {
    http.close();
    tcp.close();
    server.stop(0);
    pool.shutdownNow();
  }

  private static byte[] body(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(http.url() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void statusRateHoldsAndUntouchedBodiesArriveByteForByte() throws Exception {
    // No fault: large bodies both ways.
    HttpResponse<byte[]> big = get("/body/" + (4 << 20));
    assertArrayEquals(body(4 << 20), big.body());
    byte[] upload = body(3 << 20);
    HttpResponse<byte[]> echoed = client.send(HttpRequest.newBuilder(URI.create(http.url() + "/echo"))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(upload, echoed.body());

    // 25% 503s from the HTTP proxy over 2,000 requests, each of a different size: within ±3 points.
    Fault status = http.status(503, new Percent(25), "GET", "/body/*", 5L);
    status.inject(CTX);
    int n = 2000;
    int faulted = 0;
    for (int i = 0; i < n; i++) {
      int size = 1 + (i * 37) % 4096;
      HttpResponse<byte[]> r = get("/body/" + size);
      if (r.statusCode() == 503) {
        faulted++;
      } else {
        assertEquals(200, r.statusCode());
        assertArrayEquals(body(size), r.body(), "body of request " + i);
      }
    }
    double share = 100.0 * faulted / n;
    assertTrue(Math.abs(share - 25) <= 3, "503 for " + share + "% of requests, asked 25%");

    // A latency fault on the TCP link below stacks with it: every request is slower, statuses still injected.
    Fault latency = tcp.latency(Duration.ofMillis(30), Duration.ZERO, "downstream", new Percent(100));
    latency.inject(CTX);
    int slowFaulted = 0;
    for (int i = 0; i < 40; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = get("/body/100");
      double ms = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() == 503) {
        slowFaulted++;
      } else {
        assertArrayEquals(body(100), r.body());
        assertTrue(ms >= 29, "request through a 30 ms link took " + ms + " ms");
      }
    }
    assertTrue(slowFaulted > 0 && slowFaulted < 40, "503s under latency: " + slowFaulted + " of 40");

    // Reverted, both layers pass everything again.
    latency.revert(CTX);
    status.revert(CTX);
    for (int i = 0; i < 50; i++) {
      HttpResponse<byte[]> r = get("/body/" + (1000 + i));
      assertEquals(200, r.statusCode());
      assertArrayEquals(body(1000 + i), r.body());
    }
  }
}
