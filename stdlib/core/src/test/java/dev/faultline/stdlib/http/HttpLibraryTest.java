package dev.faultline.stdlib.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.host.Interrupted;
import dev.faultline.source.Position;
import dev.faultline.stdlib.demo.DemoService;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP and TCP probes against the demo service, a closed port and servers that stall. */
class HttpLibraryTest {
  private static final Duration FIVE_S = Duration.ofSeconds(5);
  private final HttpLibrary http = new HttpLibrary();
  private final CallContext ctx = CallContext.detached();
  private DemoService svc;

  @BeforeEach
  void start() {
    svc = DemoService.start("probe-test", 0);
  }

  @AfterEach
  void stop() {
    svc.stop();
    Thread.interrupted(); // never leak an interrupt into the next test
  }

  @Test
  void getReadsStatusBodyHeadersAndJson() {
    HttpResult r = http.get(svc.healthUrl(), Map.of(), FIVE_S, ctx);
    assertEquals(200, r.status());
    assertTrue(r.ok());
    assertEquals("", r.error());
    assertEquals("{\"status\":\"up\"}", r.body());
    assertEquals(Map.of("status", "up"), r.json());
    assertEquals("application/json", r.headers().get("content-type"));
    assertTrue(r.latency().compareTo(Duration.ZERO) > 0 && r.latency().compareTo(FIVE_S) < 0);
    assertEquals("GET", r.method());
    assertTrue(r.show().startsWith("http_response 200 from GET " + svc.healthUrl()), r.show());
  }

  @Test
  void jsonBecomesPlaybookValues() {
    Object items = http.get(svc.url() + "/api/items", Map.of(), FIVE_S, ctx).json();
    assertEquals(List.of(Map.of("id", 1L, "name", "anvil"), Map.of("id", 2L, "name", "bellows")), items);
  }

  @Test
  void requestSendsMapsAsJsonAndStringsAsIs() {
    HttpResult created = http.request(svc.url() + "/api/items", "post", Map.of(), Map.of("name", "crucible"), FIVE_S, ctx);
    assertEquals(201, created.status());
    assertEquals(Map.of("id", 3L, "name", "crucible"), created.json());
    HttpResult text = http.request(svc.url() + "/api/items", "POST", Map.of("Content-Type", "text/plain"), "hello", FIVE_S, ctx);
    assertEquals(Map.of("id", 4L, "text", "hello"), text.json());
  }

  @Test
  void errorStatusesAreResponsesNotErrors() {
    HttpResult r = http.get(svc.url() + "/api/status/503", Map.of(), FIVE_S, ctx);
    assertEquals(503, r.status());
    assertFalse(r.ok());
    assertEquals("", r.error(), "a 503 is an answer: 'error' is for no answer at all");
  }

  @Test
  void aClosedPortGivesStatusZeroAndAReason() {
    int port = svc.port();
    svc.stop();
    HttpResult r = http.get("http://127.0.0.1:" + port + "/health", Map.of(), FIVE_S, ctx);
    assertEquals(0, r.status());
    assertFalse(r.ok());
    assertEquals("connection refused by 127.0.0.1:" + port, r.error());
    assertEquals("", r.body());
    HostError e = assertThrows(HostError.class, r::json);
    assertTrue(e.getMessage().contains("got no response"), e.getMessage());
  }

