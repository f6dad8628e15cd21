package dev.faultline.stdlib.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Percent;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP proxy and each of its faults, observed from real sockets on 127.0.0.1. */
class TcpProxyTest {
  private static final dev.faultline.value.ByteSize DEFAULT_BUFFER = new dev.faultline.value.ByteSize(TcpProxy.PIPE_BOUND);

  private static final CallContext CTX = CallContext.detached();
  private final NetLibrary net = new NetLibrary();
  private final List<AutoCloseable> open = new ArrayList<>();
  private EchoServer echo;
  private ProxyLink link;

  @BeforeEach
  void start() throws Exception {
    echo = track(new EchoServer());
    link = track(net.proxy("127.0.0.1:0", echo.address(), "test", 42L, DEFAULT_BUFFER, CTX));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  private <T extends AutoCloseable> T track(T t) {
    open.add(t);
    return t;
  }

  private Socket connect() throws IOException {
    Socket s = track(new Socket());
    s.setTcpNoDelay(true);
    s.setSoTimeout(5000);
    s.connect(new InetSocketAddress("127.0.0.1", link.port()), 2000);
    return s;
  }

  private static byte[] readN(InputStream in, int n) throws IOException {
    byte[] out = in.readNBytes(n);
    assertEquals(n, out.length, "connection ended early");
    return out;
  }

  /** Milliseconds for one small message to go through the proxy and back. */
  private static double roundTrip(Socket s, int size) throws IOException {
    byte[] msg = new byte[size];
    long t0 = System.nanoTime();
    s.getOutputStream().write(msg);
    readN(s.getInputStream(), size);
    return (System.nanoTime() - t0) / 1e6;
  }

  private static Fault injected(Fault f) throws Exception {
    f.inject(CTX);
    return f;
  }

  @Test
  void relaysBytesUnchangedBothWays() throws Exception {
    Socket s = connect();
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data);
    Thread writer = new Thread(() -> {
      try {
        s.getOutputStream().write(data);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    byte[] back = readN(s.getInputStream(), data.length);
    writer.join(5000);
    assertArrayEquals(data, back);
    assertEquals(1, link.connections());
    assertTrue(link.address().matches("127\\.0\\.0\\.1:\\d+"), link.address());
    assertEquals(echo.address(), link.upstream());
  }

  @Test
  void latencyDelaysEachChunkAndRevertsLive() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    Fault f = injected(link.latency(Duration.ofMillis(100), Duration.ZERO, "downstream", new Percent(100)));
    assertEquals("net.latency", f.kind());
    assertTrue(f.describe().contains("latency 100ms"), f.describe());
    assertTrue(f.undoRecord().isEmpty());
    for (int i = 0; i < 5; i++) {
      double ms = roundTrip(s, 10);
      assertTrue(ms > 90 && ms < 140, "round trip " + ms + " ms with a 100ms downstream latency");
    }
    f.revert(CTX);
    Thread.sleep(20);
    double ms = roundTrip(s, 10);
    assertTrue(ms < 40, "round trip " + ms + " ms after revert, on the same connection");
  }

  @Test
  void latencyCountsFromArrivalAndDoesNotAccumulate() throws Exception {
    Socket s = connect();
    injected(link.latency(Duration.ofMillis(100), Duration.ZERO, "upstream", new Percent(100)));
    long t0 = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      s.getOutputStream().write(new byte[10]);
      Thread.sleep(5);
    }
    readN(s.getInputStream(), 200);
    double ms = (System.nanoTime() - t0) / 1e6;
    // 20 chunks over ~100 ms, each delayed 100 ms from its arrival: ~200 ms in all, not 20 × 100.
    assertTrue(ms < 400, "took " + ms + " ms");
  }

  @Test
  void stackedLatenciesAddUp() throws Exception {
    Socket s = connect();
    injected(link.latency(Duration.ofMillis(50), Duration.ZERO, "upstream", new Percent(100)));
    injected(link.latency(Duration.ofMillis(50), Duration.ZERO, "upstream", new Percent(100)));
    double ms = roundTrip(s, 10);
    assertTrue(ms > 90 && ms < 400, "round trip " + ms); // two 50 ms faults, not one; the upper bound allows a loaded machine
  }

  @Test
  void bandwidthLimitsThroughput() throws Exception {
    Socket s = connect();
    injected(link.bandwidth(new ByteSize(100_000), "downstream", new Percent(100)));
    byte[] data = new byte[50_000];
    long t0 = System.nanoTime();
    s.getOutputStream().write(data);
    readN(s.getInputStream(), data.length);
    double ms = (System.nanoTime() - t0) / 1e6;
    assertTrue(ms > 400 && ms < 800, "50 KB at 100 KB/s took " + ms + " ms");
  }

  @Test
  void timeoutStopsDataUntilRevertedThenItFlowsOnTheSameConnection() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    Fault f = injected(link.timeout(Duration.ZERO, "both", new Percent(100)));
    Thread.sleep(20);
    s.setSoTimeout(500);
    s.getOutputStream().write(new byte[10]);
    assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
    f.revert(CTX);
    s.setSoTimeout(5000);
    readN(s.getInputStream(), 10);
    assertTrue(roundTrip(s, 10) < 40);
  }

