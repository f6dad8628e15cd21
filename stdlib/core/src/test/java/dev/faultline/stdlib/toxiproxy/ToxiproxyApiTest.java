package dev.faultline.stdlib.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.FaultLifecycle;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API's JSON shapes, status codes and error bodies, and its faults in the lifecycle. */
class ToxiproxyApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final FaultLifecycle lifecycle = new FaultLifecycle(new FaultLifecycle.Observer() {});
  private ToxiproxyServer server;
  private ServerSocket upstream;

  @BeforeEach
  void start() throws Exception {
    upstream = new ServerSocket(0);
    server = ToxiproxyServer.start(new InetSocketAddress("127.0.0.1", 0), lifecycle);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    upstream.close();
    lifecycle.close();
  }

  private record Reply(int status, JsonNode body) {}

  private Reply call(String method, String path, String body) throws Exception {
    HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).method(method, p).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  private String up() {
    return "127.0.0.1:" + upstream.getLocalPort();
  }

  @Test
  void proxyAndToxicShapesAndStatusCodes() throws Exception {
    Reply created = call("POST", "/proxies", "{\"name\":\"db\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + up() + "\"}");
    assertEquals(201, created.status());
    assertEquals("db", created.body().get("name").asText());
    assertTrue(created.body().get("listen").asText().matches("127\\.0\\.0\\.1:\\d+"));
    assertTrue(created.body().get("enabled").asBoolean());
    assertEquals(0, created.body().get("toxics").size());

    Reply dup = call("POST", "/proxies", "{\"name\":\"db\",\"upstream\":\"" + up() + "\"}");
    assertEquals(409, dup.status());
    assertEquals("proxy already exists", dup.body().get("error").asText());
    assertEquals(409, dup.body().get("status").asInt());

    assertEquals(404, call("GET", "/proxies/nope", null).status());
    assertEquals("proxy not found", call("GET", "/proxies/nope", null).body().get("error").asText());
    assertEquals(400, call("POST", "/proxies", "{\"name\":\"x\"}").status());
    assertEquals(400, call("POST", "/proxies", "not json").status());

    Reply toxic = call("POST", "/proxies/db/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":100,\"jitter\":5}}");
    assertEquals(200, toxic.status());
    assertEquals("latency_downstream", toxic.body().get("name").asText());
    assertEquals("downstream", toxic.body().get("stream").asText());
    assertEquals(1.0, toxic.body().get("toxicity").asDouble());
    assertEquals(100, toxic.body().get("attributes").get("latency").asInt());
    assertEquals(1, lifecycle.active().size());
    ActiveFault f = lifecycle.active().get(0);
    assertTrue(f.fault().describe().contains("latency 100ms"), f.fault().describe());

    assertEquals(409, call("POST", "/proxies/db/toxics", "{\"type\":\"latency\"}").status());
    assertEquals(400, call("POST", "/proxies/db/toxics", "{\"type\":\"nonsense\",\"name\":\"n\"}").status());
    assertEquals(400, call("POST", "/proxies/db/toxics", "{\"type\":\"latency\",\"name\":\"n\",\"toxicity\":2}").status());
    assertEquals(404, call("GET", "/proxies/db/toxics/nope", null).status());
    assertEquals("toxic not found", call("GET", "/proxies/db/toxics/nope", null).body().get("error").asText());

    Reply updated = call("POST", "/proxies/db/toxics/latency_downstream", "{\"attributes\":{\"latency\":250},\"toxicity\":0.5}");
    assertEquals(200, updated.status());
    assertEquals(250, updated.body().get("attributes").get("latency").asInt());
    assertEquals(5, updated.body().get("attributes").get("jitter").asInt());
    assertEquals(0.5, updated.body().get("toxicity").asDouble());
    assertEquals(1, lifecycle.active().size());
    assertTrue(lifecycle.active().get(0).fault().describe().contains("latency 250ms"));

    assertEquals(1, call("GET", "/proxies/db/toxics", null).body().size());
    assertEquals(1, call("GET", "/proxies", null).body().get("db").get("toxics").size());
    assertEquals(204, call("DELETE", "/proxies/db/toxics/latency_downstream", null).status());
    assertEquals(0, lifecycle.active().size());

    Reply disabled = call("POST", "/proxies/db", "{\"enabled\":false}");
    assertEquals(false, disabled.body().get("enabled").asBoolean());
    assertEquals(1, lifecycle.active().size(), "a disabled proxy is a down fault");
    assertEquals(204, call("POST", "/reset", null).status());
    assertEquals(0, lifecycle.active().size());
    assertTrue(call("GET", "/proxies/db", null).body().get("enabled").asBoolean());

    assertEquals(204, call("DELETE", "/proxies/db", null).status());
    assertEquals(404, call("DELETE", "/proxies/db", null).status());
    assertTrue(call("GET", "/version", null).body().get("version").asText().startsWith("2."));
  }

  @Test
  void populateCreatesProxiesAndStopRevertsEverything() throws Exception {
    Reply r = call("POST", "/populate", "[{\"name\":\"a\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + up() + "\"},"
        + "{\"name\":\"b\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + up() + "\",\"enabled\":false}]");
    assertEquals(201, r.status());
    assertEquals(2, r.body().get("proxies").size());
    assertEquals(2, call("GET", "/proxies", null).body().size());
    call("POST", "/proxies/a/toxics", "{\"type\":\"bandwidth\",\"stream\":\"upstream\",\"attributes\":{\"rate\":10}}");
    assertEquals(2, lifecycle.active().size());
    assertEquals(0, server.stop());
    assertEquals(0, lifecycle.active().size());
    assertEquals(0, lifecycle.failedReverts().size());
  }
}