  @Test
  void aSlowAnswerTimesOutAsStatusZero() {
    long t0 = System.nanoTime();
    HttpResult r = http.get(svc.url() + "/api/slow?ms=5000", Map.of(), Duration.ofMillis(200), ctx);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, r.status());
    assertEquals("no response within 200ms", r.error());
    assertTrue(ms >= 200 && ms < 2000, "gave up after " + ms + " ms");
  }

  @Test
  void anInterruptedProbeStopsAtOnceAndAbortsTheExchange() throws Exception {
    try (ServerSocket stall = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread prober = new Thread(() -> {
        try {
          http.get("http://127.0.0.1:" + stall.getLocalPort() + "/", Map.of(), Duration.ofSeconds(30), ctx);
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
      prober.start();
      stall.setSoTimeout(5000);
      try (Socket accepted = stall.accept()) {
        accepted.setSoTimeout(5000);
        InputStream in = accepted.getInputStream();
        in.read(); // the request has arrived; never answer it
        long t0 = System.nanoTime();
        prober.interrupt();
        prober.join(5000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(prober.isAlive(), "the probe is still waiting");
        assertTrue(thrown.get() instanceof Interrupted, "threw " + thrown.get());
        assertTrue(ms < 1000, "stopped after " + ms + " ms");
        // The exchange was aborted: the server sees the connection close.
        byte[] rest = new byte[8192];
        int n;
        do {
          n = in.read(rest);
        } while (n > 0);
        assertEquals(-1, n);
      }
    }
  }

  @Test
  void aCancelledRunStopsAProbeThroughItsContext() {
    AtomicBoolean cancelled = new AtomicBoolean();
    CallContext cancellable = new CallContext() {
      public Position at() { return Position.NONE; }
      public void sleep(Duration d) {}
      public void checkInterrupted() { if (cancelled.get()) throw new Interrupted("step timed out"); }
      public void log(String message) {}
      public void own(AutoCloseable resource, String description) {}
    };
    new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException ignored) {
        // set the flag anyway
      }
      cancelled.set(true);
    }).start();
    long t0 = System.nanoTime();
    Interrupted e = assertThrows(Interrupted.class,
        () -> http.get(svc.url() + "/api/slow?ms=10000", Map.of(), Duration.ofSeconds(30), cancellable));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("step timed out", e.getMessage());
    assertTrue(ms < 1000, "stopped after " + ms + " ms");
  }

  @Test
  void mistakesInTheCallAreErrors() {
    assertThrows(HostError.class, () -> http.get("ftp://127.0.0.1/", Map.of(), FIVE_S, ctx));
    assertThrows(HostError.class, () -> http.get("http://", Map.of(), FIVE_S, ctx));
    assertThrows(HostError.class, () -> http.get("http://127.0.0.1/a b", Map.of(), FIVE_S, ctx));
    assertThrows(HostError.class, () -> http.get(svc.healthUrl(), Map.of(), Duration.ZERO, ctx));
    assertThrows(HostError.class, () -> http.get(svc.healthUrl(), Map.of("Host", "x"), FIVE_S, ctx));
    assertThrows(HostError.class, () -> http.request(svc.healthUrl(), "GET /", Map.of(), "", FIVE_S, ctx));
    assertThrows(HostError.class, () -> http.request(svc.healthUrl(), "POST", Map.of(), 42L, FIVE_S, ctx));
  }

  @Test
  void aBodyThatIsNotJsonSaysSo() {
    HttpResult r = HttpResult.response("GET", "http://x/", 200, Duration.ofMillis(1), "<html>", Map.of());
    HostError e = assertThrows(HostError.class, r::json);
    assertEquals("the body of GET http://x/ is not JSON: \"<html>\"", e.getMessage());
    assertThrows(HostError.class, () -> HttpResult.response("GET", "http://x/", 200, Duration.ZERO, "{} trailing", Map.of()).json());
    assertEquals(List.of(1L, 2.5, "a", true), HttpResult.response("GET", "http://x/", 200, Duration.ZERO, "[1, 2.5, \"a\", true]", Map.of()).json());
  }

  // ------------------------------------------------------------ tcp

  @Test
  void tcpConnectsToAListeningPort() {
    TcpResult r = http.connect("127.0.0.1:" + svc.port(), Duration.ofSeconds(2), ctx);
    assertTrue(r.ok(), r.error());
    assertEquals("", r.error());
  }

  @Test
  void tcpReportsARefusedPort() {
    int port = svc.port();
    svc.stop();
    TcpResult r = http.connect("127.0.0.1:" + port, Duration.ofSeconds(2), ctx);
    assertFalse(r.ok());
    assertEquals("connection refused by 127.0.0.1:" + port, r.error());
  }

  @Test
  void tcpTimesOutAndCanBeInterrupted() throws Exception {
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      List<SocketChannel> filling = fillBacklog(full.getLocalPort());
      try {
        String address = "127.0.0.1:" + full.getLocalPort();
        TcpResult r = http.connect(address, Duration.ofMillis(300), ctx);
        assertFalse(r.ok());
        assertEquals("no connection within 300ms", r.error());

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread prober = new Thread(() -> {
          try {
            http.connect(address, Duration.ofSeconds(30), ctx);
          } catch (Throwable t) {
            thrown.set(t);
          }
        });
        prober.start();
        Thread.sleep(200);
        prober.interrupt();
        prober.join(2000);
        assertFalse(prober.isAlive());
        assertTrue(thrown.get() instanceof Interrupted, "threw " + thrown.get());
      } finally {
        for (SocketChannel c : filling) c.close();
      }
    }
  }

  /** Connects without accepting until the listener's queue is full, so that the next connect hangs. */
  private static List<SocketChannel> fillBacklog(int port) throws Exception {
    List<SocketChannel> open = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.connect(new InetSocketAddress("127.0.0.1", port));
      open.add(ch);
      Thread.sleep(50);
      if (!ch.finishConnect()) return open;
    }
    throw new AssertionError("the listen queue never filled up");
  }

  @Test
  void tcpAddressesAreChecked() {
    assertThrows(HostError.class, () -> http.connect("localhost", Duration.ofSeconds(1), ctx));
    assertThrows(HostError.class, () -> http.connect("127.0.0.1:0", Duration.ofSeconds(1), ctx));
    assertThrows(HostError.class, () -> http.connect("::1:80", Duration.ofSeconds(1), ctx));
    assertEquals(5432, HttpLibrary.parseAddress("[::1]:5432").getPort());
    assertEquals("db.internal", HttpLibrary.parseAddress("db.internal:5432").getHostString());
  }

  @Test
  void theClientStartsOnFirstUse() throws Exception {
    java.lang.reflect.Field f = HttpLibrary.class.getDeclaredField("client");
    f.setAccessible(true);
    HttpLibrary fresh = new HttpLibrary();
    assertEquals(null, f.get(fresh), "the constructor must not start the HTTP client");
    fresh.get(svc.healthUrl(), Map.of(), FIVE_S, ctx);
    assertNotNull(f.get(fresh));
  }
}