  @Test
  void timeoutWithAfterClosesTheConnection() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    injected(link.timeout(Duration.ofMillis(200), "both", new Percent(100)));
    long t0 = System.nanoTime();
    s.getOutputStream().write(new byte[10]);
    // Closed with the 10 unread bytes in the proxy's socket: the kernel may send a reset instead of a FIN.
    try {
      assertEquals(-1, s.getInputStream().read(), "data passed a blackhole");
    } catch (SocketException reset) {
      assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    assertTrue(ms > 150 && ms < 1000, "closed after " + ms + " ms");
  }

  @Test
  void resetPeerResetsTheClient() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    injected(link.resetPeer(Duration.ZERO, "both", new Percent(100)));
    // Read without writing: Linux reports a reset once, to the first call that meets it.
    Thread.sleep(200);
    SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().read());
    assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
  }

  @Test
  void slicerSplitsAndDelaysButKeepsTheBytes() throws Exception {
    Socket s = connect();
    injected(link.slicer(new ByteSize(10), Duration.ofMillis(20), "upstream", new Percent(100), new ByteSize(0)));
    byte[] data = new byte[100];
    new Random(1).nextBytes(data);
    long t0 = System.nanoTime();
    s.getOutputStream().write(data);
    // The first piece arrives at once, the tenth 9 × 20 ms later.
    byte[] first = s.getInputStream().readNBytes(10);
    double firstMs = (System.nanoTime() - t0) / 1e6;
    byte[] rest = readN(s.getInputStream(), 90);
    double ms = (System.nanoTime() - t0) / 1e6;
    assertTrue(firstMs < 60, "first piece after " + firstMs);
    assertTrue(ms > 160 && ms < 400, "all pieces after " + ms);
    byte[] all = new byte[100];
    System.arraycopy(first, 0, all, 0, 10);
    System.arraycopy(rest, 0, all, 10, 90);
    assertArrayEquals(data, all);
  }

  @Test
  void slicerVariationDrawsEachPieceSizeAroundTheAverage() throws Exception {
    Socket s = connect();
    injected(link.slicer(new ByteSize(100), Duration.ofMillis(25), "upstream", new Percent(100), new ByteSize(50)));
    byte[] data = new byte[1000];
    new Random(2).nextBytes(data);
    s.getOutputStream().write(data);
    // Pieces leave 25 ms apart, so each read of the echo returns one piece.
    java.util.List<Integer> sizes = new java.util.ArrayList<>();
    java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[2000];
    while (back.size() < data.length) {
      int n = s.getInputStream().read(buf);
      assertTrue(n > 0, "connection ended after " + back.size() + " bytes");
      back.write(buf, 0, n);
      sizes.add(n);
    }
    assertArrayEquals(data, back.toByteArray());
    assertTrue(sizes.size() >= 6, "pieces " + sizes);
    for (int i = 0; i < sizes.size() - 1; i++) {
      // A read may rarely join two pieces on a busy machine; a piece alone is 50 to 150 bytes.
      assertTrue(sizes.get(i) >= 50 && sizes.get(i) <= 300, "pieces " + sizes);
    }
    assertTrue(sizes.stream().distinct().count() >= 3, "sizes should vary: " + sizes);
  }

  @Test
  void slicerVariationMustBeSmallerThanTheSize() {
    HostError e = assertThrows(HostError.class, () -> link.slicer(new ByteSize(10), Duration.ofMillis(1), "both", new Percent(100), new ByteSize(10)));
    assertTrue(e.getMessage().contains("variation"), e.getMessage());
  }

  @Test
  void slowCloseHoldsTheCloseBack() throws Exception {
    // An upstream that greets and hangs up at once.
    ServerSocket greeter = track(new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1")));
    Thread t = new Thread(() -> {
      try (Socket c = greeter.accept()) {
        c.getOutputStream().write("hi".getBytes());
      } catch (IOException ignored) {
        // The test fails on its own side.
      }
    });
    t.setDaemon(true);
    t.start();
    ProxyLink slow = track(net.proxy("127.0.0.1:0", "127.0.0.1:" + greeter.getLocalPort(), "", 1L, DEFAULT_BUFFER, CTX));
    injected(slow.slowClose(Duration.ofMillis(300), "downstream", new Percent(100)));
    Socket s = track(new Socket("127.0.0.1", slow.port()));
    s.setSoTimeout(5000);
    long t0 = System.nanoTime();
    assertEquals("hi", new String(s.getInputStream().readNBytes(2)));
    assertEquals(-1, s.getInputStream().read());
    double ms = (System.nanoTime() - t0) / 1e6;
    assertTrue(ms > 250 && ms < 1000, "closed after " + ms + " ms");
  }

  @Test
  void limitDataClosesAfterTheLimit() throws Exception {
    Socket s = connect();
    injected(link.limitData(new ByteSize(100), "downstream", new Percent(100)));
    s.getOutputStream().write(new byte[60]);
    readN(s.getInputStream(), 60);
    s.getOutputStream().write(new byte[60]);
    byte[] rest = s.getInputStream().readAllBytes();
    assertEquals(40, rest.length);
  }

  @Test
  void downRefusesNewConnectionsAndCutsOpenOnesUntilReverted() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    Fault f = injected(link.down());
    assertEquals(-1, s.getInputStream().read());
    assertThrows(ConnectException.class, this::connect);
    f.revert(CTX);
    assertTrue(roundTrip(connect(), 10) < 100);
  }

  @Test
  void lossHoldsChunksBackWithRoughlyTheProbability() throws Exception {
    Socket s = connect();
    injected(link.loss(new Percent(30), "upstream", new Percent(100)));
    int delayed = 0;
    int n = 60;
    for (int i = 0; i < n; i++) {
      if (roundTrip(s, 10) > 150) delayed++;
    }
    // 30% of 60 is 18; the seed fixes the draws, the margin allows any seed.
    assertTrue(delayed >= 7 && delayed <= 30, delayed + " of " + n + " chunks delayed");
  }

  @Test
  void toxicityAffectsAShareOfConnections() throws Exception {
    injected(link.latency(Duration.ofMillis(100), Duration.ZERO, "upstream", new Percent(50)));
    int slow = 0;
    for (int i = 0; i < 20; i++) {
      Socket s = connect();
      if (roundTrip(s, 10) > 80) slow++;
      s.close();
    }
    assertTrue(slow >= 4 && slow <= 16, slow + " of 20 connections affected");
  }

  @Test
  void badArgumentsAreNamedAndFaultsDescribeThemselves() {
    dev.faultline.host.HostError e = assertThrows(dev.faultline.host.HostError.class,
        () -> link.latency(Duration.ofMillis(5), Duration.ZERO, "sideways", new Percent(100)));
    assertTrue(e.getMessage().contains("\"both\", \"upstream\" or \"downstream\""), e.getMessage());
    assertThrows(dev.faultline.host.HostError.class, () -> link.loss(new Percent(120), "both", new Percent(100)));
    assertThrows(dev.faultline.host.HostError.class, () -> net.proxy("127.0.0.1:0", "nowhere", "", null, DEFAULT_BUFFER, CTX));
    Fault f = link.latency(Duration.ofMillis(500), Duration.ofMillis(300), "upstream", new Percent(50));
    assertEquals("latency 500ms ± 300ms on link 'test' (" + link.address() + "), upstream only, 50% of connections", f.describe());
    assertEquals("net.latency", f.kind());
    assertEquals("'test' (" + link.address() + ")", f.target());
  }

  @Test
  void stopClosesConnectionsAndFreesThePort() throws Exception {
    Socket s = connect();
    roundTrip(s, 10);
    int port = link.port();
    link.close();
    assertFalse(link.running());
    assertEquals(-1, s.getInputStream().read());
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress("127.0.0.1", port));
    }
  }

  @Test
  void aThousandIdleConnectionsAndNoDescriptorLeak() throws Exception {
    roundTrip(connect(), 10);
    open.get(open.size() - 1).close();
    waitFor(() -> link.connections() == 0);
    long baseline = openDescriptors();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", link.port()), 5000);
        sockets.add(s);
      }
      waitFor(() -> link.connections() == 1000);
      assertEquals(1000, link.connections());
      // Each one still relays.
      Socket last = sockets.get(999);
      last.setSoTimeout(5000);
      assertTrue(roundTrip(last, 10) < 1000);
    } finally {
      for (Socket s : sockets) s.close();
    }
    waitFor(() -> link.connections() == 0);
    assertEquals(0, link.connections());
    waitFor(() -> openDescriptors() <= baseline);
    assertTrue(openDescriptors() <= baseline, openDescriptors() + " descriptors open, " + baseline + " before");
  }

  static long openDescriptors() {
    String[] fds = new java.io.File("/proc/self/fd").list();
    return fds == null ? 0 : fds.length;
  }

  static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    for (int i = 0; i < 200 && !done.getAsBoolean(); i++) Thread.sleep(25);
  }
}
