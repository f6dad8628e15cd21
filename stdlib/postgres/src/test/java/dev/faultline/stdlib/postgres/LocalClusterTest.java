package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** postgres.local(): a real primary and replica on loopback ports, the probes on them, and the clean-up. */
class LocalClusterTest {
  private static LocalCluster cluster;
  private final CallContext ctx = CallContext.detached();

  @BeforeAll
  static void start() {
    if (!PgTests.wanted() || !PgBinaries.available()) return;
    cluster = LocalCluster.start("test", 1, false, false);
  }

  @org.junit.jupiter.api.BeforeEach
  void server() {
    PgTests.assumeServer();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void aPrimaryAndAStreamingReplica() {
    assertEquals("node1", cluster.primary().name());
    assertEquals(1, cluster.replicas().size());
    assertEquals("replica", cluster.nodes().get(1).role());
    assertTrue(cluster.db().isPrimary(ctx));
    assertFalse(cluster.nodes().get(1).db().isPrimary(ctx));
    ReplicationLag lag = cluster.db().lag(ctx);
    assertTrue(lag.ok(), lag.error());
    assertEquals("primary", lag.role());
    assertEquals(1, lag.replicas(), lag.standbys().toString());
    ReplicationLag onReplica = cluster.nodes().get(1).db().lag(ctx);
    assertEquals("replica", onReplica.role(), onReplica.error());
  }

  @Test
  void aQueryReturnsRowsAndLatencyAndAFailureIsAResult() {
    QueryResult r = cluster.db().query("select 1 as one, 'x' as s, 2.5::numeric as d, null as n", java.time.Duration.ofSeconds(5), ctx);
    assertTrue(r.ok(), r.error());
    assertEquals(Map.of("one", 1L, "s", "x", "d", 2.5), Map.of("one", r.rows().get(0).get("one"), "s", r.rows().get(0).get("s"),
        "d", r.rows().get(0).get("d")));
    assertTrue(r.rows().get(0).containsKey("n"));
    assertTrue(r.latency().toNanos() > 0);
    QueryResult bad = cluster.db().query("select * from no_such_table", java.time.Duration.ofSeconds(5), ctx);
    assertFalse(bad.ok());
    assertEquals("42P01", bad.sqlstate());
    assertTrue(bad.error().contains("no_such_table"), bad.error());
  }

  @Test
  void connectionsAreCountedByApplicationName() throws Exception {
    try (var c = cluster.db().open("counted-app", 5); var c2 = cluster.db().open("counted-app", 5)) {
      ConnectionCounts counts = cluster.db().connections(ctx);
      assertTrue(counts.ok(), counts.error());
      assertEquals(2, counts.count("", "counted-app"));
      assertEquals(2L, counts.byApplication().get("counted-app"));
      assertEquals(2, counts.count("idle", "counted-%"));
      assertEquals(100, counts.max());
    }
  }

  @Test
  void theServersRunAsThePostgresUserWhenRunAsRoot() throws Exception {
    long pid = cluster.nodes().get(0).server().postmasterPid().orElseThrow();
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
    if (System.getProperty("user.name").equals("root")) assertFalse(uid.equals("0"), "the server runs as root");
  }

  @Test
  void aPlaybookStartsAClusterAndItIsRemovedWithItsScope() throws Exception {
    Faultline faultline = Faultline.builder().standardLibrary().build();
    RunResult r = PgTests.run(faultline, """
        playbook "local" {
          scenario "s" {
            step "a cluster for this step" {
              let c = postgres.local(replicas: 1, name: "step")
              record dir = c.directory
              record port = c.nodes[0].port
              expect c.primary.name == "node1"
              expect c.db.ping().ok
              let w = c.db.query("create table t (x int)")
              expect w.ok, w.error
              expect c.db.query("insert into t values (1), (2)").ok
              await c.nodes[1].db.query("select count(*) from t").value == 2 within 10s
              expect c.db.lag().replicas == 1
            }
          }
        }
        """);
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    Map<String, Object> rec = r.scenario("s").orElseThrow().records();
    assertFalse(Files.exists(Path.of((String) rec.get("dir"))), "the cluster directory is left");
    try (var s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress("127.0.0.1", ((Long) rec.get("port")).intValue()));
    }
  }

  @Test
  void withoutBinariesTheErrorSaysHowToGetThem() {
    assertTrue(PgBinaries.locate(Map.of("PATH", "/nonexistent"), Path.of("/nonexistent")).isEmpty());
    HostError e = org.junit.jupiter.api.Assertions.assertThrows(HostError.class, () -> PgBinaries.find(Map.of("PATH", "/x"), Path.of("/x")));
    assertTrue(e.getMessage().contains("needs the PostgreSQL server programs"), e.getMessage());
    assertTrue(e.help().contains("apt-get install postgresql"), e.help());
  }

  @Test
  void postgresIsAFunctionAndANamespaceAndTyposAreCaughtBeforeTheRun() {
    Faultline faultline = Faultline.builder().standardLibrary().build();
    dev.faultline.source.PlaybookError e = org.junit.jupiter.api.Assertions.assertThrows(dev.faultline.source.PlaybookError.class,
        () -> PgTests.run(faultline, """
            playbook "typo" {
              let db = postgres("jdbc:postgresql://127.0.0.1:1/app")
              let c = postgres.locl(replicas: 1)
            }
            """));
    String all = e.diagnostics().toString();
    assertTrue(all.contains("'postgres' has no member 'locl'") && all.contains("local"), all);
  }

  @Test
  void aPortTakenBeforeTheFirstStartIsReplaced() throws Exception {
    PgBinaries bin = PgBinaries.find();
    Path root = Files.createTempDirectory(LocalCluster.DIR_PREFIX);
    bin.own(root);
    LocalServer server = new LocalServer("port-test", root, bin, cluster.credentials());
    int first = server.port;
    try (var taken = new java.net.ServerSocket()) {
      taken.bind(new java.net.InetSocketAddress("127.0.0.1", first));
      server.initPrimary(java.util.List.of("listen_addresses = '127.0.0.1'", "unix_socket_directories = '" + root + "'"));
      server.start();
      assertTrue(server.port != first && server.isRunning(), "started on " + server.port);
    } finally {
      server.stop("immediate");
      LocalCluster.deleteTree(root);
    }
  }
}
