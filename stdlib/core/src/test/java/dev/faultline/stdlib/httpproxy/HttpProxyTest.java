package dev.faultline.stdlib.httpproxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.Percent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP fault proxy in front of a real JDK HTTP server, seen by a real HTTP client on 127.0.0.1. */
class HttpProxyTest {
  private static final byte[] BIG = bytes(5 << 20, 1);
  private static final CallContext CTX = CallContext.detached();

  static {
    // Without it the JDK server sends a response's head and body as two segments, and the body
    // waits ~40 ms for a delayed ACK: 2,000 requests would take over a minute (see DemoService).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<HttpLink> links = new ArrayList<>();
  private HttpServer server;
  private ExecutorService pool;
  private HttpLink link;

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pool = Executors.newFixedThreadPool(8);
    server.setExecutor(pool);
    server.createContext("/", this::serve);
    server.start();
    link = start(7);
  }

  private HttpLink start(long seed) {
    HttpLink l = HttpLink.start("t", "127.0.0.1", 0, "127.0.0.1", server.getAddress().getPort(), seed);
    links.add(l);
    return l;
  }

  @AfterEach
  void stop() {
    links.forEach(HttpLink::close);
    server.stop(0);
    pool.shutdownNow();
  }

  /** /echo answers the body it got; /big 5 MiB; /chunked a chunked body; /conn the upstream-side port; else "ok PATH". */
  private void serve(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] in = ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().set("X-Method", ex.getRequestMethod());
    ex.getResponseHeaders().set("X-Seen-Custom", String.valueOf(ex.getRequestHeaders().getFirst("X-Custom")));
    ex.getResponseHeaders().set("X-Seen-Hop", String.valueOf(ex.getRequestHeaders().getFirst("X-Hop")));
    ex.getResponseHeaders().set("X-Upstream-Custom", "kept");
    byte[] out;
    switch (path) {
      case "/echo" -> out = in;
      case "/big" -> out = BIG;
      case "/conn" -> out = Integer.toString(ex.getRemoteAddress().getPort()).getBytes(StandardCharsets.US_ASCII);
      case "/chunked" -> {
        ex.sendResponseHeaders(200, 0);
        try (OutputStream o = ex.getResponseBody()) {
          for (int i = 0; i < 50; i++) {
            o.write(("piece " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
          }
        }
        return;
      }
      default -> out = ("ok " + path).getBytes(StandardCharsets.US_ASCII);
    }
    ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  private HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(link.url() + path)).timeout(Duration.ofSeconds(10))
        .header("X-Custom", "custom value")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private int status(String method, String path) throws Exception {
    return send(method, path, null).statusCode();
  }

  @Test
  void describesItself() {
    assertTrue(link.url().matches("http://127\\.0\\.0\\.1:\\d+"), link.url());
    assertEquals("127.0.0.1:" + link.port(), link.address());
    assertEquals("http://127.0.0.1:" + server.getAddress().getPort(), link.upstream());
  }

  @Test
  void passesBodiesAndHeadersThroughByteIdentical() throws Exception {
    HttpResponse<byte[]> big = send("GET", "/big", null);
    assertEquals(200, big.statusCode());
    assertArrayEquals(BIG, big.body());
    assertEquals("kept", big.headers().firstValue("x-upstream-custom").orElse(""));
    assertEquals("custom value", big.headers().firstValue("x-seen-custom").orElse(""));

    byte[] upload = bytes(3 << 20, 2);
    HttpResponse<byte[]> echoed = send("POST", "/echo", upload);
    assertEquals("POST", echoed.headers().firstValue("x-method").orElse(""));
    assertArrayEquals(upload, echoed.body());

    // A request body of unknown length goes out chunked and must arrive whole.
    HttpRequest chunkedUpload = HttpRequest.newBuilder(URI.create(link.url() + "/echo")).timeout(Duration.ofSeconds(10))
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(upload))).build();
    assertArrayEquals(upload, client.send(chunkedUpload, HttpResponse.BodyHandlers.ofByteArray()).body());

