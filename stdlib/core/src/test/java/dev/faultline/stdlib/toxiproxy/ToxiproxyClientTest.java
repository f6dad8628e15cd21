package dev.faultline.stdlib.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Toxiproxy-compatible API driven by the real Toxiproxy Java client, each toxic observed from a
 * real client socket through a proxy to a real TCP echo server.
 */
class ToxiproxyClientTest {
  private final List<AutoCloseable> open = new ArrayList<>();
  private ServerSocket echo;
  private ToxiproxyServer server;
  private ToxiproxyClient client;
  private Proxy proxy;
  private int port;

  @BeforeEach
  void start() throws Exception {
    echo = track(new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1")));
    Thread t = new Thread(this::serveEcho, "echo");
    t.setDaemon(true);
    t.start();
    server = ToxiproxyServer.start(new InetSocketAddress("127.0.0.1", 0), null);
    client = new ToxiproxyClient("127.0.0.1", server.port());
    proxy = client.createProxy("echo", "127.0.0.1:0", "127.0.0.1:" + echo.getLocalPort());
    port = Integer.parseInt(proxy.getListen().substring(proxy.getListen().lastIndexOf(':') + 1));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  private void serveEcho() {
    while (!echo.isClosed()) {
      try {
        Socket c = echo.accept();
        track(c);
        Thread t = new Thread(() -> {
          try (c) {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
          } catch (IOException ignored) {
            // The client went away.
          }
        });
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private synchronized <T extends AutoCloseable> T track(T t) {
    open.add(t);
    return t;
  }

  private Socket connect() throws IOException {
    Socket s = track(new Socket());
    s.setTcpNoDelay(true);
    s.setSoTimeout(5000);
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    return s;
  }

  private static double roundTrip(Socket s, int size) throws IOException {
    long t0 = System.nanoTime();
    s.getOutputStream().write(new byte[size]);
    assertEquals(size, s.getInputStream().readNBytes(size).length);
    return (System.nanoTime() - t0) / 1e6;
  }

  @Test
  void proxiesAreListedFetchedAndDeleted() throws Exception {
    assertEquals(1, client.getProxies().size());
    Proxy p = client.getProxy("echo");
    assertEquals("127.0.0.1:" + echo.getLocalPort(), p.getUpstream());
    assertTrue(p.isEnabled());
    assertTrue(roundTrip(connect(), 10) < 100);
    IOException dup = assertThrows(IOException.class, () -> client.createProxy("echo", "127.0.0.1:0", "127.0.0.1:1"));
    assertTrue(dup.getMessage().contains("409"), dup.getMessage());
    p.delete();
    assertNull(client.getProxyOrNull("echo"));
    assertThrows(ConnectException.class, this::connect);
    assertFalse(client.version().isEmpty());
  }

  @Test
  void latencyIsAddedAndRemoved() throws Exception {
    Socket s = connect();
    assertTrue(roundTrip(s, 10) < 100);
    Latency l = proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
    double ms = roundTrip(s, 10);
    assertTrue(ms > 290 && ms < 500, "round trip " + ms);
    assertEquals(1, proxy.toxics().getAll().size());
    l.remove();
    assertTrue(roundTrip(s, 10) < 100);
    assertEquals(0, proxy.toxics().getAll().size());
  }

  @Test
  void toxicUpdateChangesTheFaultLive() throws Exception {
    Socket s = connect();
    Latency l = proxy.toxics().latency("lat", ToxicDirection.UPSTREAM, 100);
    l.setLatency(400);
    double ms = roundTrip(s, 10);
    assertTrue(ms > 390 && ms < 600, "round trip " + ms);
    assertEquals(400, proxy.toxics().get("lat", Latency.class).getLatency());
  }

  @Test
  void bandwidthLimitsThroughput() throws Exception {
    Socket s = connect();
    proxy.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 100); // KB/s
    long t0 = System.nanoTime();
    s.getOutputStream().write(new byte[50_000]);
    assertEquals(50_000, s.getInputStream().readNBytes(50_000).length);
    double ms = (System.nanoTime() - t0) / 1e6;
    assertTrue(ms > 400 && ms < 900, "50 KB at 100 KB/s took " + ms + " ms");
    proxy.toxics().get("bw").remove();
    t0 = System.nanoTime();
    s.getOutputStream().write(new byte[50_000]);
    s.getInputStream().readNBytes(50_000);
    assertTrue((System.nanoTime() - t0) / 1e6 < 200);
  }

  @Test
  void slowCloseHoldsTheCloseBack() throws Exception {
    // An upstream that greets and hangs up at once; the proxy holds back that close from the client.
    ServerSocket greeter = track(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
    Thread t = new Thread(() -> {
      try (Socket c = greeter.accept()) {
        c.getOutputStream().write("hi".getBytes());
      } catch (IOException ignored) {
        // The test fails on its own side.
      }
    });
    t.setDaemon(true);
    t.start();
    Proxy p = client.createProxy("greeter", "127.0.0.1:0", "127.0.0.1:" + greeter.getLocalPort());
    p.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 400);
    Socket s = track(new Socket("127.0.0.1", Integer.parseInt(p.getListen().substring(p.getListen().lastIndexOf(':') + 1))));
    s.setSoTimeout(5000);
    long t0 = System.nanoTime();
    assertEquals("hi", new String(s.getInputStream().readNBytes(2)));
    assertEquals(-1, s.getInputStream().read());
    double ms = (System.nanoTime() - t0) / 1e6;
    assertTrue(ms > 350 && ms < 1200, "closed after " + ms + " ms");
  }

  @Test
  void timeoutStopsDataThenRemovingItLetsItFlow() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    proxy.toxics().timeout("to", ToxicDirection.DOWNSTREAM, 0);
    s.setSoTimeout(500);
    s.getOutputStream().write(new byte[10]);
    assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
    proxy.toxics().get("to").remove();
    s.setSoTimeout(5000);
    assertEquals(10, s.getInputStream().readNBytes(10).length);
  }

  @Test
  void resetPeerResetsTheClient() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    proxy.toxics().resetPeer("rp", ToxicDirection.DOWNSTREAM, 0);
    Thread.sleep(200);
    SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().read());
    assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
    proxy.toxics().get("rp").remove();
    assertTrue(roundTrip(connect(), 10) < 100);
  }

  @Test
  void slicerSplitsAndDelaysButKeepsTheBytes() throws Exception {
    Socket s = connect();
    proxy.toxics().slicer("sl", ToxicDirection.UPSTREAM, 10, 20_000); // 10-byte pieces, 20 ms (in µs) apart
    byte[] data = new byte[100];
    new Random(1).nextBytes(data);
    long t0 = System.nanoTime();
    s.getOutputStream().write(data);
    byte[] back = s.getInputStream().readNBytes(100);
    double ms = (System.nanoTime() - t0) / 1e6;
    assertArrayEquals(data, back);
    assertTrue(ms > 160 && ms < 500, "all pieces after " + ms);
  }

  @Test
  void limitDataClosesAfterTheLimit() throws Exception {
    Socket s = connect();
    proxy.toxics().limitData("ld", ToxicDirection.DOWNSTREAM, 100);
    s.getOutputStream().write(new byte[60]);
    assertEquals(60, s.getInputStream().readNBytes(60).length);
    s.getOutputStream().write(new byte[60]);
    assertEquals(40, s.getInputStream().readAllBytes().length);
  }

  @Test
  void disableRefusesConnectionsAndEnableRestoresThem() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    proxy.disable();
    assertFalse(client.getProxy("echo").isEnabled());
    assertEquals(-1, s.getInputStream().read());
    assertThrows(ConnectException.class, this::connect);
    proxy.enable();
    assertTrue(client.getProxy("echo").isEnabled());
    assertTrue(roundTrip(connect(), 10) < 100);
  }

  @Test
  void resetRemovesEveryToxicAndEnablesEveryProxy() throws Exception {
    proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
    proxy.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 10);
    proxy.disable();
    client.reset();
    Proxy p = client.getProxy("echo");
    assertTrue(p.isEnabled());
    assertEquals(0, p.toxics().getAll().size());
    assertTrue(roundTrip(connect(), 10) < 100);
  }

  @Test
  void stoppingTheServerRevertsEveryToxicAndClosesEveryProxy() throws Exception {
    Socket s = connect();
    proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 300);
    assertEquals(0, server.stop());
    assertEquals(-1, s.getInputStream().read());
    assertThrows(ConnectException.class, this::connect);
    assertThrows(IOException.class, () -> client.getProxies());
  }
}
