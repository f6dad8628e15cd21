package dev.faultline.stdlib.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo service's endpoints and lifecycle, seen through a plain JDK HTTP client. */
class DemoServiceTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<DemoService> started = new ArrayList<>();
  private DemoService svc;

  @BeforeEach
  void start() {
    svc = track(DemoService.start("test", 0));
  }

  @AfterEach
  void stopAll() {
    started.forEach(DemoService::stop);
  }

  private DemoService track(DemoService s) {
    started.add(s);
    return s;
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(svc.url() + path)).timeout(Duration.ofSeconds(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  @Test
  void describesItself() {
    assertTrue(svc.url().matches("http://127\\.0\\.0\\.1:\\d+"), svc.url());
    assertEquals(svc.url() + "/health", svc.healthUrl());
    assertEquals("test", svc.name());
    assertTrue(svc.port() > 0);
    assertTrue(svc.running());
  }

  @Test
  void healthSaysUp() throws Exception {
    HttpResponse<String> r = get("/health");
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"up\"}", r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    assertEquals("faultline-demo/test", r.headers().firstValue("server").orElse(""));
  }

  @Test
  void itemsAreListedAndAdded() throws Exception {
    HttpResponse<String> list = get("/api/items");
    assertEquals(200, list.statusCode());
    assertEquals("[{\"id\":1,\"name\":\"anvil\"},{\"id\":2,\"name\":\"bellows\"}]", list.body());

    HttpResponse<String> created = send("POST", "/api/items", "{\"name\":\"crucible\",\"id\":99}");
    assertEquals(201, created.statusCode());
    assertEquals("{\"id\":3,\"name\":\"crucible\"}", created.body(), "the service assigns the id");

    HttpResponse<String> text = send("POST", "/api/items", "plain words");
    assertEquals(201, text.statusCode());
    assertEquals("{\"id\":4,\"text\":\"plain words\"}", text.body());

    assertTrue(get("/api/items").body().contains("{\"id\":3,\"name\":\"crucible\"}"));
  }

  @Test
  void slowWaitsTheGivenTime() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = get("/api/slow?ms=300");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, r.statusCode());
    assertEquals("{\"slept_ms\":300}", r.body());
    assertTrue(ms >= 300, "answered after " + ms + " ms");
    assertEquals(400, get("/api/slow?ms=soon").statusCode());
    assertEquals(400, get("/api/slow?ms=9999999").statusCode());
  }

  @Test
  void statusAnswersTheAskedCode() throws Exception {
    for (int code : new int[] {200, 204, 418, 500, 503}) {
      assertEquals(code, get("/api/status/" + code).statusCode());
    }
    assertEquals(400, get("/api/status/99").statusCode());
    assertEquals(400, get("/api/status/teapot").statusCode());
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertEquals(404, get("/nowhere").statusCode());
    HttpResponse<String> r = send("DELETE", "/health", null);
    assertEquals(405, r.statusCode());
    assertEquals("GET", r.headers().firstValue("allow").orElse(""));
  }

  @Test
  void countsRequests() throws Exception {
    for (int i = 0; i < 3; i++) get("/health");
    get("/nowhere");
    assertEquals(4, svc.requests());
  }

  @Test
  void outageAnswersItsStatusUntilReverted() throws Exception {
    Fault first = svc.outage(503);
    Fault second = svc.outage(500);
    CallContext ctx = CallContext.detached();
    first.inject(ctx);
    HttpResponse<String> down = get("/health");
    assertEquals(503, down.statusCode());
    assertEquals("{\"status\":\"down\"}", down.body());
    assertEquals(503, get("/api/items").statusCode());

    second.inject(ctx);
    second.inject(ctx); // inject twice: still one outage
    assertEquals(500, get("/health").statusCode(), "the newest outage decides");
    first.revert(ctx);
    assertEquals(500, get("/health").statusCode(), "reverting one outage leaves the other");
    second.revert(ctx);
    second.revert(ctx); // revert twice: harmless
    assertEquals(200, get("/health").statusCode());
    assertThrows(HostError.class, () -> svc.outage(42));
  }

  @Test
  void stopFreesThePort() throws Exception {
    int port = svc.port();
    get("/health"); // leaves a kept-alive connection in the client's pool
    svc.stop();
    assertFalse(svc.running());
    assertThrows(ConnectException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      }
    });
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    }
    svc.stop(); // twice: harmless
  }

  @Test
  void aStoppedPortCanBeServedAgain() throws Exception {
    int port = svc.port();
    svc.stop();
    svc = track(DemoService.start("again", port));
    assertEquals(port, svc.port());
    assertEquals(200, get("/health").statusCode());
  }

  @Test
  void stopEndsSlowRequests() throws Exception {
    Thread caller = new Thread(() -> {
      try {
        get("/api/slow?ms=30000");
      } catch (Exception expected) {
        // the connection is closed by stop()
      }
    });
    caller.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (svc.requests() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
    long t0 = System.nanoTime();
    svc.stop();
    caller.join(5000);
    assertFalse(caller.isAlive(), "the slow request is still open");
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos());
  }

  @Test
  void aTakenPortIsReportedAsSuch() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      HostError e = assertThrows(HostError.class, () -> track(DemoService.start("clash", taken.getLocalPort())));
      assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is in use", e.getMessage());
      assertTrue(e.help().contains("port: 0"));
    }
  }

  @Test
  void theLibraryValidatesItsArguments() {
    DemoLibrary lib = new DemoLibrary();
    assertThrows(HostError.class, () -> lib.service(70000, "x", CallContext.detached()));
    assertThrows(HostError.class, () -> lib.service(0, "two words", CallContext.detached()));
  }
}
