package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each session fault against a real server: its effect seen by a real client, and its revert. */
class DatabaseFaultsTest {
  private static final CallContext CTX = CallContext.detached();
  private static LocalCluster cluster;
  private static Database db;
  private static Database app;

  @BeforeAll
  static void start() throws Exception {
    if (!PgTests.wanted() || !PgBinaries.available()) return;
    cluster = LocalCluster.start("faults", 0, false, false);
    db = cluster.db();
    app = cluster.app();
    app.update("setup", "create table orders (id int)");
  }

  @org.junit.jupiter.api.BeforeEach
  void server() {
    PgTests.assumeServer();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private static long sessions(String pattern) {
    ConnectionCounts c = db.connections(CTX);
    assertTrue(c.ok(), c.error());
    return c.count("", pattern);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 10s: " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void heldConnectionsShowUnderTheirNameAndAreClosedOnRevert() throws Exception {
    Fault hold = db.holdConnections(5);
    hold.inject(CTX);
    try {
      assertEquals(5, sessions("faultline-hold-%"));
      assertFalse(hold.undoRecord().toString().contains(cluster.credentials().password()), "the journal record holds the password");
      assertEquals("", hold.undoRecord().get("password_env"));
    } finally {
      hold.revert(CTX);
    }
    await(() -> sessions("faultline-hold-%") == 0, "held sessions closed");
    hold.revert(CTX);
  }

  @Test
  void exhaustingTheApplicationsSlotsMakesItsPoolTimeOutAndRecoverAfterTheRevert() throws Exception {
    Fault hold = app.holdConnections(0);
    hold.inject(CTX);
    try {
      ConnectionCounts counts = db.connections(CTX);
      assertTrue(counts.ok(), "the superuser's reserved slots stay free: " + counts.error());
      long reserved = 3;
      assertTrue(counts.total() >= counts.max() - reserved, "every slot but the reserved ones is taken: " + counts.show());
      assertTrue(counts.count("", "faultline-hold-%") > 90, counts.show());
      SQLException refused = assertThrows(SQLException.class, () -> app.open("late-client", 5).close());
      assertEquals("53300", refused.getSQLState(), refused.getMessage());
    } finally {
      hold.revert(CTX);
    }
    await(() -> {
      try (Connection c = app.open("late-client", 5)) {
        return true;
      } catch (SQLException e) {
        return false;
      }
    }, "the application connects again");
  }

  @Test
  void aLockedTableMakesQueriesWaitUntilTheRevert() throws Exception {
    Fault lock = db.lockTable("orders", "access exclusive", Duration.ofSeconds(5));
    lock.inject(CTX);
    try {
      assertEquals(1, sessions("faultline-lock-%"));
      try (Connection c = app.open("blocked", 5); Statement s = c.createStatement()) {
        s.execute("set statement_timeout = 300");
        SQLException waited = assertThrows(SQLException.class, () -> s.execute("select count(*) from orders"));
        assertEquals("57014", waited.getSQLState(), waited.getMessage());
      }
    } finally {
      lock.revert(CTX);
    }
    try (Connection c = app.open("unblocked", 5); Statement s = c.createStatement()) {
      s.execute("set statement_timeout = 2000");
      s.execute("select count(*) from orders");
    }
  }

  @Test
  void badTableNamesAndModesAreRefusedBeforeAnythingRuns() {
    HostError name = assertThrows(HostError.class, () -> db.lockTable("orders; drop table x", "share", Duration.ofSeconds(1)));
    assertTrue(name.getMessage().contains("not a table name"), name.getMessage());
    HostError mode = assertThrows(HostError.class, () -> db.lockTable("orders", "sharp", Duration.ofSeconds(1)));
    assertTrue(mode.help().contains("access exclusive"), mode.help());
  }

  @Test
  void slowQueriesKeepSessionsActiveUntilCancelled() throws Exception {
    Fault load = db.slowQueries(Duration.ofSeconds(30), 3);
    load.inject(CTX);
    try {
      await(() -> db.connections(CTX).count("active", "faultline-sleep-%") == 3, "3 active sleeping sessions");
    } finally {
      long t0 = System.nanoTime();
      load.revert(CTX);
      assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10, "the revert waited for the 30s sleep");
    }
    await(() -> sessions("faultline-sleep-%") == 0, "sleeping sessions gone");
  }

  @Test
  void terminateBackendsEndsMatchingSessionsOnceOrRepeatedly() throws Exception {
    Connection victim = app.open("victim-app", 5);
    Connection bystander = app.open("bystander", 5);
    Fault once = db.terminateBackends("victim%", "", "", Duration.ZERO);
    once.inject(CTX);
    once.revert(CTX);
    SQLException killed = assertThrows(SQLException.class, () -> victim.createStatement().execute("select 1"));
    assertTrue(killed.getSQLState().equals("57P01") || killed.getSQLState().startsWith("08"), killed.getSQLState() + " " + killed.getMessage());
    bystander.createStatement().execute("select 1");
    victim.close();

    Fault repeated = db.terminateBackends("victim%", "", "", Duration.ofMillis(50));
    repeated.inject(CTX);
    try {
      Connection again = app.open("victim-app", 5);
      await(() -> {
        try {
          again.createStatement().execute("select 1");
          return false;
        } catch (SQLException e) {
          return true;
        }
      }, "a new victim session is terminated too");
      again.close();
    } finally {
      repeated.revert(CTX);
    }
    try (Connection after = app.open("victim-app", 5)) {
      Thread.sleep(200);
      after.createStatement().execute("select 1");
    }
    bystander.close();
    assertThrows(HostError.class, () -> db.terminateBackends("", "", "", Duration.ZERO));
  }

  @Test
  void recoverTerminatesSessionsLeftByACrashedRunByTheirName() throws Exception {
    HeldConnections hold = new HeldConnections(new Database(db.url(), new Credentials("postgres", cluster.credentials().password(), "PG_SECRET"),
        "remote"), 3);
    hold.inject(CTX);   // never reverted here: as if the process that held them had died
    java.util.Map<String, Object> record = hold.undoRecord();
    assertEquals("PG_SECRET", record.get("password_env"));
    assertFalse(record.toString().contains(cluster.credentials().password()));
    assertEquals(3, sessions(hold.applicationName));
    new PostgresRecoverer(name -> name.equals("PG_SECRET") ? cluster.credentials().password() : null)
        .revert("postgres.hold_connections", record);
    await(() -> sessions(hold.applicationName) == 0, "the sessions are terminated");
    new PostgresRecoverer(name -> cluster.credentials().password()).revert("postgres.hold_connections", record);
    IllegalStateException noSecret = assertThrows(IllegalStateException.class,
        () -> new PostgresRecoverer(name -> null).revert("postgres.hold_connections", record));
    assertTrue(noSecret.getMessage().contains("set $PG_SECRET"), noSecret.getMessage());
    hold.revert(CTX);
  }
}
