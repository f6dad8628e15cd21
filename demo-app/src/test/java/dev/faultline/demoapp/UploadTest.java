package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads through the API to the real object store behind a proxy that answers 503 on demand:
 * retries with backoff, content integrity, a clear 503 when the attempts are spent, and what
 * --no-retry breaks. No database is needed: the API starts without one.
 */
class UploadTest {
  @TempDir Path dir;
  private ObjectStore store;
  private FlakyStore flaky;
  private DemoApi api;
  private Client client;

  @BeforeEach
  void start() throws Exception {
    store = ObjectStore.start(0, dir.resolve("objects"));
    flaky = new FlakyStore(store.port());
  }

  private void startApi(String... extra) throws Exception {
    String[] base = {"--port", "0", "--db", "127.0.0.1:1", "--store", flaky.url(), "--retry-initial-ms", "20", "--retry-max-ms", "200"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    api = DemoApi.start(ApiConfig.parse(args));
    client = new Client(api.port());
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    flaky.close();
    store.close();
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void uploadsAreRetriedWithBackoffThroughInjected5xxAndStoredIntact() throws Exception {
    startApi();
    flaky.failNext.set(3);
    byte[] data = randomBytes(64 * 1024, 1);
    Client.Answer put = client.put("/api/uploads/photo-1.jpg", data);
    assertEquals(201, put.status(), put.toString());
    assertEquals(4, put.json().get("attempts").asInt());
    assertEquals(UploadClient.md5(data), put.json().get("etag").asText());

    JsonNode u = client.stats().get("uploads");
    assertEquals(4, u.get("attempts").asInt());
    assertEquals(3, u.get("retries").asInt());
    assertEquals(0, u.get("failures").asInt());
    assertEquals(1, u.get("succeeded").asInt());
    // Exponential backoff with ±50 % jitter: 20, 40, 80 ms nominal.
    JsonNode delays = u.get("delays_ms");
    assertEquals(3, delays.size(), delays.toString());
    long[] nominal = {20, 40, 80};
    for (int i = 0; i < 3; i++) {
      long d = delays.get(i).asLong();
      assertTrue(d >= nominal[i] / 2 && d <= nominal[i] * 3 / 2 + 1, "delay " + i + " = " + d + " ms, nominal " + nominal[i]);
    }

    // Content integrity: the object on disk and read back through the API is what was sent.
    assertArrayEquals(data, Files.readAllBytes(dir.resolve("objects/photo-1.jpg")));
    Client.Answer get = client.get("/api/uploads/photo-1.jpg");
    assertEquals(200, get.status());
    assertArrayEquals(data, get.bytes());
    assertEquals(2, client.stats().get("requests").get("by_status").size(), "only 201 and 200 were answered");
    String metrics = client.get("/metrics").text();
    assertTrue(metrics.contains("demo_uploads_retries 3\n") && metrics.contains("demo_requests_by_status{status=\"201\"} 1\n")
        && metrics.contains("demo_db_breaker_state{state=\"CLOSED\"} 1\n"), metrics);

    // A reset starts a new measurement.
    assertEquals(200, client.post("/stats/reset", "").status());
    JsonNode after = client.stats();
    assertEquals(0, after.get("uploads").get("retries").asInt());
    assertEquals(0, after.get("requests").get("total").asInt());
  }

  @Test
  void whenTheAttemptsAreSpentTheClientGetsA503WithAMessage() throws Exception {
    startApi("--retry-attempts", "3");
    flaky.failAll = true;
    Client.Answer put = client.put("/api/uploads/doc.pdf", randomBytes(1000, 2));
    assertEquals(503, put.status());
    assertEquals("application/json", put.header("Content-Type"));
    String error = put.json().get("error").asText();
    assertTrue(error.contains("object store unavailable") && error.contains("after 3 attempts") && error.contains("503"), error);
    JsonNode u = client.stats().get("uploads");
    assertEquals(3, u.get("attempts").asInt());
    assertEquals(2, u.get("retries").asInt());
    assertEquals(1, u.get("failures").asInt());
    assertFalse(Files.exists(dir.resolve("objects/doc.pdf")));

    // Recovery once the store answers again.
    flaky.failAll = false;
    assertEquals(201, client.put("/api/uploads/doc.pdf", randomBytes(1000, 2)).status());
  }

  @Test
  void aDownloadDamagedInTransitIsFetchedAgain() throws Exception {
    startApi();
    byte[] data = randomBytes(5000, 3);
    assertEquals(201, client.put("/api/uploads/blob", data).status());
    flaky.corruptNext.set(1);
    Client.Answer get = client.get("/api/uploads/blob");
    assertEquals(200, get.status());
    assertArrayEquals(data, get.bytes());
    assertEquals(1, client.stats().get("uploads").get("download_retries").asInt());
    assertEquals(404, client.get("/api/uploads/nothing-here").status());
  }

  @Test
  void noRetryMakesAnInjected5xxFailTheUpload() throws Exception {
    startApi("--no-retry");
    flaky.failNext.set(1);
    Client.Answer put = client.put("/api/uploads/once", randomBytes(100, 4));
    assertEquals(503, put.status(), put.toString());
    assertTrue(put.json().get("error").asText().contains("after 1 attempt:"), put.toString());
    JsonNode s = client.stats();
    assertEquals(0, s.get("uploads").get("retries").asInt());
    assertFalse(s.get("switches").get("retry").asBoolean());
  }

  @Test
  void withoutAStoreUploadsSayHowToConfigureOne() throws Exception {
    api = DemoApi.start(ApiConfig.parse("--port", "0", "--db", "127.0.0.1:1"));
    client = new Client(api.port());
    Client.Answer put = client.put("/api/uploads/x", new byte[1]);
    assertEquals(503, put.status());
    assertTrue(put.json().get("error").asText().contains("--store"), put.toString());
    assertEquals(400, client.put("/api/uploads/..x", new byte[1]).status());
  }
}
