package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.fault.Capability;
import dev.faultline.junit.FaultlineExtension;
import dev.faultline.junit.FaultlinePlaybook;
import dev.faultline.run.ScenarioResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chaos tests of a shop, the way a team writes them: a playbook as tests, and faults around plain Java code. */
class ShopChaosTest {
  @RegisterExtension
  static final FaultlineExtension FAULTLINE = FaultlineExtension.builder().standardLibrary().allow(Capability.NET).build();

  /** One JUnit test per scenario of the playbook. */
  @FaultlinePlaybook(value = "src/test/resources/shop-chaos.fl", allow = "net")
  void shopChaos(ScenarioResult scenario) {
    assertEquals("PASSED", scenario.status().name());
  }

  /** Our own client code, under a fault injected around it and reverted after it. */
  @Test
  void clientTimesOutOnAStalledLink() throws Exception {
    HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/", ex -> {
      ex.sendResponseHeaders(200, 2);
      ex.getResponseBody().write("ok".getBytes());
      ex.close();
    });
    backend.start();
    try {
      FAULTLINE.during(Map.of("backend", "127.0.0.1:" + backend.getAddress().getPort()), """
          let link = proxy(upstream: backend)
          record address = link.address
          inject link.timeout()
          """, recorded -> {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + recorded.get("address") + "/"))
                .timeout(Duration.ofMillis(300)).build();
            long t0 = System.nanoTime();
            boolean timedOut = false;
            try {
              client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException expected) {
              timedOut = true;
            }
            assertTrue(timedOut, "the request should time out on a stalled link");
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the client's timeout should hold");
          });
    } finally {
      backend.stop(0);
    }
  }
}
