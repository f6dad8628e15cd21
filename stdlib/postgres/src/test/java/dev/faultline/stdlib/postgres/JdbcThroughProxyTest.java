package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.stdlib.net.NetLibrary;
import dev.faultline.stdlib.net.ProxyLink;
import dev.faultline.value.Percent;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real PostgreSQL JDBC driver through Faultline's TCP fault proxy to a real server: latency
 * per round trip as injected, the driver's own errors for a cut or refused link, and service back
 * after the revert without restarting the database.
 */
class JdbcThroughProxyTest {
  private static final CallContext CTX = CallContext.detached();
  private static final Percent ALL = new Percent(100);
  private static LocalCluster cluster;
  private static NetLibrary net;
  private ProxyLink link;

  @BeforeAll
  static void start() {
    if (!PgTests.wanted() || !PgBinaries.available()) return;
    cluster = LocalCluster.start("proxy", 0, false, false);
    net = new NetLibrary();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @BeforeEach
  void proxy() {
    PgTests.assumeServer();
    String[] upstream = cluster.nodes().get(0).address().split(":");
    link = net.start("pg", new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress(upstream[0], Integer.parseInt(upstream[1])), 1);
  }

  @AfterEach
  void closeProxy() {
    if (link != null) link.close();
  }

  private Connection connect() throws SQLException {
    java.util.Properties p = cluster.credentials().properties("proxy-test");
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "10");
    return DriverManager.getConnection("jdbc:postgresql://" + link.address() + "/postgres", p);
  }

  private static Duration timeQuery(Connection c) throws SQLException {
    long t0 = System.nanoTime();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 1")) {
      r.next();
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private static String startTime() throws SQLException {
    try (Connection c = cluster.nodes().get(0).server().connect(5); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("select pg_postmaster_start_time()::text")) {
      r.next();
      return r.getString(1);
    }
  }

  @Test
  void eachRoundTripTakesTheInjectedLatency() throws Exception {
    try (Connection c = connect()) {
      timeQuery(c);
      for (Fault f : List.of(link.latency(Duration.ofMillis(500), Duration.ZERO, "downstream", ALL),
          link.latency(Duration.ofMillis(250), Duration.ZERO, "both", ALL))) {
        f.inject(CTX);
        List<Duration> times = new ArrayList<>();
        try {
          for (int i = 0; i < 7; i++) times.add(timeQuery(c));
        } finally {
          f.revert(CTX);
        }
        // Each round trip carries the whole delay (never less), and the typical one is within 500 ms
        // ± 50 ms. Rationale for the looser ceiling on single samples: on a loaded 2-core machine the
        // server or this JVM is now and then descheduled for tens of milliseconds, which no proxy can hide.
        List<Long> ms = times.stream().map(Duration::toMillis).sorted().toList();
        assertTrue(Math.abs(ms.get(ms.size() / 2) - 500) <= 50, f.describe() + ": round trips took " + times);
        for (long t : ms) assertTrue(t >= 450 && t <= 650, f.describe() + ": round trips took " + times);
      }
      Duration after = timeQuery(c);
      assertTrue(after.toMillis() < 250, "after the revert a round trip took " + after);
    }
  }

  @Test
  void downCutsOpenConnectionsAndRefusesNewOnesWithTheDriversErrors() throws Exception {
    String started = startTime();
    Connection open = connect();
    timeQuery(open);
    Fault down = link.down();
    down.inject(CTX);
    try {
      SQLException cut = assertThrows(SQLException.class, () -> timeQuery(open));
      assertEquals("08006", cut.getSQLState(), cut.getMessage());
      SQLException refused = assertThrows(SQLException.class, this::connect);
      assertEquals("08001", refused.getSQLState(), refused.getMessage());
      assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
    } finally {
      down.revert(CTX);
      open.close();
    }
    try (Connection again = connect()) {
      timeQuery(again);
    }
    assertEquals(started, startTime(), "the database was restarted");
  }

  @Test
  void aResetPeerBreaksTheSessionAndTheRevertLetsClientsBackIn() throws Exception {
    String started = startTime();
    Connection open = connect();
    timeQuery(open);
    Fault reset = link.resetPeer(Duration.ZERO, "both", ALL);
    reset.inject(CTX);
    try {
      SQLException cut = assertThrows(SQLException.class, () -> timeQuery(open));
      assertEquals("08006", cut.getSQLState(), cut.getMessage());
      SQLException atStart = assertThrows(SQLException.class, this::connect);
      assertTrue(atStart.getSQLState().startsWith("08"), atStart.getSQLState() + " " + atStart.getMessage());
    } finally {
      reset.revert(CTX);
      open.close();
    }
    try (Connection again = connect()) {
      timeQuery(again);
    }
    assertEquals(started, startTime(), "the database was restarted");
  }

  @Test
  void aProbeThroughTheProxySeesTheLatencyOnAPooledTarget() throws Exception {
    Database viaProxy = new Database("jdbc:postgresql://" + link.address() + "/postgres", cluster.credentials(), "via proxy");
    try {
      assertTrue(viaProxy.ping(Duration.ofSeconds(2), CTX).ok());
      Fault f = link.latency(Duration.ofMillis(500), Duration.ZERO, "downstream", ALL);
      f.inject(CTX);
      try {
        QueryResult r = viaProxy.query("select 1", Duration.ofSeconds(5), CTX);
        assertTrue(r.ok(), r.error());
        assertTrue(r.latency().toMillis() >= 450 && r.latency().toMillis() <= 650, "took " + r.latency());
      } finally {
        f.revert(CTX);
      }
    } finally {
      viaProxy.close();
    }
  }
}
