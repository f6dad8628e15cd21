package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load balancer in front of two real HTTP backends on 127.0.0.1: requests alternate; when one
 * backend is gone, no request fails and it is taken out of rotation, then back once it answers
 * again; a POST that reached a backend is never sent twice; with --no-failover a request that meets
 * the dead backend fails with 502.
 */
class LoadBalancerTest {
  private final List<HttpServer> backends = new ArrayList<>();
  private final List<AtomicInteger> posts = new ArrayList<>();
  private LoadBalancer lb;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stop() {
    if (lb != null) lb.close();
    backends.forEach(b -> b.stop(0));
  }

  private URI backend(String name) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    AtomicInteger postCount = new AtomicInteger();
    s.createContext("/", x -> {
      if (x.getRequestMethod().equals("POST")) postCount.incrementAndGet();
      byte[] body = (name + " " + x.getRequestURI()).getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    s.start();
    backends.add(s);
    posts.add(postCount);
    return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.port() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsAlternateAndADeadBackendCostsNoRequest() throws Exception {
    lb = LoadBalancer.start(0, List.of(backend("a"), backend("b")), "/health", true);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) seen.add(get("/x?i=" + i).body().split(" ")[0]);
    assertTrue(seen.contains("a") && seen.contains("b"), seen.toString());
    assertTrue(get("/x?i=7").body().endsWith(" /x?i=7"), "the path and the query pass through");

    backends.get(0).stop(0);
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = get("/y");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().startsWith("b "), r.body());
    }
    String stats = get("/lb/stats").body();
    assertTrue(stats.contains("\"in_rotation\":1"), stats);
  }

  @Test
  void aPostIsNeverSentTwice() throws Exception {
    lb = LoadBalancer.start(0, List.of(backend("a"), backend("b")), "/health", true);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.port() + "/items"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
    }
    assertEquals(10, posts.get(0).get() + posts.get(1).get());
  }

  @Test
  void withoutFailoverTheDeadBackendsRequestsFail() throws Exception {
    lb = LoadBalancer.start(0, List.of(backend("a"), backend("b")), "/health", false);
    backends.get(0).stop(0);
    int failed = 0;
    for (int i = 0; i < 10; i++) if (get("/z").statusCode() == 502) failed++;
    assertEquals(5, failed, "every other request goes to the dead backend and fails");
  }
}
