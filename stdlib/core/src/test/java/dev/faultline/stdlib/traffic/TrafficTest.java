package dev.faultline.stdlib.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.host.CallContext;
import dev.faultline.measure.TrafficFigures;
import dev.faultline.value.Rate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic generator against a real server that misbehaves in known ways: its figures match the
 * known truth within the stated margins.
 */
class TrafficTest {
  private final MisbehavingServer server;
  private final TrafficLibrary lib = new TrafficLibrary();

  TrafficTest() throws Exception {
    server = new MisbehavingServer();
  }

  @AfterEach
  void close() {
    server.close();
  }

  private Traffic start(String path, double perSecond, Duration runFor, Duration timeout) {
    return lib.traffic(server.url(path), new Rate(perSecond), runFor, "GET", Map.of(), "", List.of(), timeout, 10_000, null,
        CallContext.detached());
  }

  @Test
  void sendsExactlyTheScheduleAndCountsEveryRequest() {
    Traffic t = start("/ok", 100, Duration.ofSeconds(2), Duration.ofSeconds(2));
    t.waitForEnd(CallContext.detached());
    TrafficFigures f = t.figures();
    // The schedule is due every 10 ms from start for 2 s: exactly 200 requests.
    assertEquals(200, f.requests(), f.toString());
    assertEquals(200, f.completed());
    assertEquals(0, f.errors());
    assertEquals(0, f.inFlight());
    assertEquals(201, server.served.get(), "the schedule and one uncounted warm-up request");
    assertEquals(100.0, f.availability().points());
    assertFalse(t.isRunning());
  }

  @Test
  void errorRateMatchesTheServersKnownRate() {
    Traffic t = start("/flaky?every=5", 200, Duration.ofSeconds(2), Duration.ofSeconds(2));
    t.waitForEnd(CallContext.detached());
    TrafficFigures f = t.figures();
    // The server fails every 5th request it sees (the uncounted warm-up request is its first): 20%
    // within one request, and its own count is the truth.
    assertEquals(server.flakyFailed.get(), f.errors(), 1, f.toString());
    assertEquals(20.0, f.errorRate().points(), 0.5, f.toString());
    assertEquals(100.0, f.availability().points(), "every second had successes: " + f);
    assertTrue(t.lastError().contains("500"), t.lastError());
  }

  @Test
  void latencyOfASlowServerIsItsDelay() {
    Traffic t = start("/slow?ms=100", 50, Duration.ofSeconds(2), Duration.ofSeconds(2));
    t.waitForEnd(CallContext.detached());
    TrafficFigures f = t.figures();
    assertEquals(100, f.requests());
    assertEquals(0, f.errors(), f.toString());
    // 100 ms of server delay; the margin covers a shared two-core machine.
    assertTrue(f.p50().compareTo(Duration.ofMillis(100)) >= 0, f.toString());
    assertTrue(f.p50().compareTo(Duration.ofMillis(180)) < 0, f.toString());
    assertTrue(f.max().compareTo(Duration.ofMillis(100)) >= 0, f.toString());
  }

  @Test
  void aStalledServerShowsLatencyNotMissingSamples() throws Exception {
    server.stall();
    Traffic t = start("/stall", 100, Duration.ofSeconds(3), Duration.ofSeconds(5));
    Thread.sleep(1500);
    // Stalled for 1.5 s: the requests due so far are all in flight, and the oldest is 1.5 s old.
    TrafficFigures live = t.recent(Duration.ofSeconds(10));
    assertTrue(live.requests() >= 140 && live.requests() <= 160, live.toString());
    assertTrue(live.inFlight() >= live.requests() - 5, live.toString());
    assertTrue(live.max().compareTo(Duration.ofMillis(1300)) >= 0, live.toString());
    assertTrue(live.p95().compareTo(Duration.ofMillis(1200)) >= 0, live.toString());
    server.release();
    t.waitForEnd(CallContext.detached());
    TrafficFigures f = t.figures();
    assertEquals(300, f.requests(), f.toString());
    assertEquals(300, f.completed(), f.toString());
    assertEquals(0, f.errors(), f.toString());
    // The first request waited out the whole stall: about 1.5 s, measured from its due time.
    assertTrue(f.max().compareTo(Duration.ofMillis(1400)) >= 0, f.toString());
  }

  @Test
  void aDeadTargetIsErrorsAndNoAvailability() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Traffic t = lib.traffic("http://127.0.0.1:" + port + "/", new Rate(50), Duration.ofSeconds(1), "GET", Map.of(), "", List.of(),
        Duration.ofSeconds(1), 10_000, "dead", CallContext.detached());
    t.waitForEnd(CallContext.detached());
    TrafficFigures f = t.figures();
    assertEquals(50, f.requests());
    assertEquals(50, f.errors(), f.toString());
    assertEquals(0.0, f.availability().points());
    assertTrue(t.lastError().contains("connect"), t.lastError());
  }

  @Test
  void aRunningTrafficIsListedForTheReplAndReportedWhenItEnds() {
    java.util.List<dev.faultline.report.EventType> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.faultline.measure.Measurements m = new dev.faultline.measure.Measurements((type, message, at, data) -> events.add(type));
    CallContext detached = CallContext.detached();
    CallContext ctx = new CallContext() {
      public dev.faultline.source.Position at() { return detached.at(); }
      public void sleep(Duration d) { detached.sleep(d); }
      public void checkInterrupted() { detached.checkInterrupted(); }
      public void log(String message) { }
      public void own(AutoCloseable resource, String description) { }
      public dev.faultline.measure.Measurements measurements() { return m; }
    };
    Traffic t = lib.traffic(server.url("/ok"), new Rate(50), Duration.ofMillis(600), "GET", Map.of(), "", List.of(),
        Duration.ofSeconds(2), 10_000, "listed", ctx);
    assertEquals(List.of(t), m.liveTraffic());
    dev.faultline.measure.LiveTraffic live = m.liveTraffic().get(0);
    assertEquals("listed", live.name());
    assertEquals(50.0, live.rate().perSecond());
    // The status line's segment (the REPL and faultline run's progress line show it).
    assertTrue(live.status().matches("traffic \"listed\" 50/s · \\d+(\\.\\d+)?% errors · p95 .+"), live.status());
    t.waitForEnd(ctx);
    assertEquals(List.of(), m.liveTraffic());
    assertEquals(30, live.recent(Duration.ofSeconds(10)).requests());
    assertEquals(List.of(dev.faultline.report.EventType.TRAFFIC_STARTED, dev.faultline.report.EventType.TRAFFIC_STOPPED), events);
  }

  @Test
  void stopEndsTheScheduleAndKeepsTheFigures() throws Exception {
    Traffic t = start("/ok", 100, null, Duration.ofSeconds(2));
    Thread.sleep(500);
    t.close();
    long requests = t.figures().requests();
    assertTrue(requests >= 40 && requests <= 60, "requests " + requests);
    Thread.sleep(200);
    assertEquals(requests, t.figures().requests());
    assertEquals(requests + 1, server.served.get(), "the schedule and one uncounted warm-up request");
  }
}