    StringBuilder pieces = new StringBuilder();
    for (int i = 0; i < 50; i++) pieces.append("piece ").append(i).append('\n');
    HttpResponse<byte[]> chunked = send("GET", "/chunked", null);
    assertEquals(pieces.toString(), new String(chunked.body(), StandardCharsets.US_ASCII));
    assertEquals(4, link.requests());
  }

  @Test
  void keepsBothConnectionsAliveAndDropsHopByHopFields() throws Exception {
    try (Socket s = new Socket("127.0.0.1", link.port())) {
      s.setSoTimeout(5000);
      String first = exchange(s, "GET /conn HTTP/1.1\r\nHost: x\r\n\r\n");
      String second = exchange(s, "GET /conn HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nX-Custom: c\r\n\r\n");
      assertTrue(first.startsWith("HTTP/1.1 200"), first);
      assertEquals(body(first), body(second), "both requests went over one upstream connection");
      assertTrue(second.toLowerCase().contains("x-seen-hop: null"), second);
      assertTrue(second.toLowerCase().contains("x-seen-custom: c"), second);
      String closing = exchange(s, "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(closing.endsWith("ok /x"), closing);
      assertEquals(-1, s.getInputStream().read(), "Connection: close is honoured");
    }
  }

  /** Writes a request and reads one response with a Content-Length body. */
  private static String exchange(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) throw new IOException("closed after " + head);
      head.write(c);
    }
    String h = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
    }
    return h + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void injectsStatusAtTheRequestedRate() throws Exception {
    Fault f = link.status(503, new Percent(30), "", "", 42L);
    f.inject(CTX);
    int faulted = 0;
    int n = 2000;
    for (int i = 0; i < n; i++) {
      HttpResponse<byte[]> r = send("GET", "/hello", null);
      if (r.statusCode() == 503) {
        faulted++;
        assertEquals("http.status", r.headers().firstValue("x-faultline-fault").orElse(""));
      } else {
        assertEquals(200, r.statusCode());
        assertEquals("ok /hello", new String(r.body(), StandardCharsets.US_ASCII));
      }
    }
    double share = 100.0 * faulted / n;
    assertTrue(Math.abs(share - 30) <= 3, "503 for " + share + "% of requests, asked 30%");
    f.revert(CTX);
    for (int i = 0; i < 50; i++) assertEquals(200, status("GET", "/hello"));
  }

  @Test
  void theSameSeedMakesTheSameDecisions() throws Exception {
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Fault f = link.status(500, new Percent(50), "", "", 99L);
      f.inject(CTX);
      List<Integer> seen = new ArrayList<>();
      for (int i = 0; i < 40; i++) seen.add(status("GET", "/x"));
      f.revert(CTX);
      runs.add(seen);
    }
    assertEquals(runs.get(0), runs.get(1));
    assertTrue(runs.get(0).contains(500) && runs.get(0).contains(200), runs.get(0).toString());
  }

  @Test
  void matchesMethodAndPath() throws Exception {
    link.status(503, new Percent(100), "post", "/api/*", null).inject(CTX);
    assertEquals(503, send("POST", "/api/items", "x".getBytes(StandardCharsets.US_ASCII)).statusCode());
    assertEquals(503, send("POST", "/api/items/7/parts", "x".getBytes(StandardCharsets.US_ASCII)).statusCode());
    assertEquals(200, status("GET", "/api/items"));
    assertEquals(200, send("POST", "/other", "x".getBytes(StandardCharsets.US_ASCII)).statusCode());
    assertEquals(200, send("POST", "/api", "x".getBytes(StandardCharsets.US_ASCII)).statusCode());
    assertEquals(200, status("GET", "/api/items?x=/api/y"));
  }

  @Test
  void answersAnExpectContinueRequestAndCloses() throws Exception {
    link.status(503, new Percent(100), "", "/upload", null).inject(CTX);
    try (Socket s = new Socket("127.0.0.1", link.port())) {
      s.setSoTimeout(5000);
      String r = exchange(s, "PUT /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
      assertTrue(r.startsWith("HTTP/1.1 503"), r);
      assertEquals(-1, s.getInputStream().read(), "closed: where a next request would start is unknown");
    }
    // Forwarded, the upstream's 100 Continue reaches the client and the body follows.
    HttpRequest put = HttpRequest.newBuilder(URI.create(link.url() + "/echo")).expectContinue(true)
        .PUT(HttpRequest.BodyPublishers.ofString("hello")).timeout(Duration.ofSeconds(5)).build();
    assertEquals("hello", client.send(put, HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void faultsStackAndRevertApart() throws Exception {
    Fault a = link.status(502, new Percent(100), "", "/a*", null);
    Fault b = link.status(504, new Percent(100), "", "", null);
    a.inject(CTX);
    b.inject(CTX);
    a.inject(CTX); // twice is harmless
    assertEquals(504, status("GET", "/a"), "the newest status fault answers");
    b.revert(CTX);
    assertEquals(502, status("GET", "/a"));
    assertEquals(200, status("GET", "/b"));
    a.revert(CTX);
    a.revert(CTX);
    assertEquals(200, status("GET", "/a"));
  }

  @Test
  void delaysMatchingRequestsOnly() throws Exception {
    status("GET", "/warm");
    link.delay(Duration.ofMillis(300), new Percent(100), "", "/slow*", null).inject(CTX);
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      assertEquals(200, status("GET", "/slow"));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 300 && ms < 800, "delayed " + ms + "ms, asked 300ms");
    }
    long t0 = System.nanoTime();
    assertEquals(200, status("GET", "/fast"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 200, "not delayed, took " + ms + "ms");

    // A delayed POST keeps its body.
    byte[] upload = bytes(1 << 20, 3);
    link.delay(Duration.ofMillis(100), new Percent(100), "POST", "", null).inject(CTX);
    assertArrayEquals(upload, send("POST", "/echo", upload).body());
  }

  @Test
  void abortClosesTheClientConnectionWithoutAResponse() throws Exception {
    long before = link.requests();
    link.abort(new Percent(100), "", "/boom", null).inject(CTX);
    try (Socket s = new Socket("127.0.0.1", link.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      int first;
      try {
        first = s.getInputStream().read();
      } catch (java.net.SocketException reset) {
        first = -1;
      }
      assertEquals(-1, first, "no byte of a response");
    }
    assertThrows(IOException.class, () -> send("GET", "/boom", null));
    assertEquals(200, status("GET", "/fine"));
    assertTrue(link.requests() >= before + 3);
  }

  @Test
  void servesManyConcurrentClientsAndLeavesNoConnectionOpen() throws Exception {
    link.delay(Duration.ofMillis(20), new Percent(50), "", "", 5L).inject(CTX);
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      HttpRequest r = HttpRequest.newBuilder(URI.create(link.url() + "/n/" + i)).timeout(Duration.ofSeconds(10)).build();
      all.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < all.size(); i++) {
      HttpResponse<String> r = all.get(i).get(15, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(200, r.statusCode());
      assertEquals("ok /n/" + i, r.body());
    }
    assertEquals(300, link.requests());
    assertTrue(link.connections().size() > 0);
    link.close();
    assertEquals(0, link.connections().size(), "every client and upstream connection closed");
  }

  @Test
  void stopsAndFreesItsPort() throws Exception {
    int port = link.port();
    assertEquals(200, status("GET", "/x"));
    link.close();
    link.close();
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress("127.0.0.1", port));
    }
  }

  @Test
  void answersBadGatewayWhenTheUpstreamIsDown() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    HttpLink dead = HttpLink.start("dead", "127.0.0.1", 0, "127.0.0.1", port, 1);
    links.add(dead);
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(dead.url() + "/x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(502, r.statusCode());
  }

  @Test
  void refusesBadArguments() {
    assertThrows(HostError.class, () -> link.status(99, new Percent(10), "", "", null));
    assertThrows(HostError.class, () -> link.abort(new Percent(101), "", "", null));
    HttpProxyLibrary lib = new HttpProxyLibrary();
    assertThrows(HostError.class, () -> lib.httpProxy("nope", "http://127.0.0.1:1", "", null, CTX));
    assertThrows(HostError.class, () -> lib.httpProxy("127.0.0.1:0", "https://127.0.0.1:1", "", null, CTX));
    assertThrows(HostError.class, () -> lib.httpProxy("127.0.0.1:0", "http://127.0.0.1:1/base", "", null, CTX));
  }

  @Test
  void globsMatchAsDocumented() {
    assertTrue(HttpFault.glob("/api/*").matcher("/api/a/b").matches());
    assertFalse(HttpFault.glob("/api/*").matcher("/apix").matches());
    assertTrue(HttpFault.glob("/v?/x.json").matcher("/v1/x.json").matches());
    assertFalse(HttpFault.glob("/v?/x.json").matcher("/v1/xyjson").matches());
    assertEquals("/a/b", Relay.path("/a/b?q=1"));
    assertEquals("/p", Relay.path("http://h:1/p?x"));
  }
}
