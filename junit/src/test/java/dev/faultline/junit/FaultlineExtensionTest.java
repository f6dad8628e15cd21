package dev.faultline.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

/** Faults around a test's own code: a real echo server, the real TCP fault proxy, a real client. */
class FaultlineExtensionTest {
  @RegisterExtension
  static final FaultlineExtension FAULTLINE = FaultlineExtension.builder().standardLibrary().allow(Capability.NET).build();

  private ServerSocket echo;
  private Thread server;

  @BeforeEach
  void startEcho() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server = new Thread(() -> {
      while (!echo.isClosed()) {
        try (Socket s = echo.accept()) {
          s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException closed) {
          // The next accept fails too once the socket is closed; the loop ends.
        }
      }
    });
    server.setDaemon(true);
    server.start();
  }

  @AfterEach
  void stopEcho() throws IOException {
    echo.close();
  }

  private static long roundTripMillis(String address) throws IOException {
    String[] hp = address.split(":");
    try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1]))) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      long t0 = System.nanoTime();
      out.write("ping".getBytes());
      assertEquals("ping", new String(in.readNBytes(4)));
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }

  @Test
  void theBodyRunsUnderTheFaultAndTheFaultEndsWithIt() throws Exception {
    AtomicReference<String> address = new AtomicReference<>();
    FAULTLINE.during(Map.of("upstream", "127.0.0.1:" + echo.getLocalPort()), """
        let link = proxy(upstream: upstream)
        record address = link.address
        inject link.latency(150ms, direction: "downstream")
        """, recorded -> {
          address.set(recorded.get("address"));
          long ms = roundTripMillis(recorded.get("address"));
          assertTrue(ms >= 145, "round trip through a 150 ms link took " + ms + " ms");
        });
    // The proxy belonged to the step: it is gone, its port closed.
    assertThrows(ConnectException.class, () -> roundTripMillis(address.get()));
  }

  @Test
  void whatTheBodyThrowsComesBackUnchangedAfterTheReverts() {
    AtomicReference<String> address = new AtomicReference<>();
    AssertionError planted = new AssertionError("the service did not retry");
    AssertionError thrown = assertThrows(AssertionError.class, () -> FAULTLINE.during(Map.of("upstream", "127.0.0.1:" + echo.getLocalPort()), """
        let link = proxy(upstream: upstream)
        record address = link.address
        inject link.down()
        """, recorded -> {
          address.set(recorded.get("address"));
          throw planted;
        }));
    assertSame(planted, thrown);
    assertThrows(ConnectException.class, () -> roundTripMillis(address.get()));
  }

  @Test
  void aCheckedExceptionFromTheBodyComesBackToo() {
    IOException planted = new IOException("no route");
    IOException thrown = assertThrows(IOException.class, () -> FAULTLINE.during("log \"nothing injected\"", recorded -> {
      throw planted;
    }));
    assertSame(planted, thrown);
  }

  @Test
  void aStatementThatDoesNotCheckIsNamed() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> FAULTLINE.during("let x = lenn([1])", r -> {}));
    assertTrue(e.getMessage().contains("lenn") && e.getMessage().contains("len"), e.getMessage());
  }

  @Test
  void aStatementThatFailsFailsTheTestWithItsStep() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> FAULTLINE.during("expect 1 == 2, \"one is not two\"", r -> {}));
    assertTrue(e.getMessage().contains("one is not two") && e.getMessage().contains("during"), e.getMessage());
  }
}
