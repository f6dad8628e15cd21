package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.Event;
import dev.faultline.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Base backups, the WAL archive and restores into new clusters, on real servers: to the latest
 * archived change, to a restore point, to a time and to the backup's end; each restore verified
 * against a writer's acknowledged log, including restores altered on purpose, which must fail the
 * verification naming the rows.
 */
class BackupRestoreTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  @BeforeEach
  void server() {
    PgTests.assumeServer();
  }

  private RunResult run(String text) {
    RunResult r = PgTests.run(faultline, text);
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    return r;
  }

  @Test
  void everythingArchivedIsRestoredAndNothingAcknowledgedIsLost() throws Exception {
    RunResult r = run("""
        playbook "latest" {
          profile p default { slo.rpo = 1m; slo.rto = 5m }
          scenario "s" {
            let c = postgres.local(replicas: 0, archive: true, archive_timeout: 1s, name: "src")
            step "back up, write, archive, lose, restore" {
              let w = c.db.writer(sessions: 2, interval: 1ms)
              await w.acknowledged > 200 within 30s
              let b = c.base_backup(label: "nightly")
              expect b.label == "nightly" and b.timeline == 1 and b.start_lsn != "" and b.end_lsn != ""
              expect b.verify().ok, b.verify().error
              let before = w.acknowledged
              await w.acknowledged > before + 300 within 30s
              w.stop()
              let end = c.db.query("select pg_switch_wal()::text")
              expect end.ok, end.error
              let now = c.db.query("select pg_current_wal_lsn()::text").value
              await c.archive.covers(now) within 30s
              expect c.archive.segments > 0
              inject c.lose()
              expect not c.nodes[0].running
              let restored = b.restore()
              expect restored.db.is_primary
              expect restored.timeline == 2
              expect restored.target == "the latest archived change"
              expect restored.address != c.nodes[0].address
              expect restored.took <= restored.rto
              let check = restored.verify(w)
              expect check.ok, check.message
              expect check.lost == 0 and check.rpo == 0ms, check.message
              expect check.acknowledged == w.acknowledged and check.present >= check.acknowledged, check.message
              record dir = restored.cluster.directory
              record took = restored.took
              await restored.db.query("insert into faultline_writes (writer, seq) values ('after', 1)").ok within 30s
            }
          }
        }
        """);
    Map<String, Object> rec = r.scenario("s").orElseThrow().records();
    assertFalse(Files.exists(Path.of((String) rec.get("dir"))), "the restored cluster is removed with its scope");
    List<Event> slo = r.events().stream().filter(e -> e.type().id().equals("slo")).toList();
    assertTrue(slo.stream().anyMatch(e -> e.message().startsWith("slo.rpo met: data loss of writer")), slo.toString());
    assertTrue(slo.stream().anyMatch(e -> e.message().startsWith("slo.rto met:")), slo.toString());
    assertTrue(r.events().stream().anyMatch(e -> e.type().id().equals("data_loss")), "a data_loss event");
    System.out.println("restore to the latest change took " + rec.get("took"));
  }

  @Test
  void writesNotYetArchivedAreLostAndTheRpoSaysHowMuch() {
    RunResult r = PgTests.run(faultline, """
        playbook "tail" {
          profile p default { slo.rpo = 1ms }
          scenario "s" {
            let c = postgres.local(replicas: 0, archive: true, archive_timeout: 0s)
            step "lose the primary while it writes, with no segment switch" {
              let b = c.base_backup()
              let w = c.db.writer(interval: 2ms)
              await w.acknowledged > 200 within 30s
              inject c.lose()
              let restored = b.restore()
              let check = restored.verify(w)
              expect check.ok, check.message
              expect check.lost > 0 and check.rpo > 0ms, check.message
              record lost = check.lost
            }
          }
        }
        """);
    assertEquals(1, r.exitCode(), PgTests.explain(r));
    String message = r.scenario("s").orElseThrow().message();
    assertTrue(message.startsWith("slo.rpo violated: data loss of writer "), message);
    assertTrue(message.contains("the target is ≤ 1ms"), message);
  }

  @Test
  void aRestorePointATimeAndAWalPositionStopTheRestoreBeforeABadWrite() {
    run("""
        playbook "pitr" {
          scenario "s" {
            let c = postgres.local(replicas: 0, archive: true, archive_timeout: 1s)
            step "restore to before the bad write" {
              expect c.db.query("create table accounts (id int, balance int)").ok
              expect c.db.query("insert into accounts select g, 100 from generate_series(1, 50) g").ok
              let b = c.base_backup()
              let w = c.db.writer(interval: 1ms)
              await w.acknowledged > 200 within 30s
              let mark = c.restore_point("before-bad-write")
              expect mark.name == "before-bad-write" and mark.lsn != "" and mark.time != ""
              let before = w.acknowledged
              await w.acknowledged > before + 100 within 30s
              expect c.db.query("delete from accounts").ok
              let after = w.acknowledged
              await w.acknowledged > after + 100 within 30s
              w.stop()
              expect c.db.query("select pg_switch_wal()").ok
              await mark.archived within 30s
              let now = c.db.query("select pg_current_wal_lsn()::text").value
              await c.archive.covers(now) within 30s
              inject c.lose()

              let by_point = b.restore(point: mark.name, name: "by-point", replicas: 1)
              expect by_point.target == "restore point before-bad-write"
              expect by_point.cluster.nodes[1].role == "replica", "the replica stopped at the target too"
              await by_point.db.lag().replicas == 1 within 30s
              expect by_point.db.query("insert into accounts values (0, 0)").ok
              await by_point.cluster.nodes[1].db.query("select count(*) from accounts").value == 51 within 30s
              expect by_point.db.query("select count(*) from accounts where id > 0").value == 50
              let cp = by_point.verify(w)
              expect cp.ok, cp.message
              expect cp.after_target > 0 and cp.expected > 0, cp.message

              let by_time = b.restore(time: mark.time, name: "by-time")
              expect by_time.db.query("select count(*) from accounts").value == 50
              let ct = by_time.verify(w)
              expect ct.ok, ct.message
              expect ct.after_target > 0 and ct.rpo == 0ms, ct.message

              let by_lsn = b.restore(lsn: mark.lsn, name: "by-lsn")
              expect by_lsn.target == "WAL position ${mark.lsn}"
              expect by_lsn.db.query("select count(*) from accounts").value == 50
              let cn = by_lsn.verify(w)
              expect cn.ok, cn.message

              let latest = b.restore(name: "latest")
              expect latest.db.query("select count(*) from accounts").value == 0
              let cl = latest.verify(w)
              expect cl.ok and cl.lost == 0, cl.message
            }
          }
        }
        """);
  }

  @Test
  void theFastRestoreStopsAtTheBackupsEnd() {
    run("""
        playbook "immediate" {
          scenario "s" {
            let c = postgres.local(replicas: 0, archive: true, archive_timeout: 1s)
            step "writes after the backup are lost, the rest is intact" {
              let w = c.db.writer(interval: 1ms)
              await w.acknowledged > 100 within 30s
              let b = c.base_backup()
              let before = w.acknowledged
              await w.acknowledged > before + 200 within 30s
              inject c.lose()
              let fast = b.restore(target: "immediate")
              expect fast.target == "the end of backup backup1 (immediate)"
              let check = fast.verify(w)
              expect check.ok, check.message
              expect check.lost >= 200 and check.rpo > 0ms, check.message
            }
          }
        }
        """);
  }

  @Test
  void aRowRemovedOrAlteredInTheRestoreIsFoundAndNamed() {
    RunResult r = PgTests.run(faultline, """
        playbook "tampered" {
          scenario "s" {
            let c = postgres.local(replicas: 0, archive: true, archive_timeout: 1s)
            step "tamper with the restore" {
              let b = c.base_backup()
              let w = c.db.writer(interval: 1ms)
              await w.acknowledged > 300 within 30s
              w.stop()
              expect c.db.query("select pg_switch_wal()").ok
              let now = c.db.query("select pg_current_wal_lsn()::text").value
              await c.archive.covers(now) within 30s
              inject c.lose()
              let restored = b.restore()
              expect restored.db.query("delete from faultline_writes where seq = 17").ok
              expect restored.db.query("update faultline_writes set payload = 'x' where seq = 40").ok
              expect restored.db.query("insert into faultline_writes (writer, seq, payload) values ('${w.id}', 100000, 'y')").ok
              let check = restored.verify(w)
              record missing = check.missing_seqs
              record corrupted = check.corrupted_seqs
              record phantom = check.phantom
              expect check.ok, check.message
            }
          }
        }
        """);
    assertEquals(1, r.exitCode(), PgTests.explain(r));
    Map<String, Object> rec = r.scenario("s").orElseThrow().records();
    assertEquals(List.of(17L), rec.get("missing"));
    assertEquals(List.of(40L), rec.get("corrupted"));
    assertEquals(1L, rec.get("phantom"));
    String message = r.scenario("s").orElseThrow().message();
    assertTrue(message.contains("integrity violated: 1 acknowledged write missing (seq 17): seq 17 was acknowledged at "), message);
    assertTrue(message.contains("1 row altered, payload not as written (seq 40)"), message);
    assertTrue(message.contains("1 row the writer never sent (seq 100000)"), message);
  }

  @Test
  void aLostClusterComesBackWithItsDataWhenTheLossIsReverted() {
    run("""
        playbook "comeback" {
          scenario "s" {
            let c = postgres.local(replicas: 1)
            step "lose the region" {
              expect c.db.query("create table t (x int)").ok
              expect c.db.query("insert into t values (1)").ok
              await c.nodes[1].db.query("select count(*) from t").value == 1 within 10s
              inject c.lose()
              expect not c.has_primary
              expect not c.nodes[0].running and not c.nodes[1].running
              expect not c.db.ping().ok
            }
            step "the region is back" {
              expect c.primary.name == "node1"
              expect c.db.query("select count(*) from t").value == 1
              expect c.nodes[1].role == "replica"
            }
          }
        }
        """);
  }

  @Test
  void aRestoredClusterArchivesItsOwnWalAndIsRestoredInTurn() {
    run("""
        playbook "fail-back" {
          scenario "s" {
            let c = postgres.local(replicas: 0, archive: true, archive_timeout: 1s)
            step "restore into a second region, then back" {
              expect c.db.query("create table t (x int)").ok
              expect c.db.query("insert into t values (1)").ok
              let b = c.base_backup()
              expect c.db.query("insert into t values (2)").ok
              expect c.db.query("select pg_switch_wal()").ok
              let now = c.db.query("select pg_current_wal_lsn()::text").value
              await c.archive.covers(now) within 30s
              inject c.lose()

              let dr = b.restore(archive: true, name: "dr")
              expect dr.cluster.archive != null and dr.cluster.archive.timeout == 1s
              expect dr.db.query("insert into t values (3)").ok
              let b2 = dr.cluster.base_backup(label: "from-dr")
              expect b2.timeline == 2
              expect dr.db.query("insert into t values (4)").ok
              expect dr.db.query("select pg_switch_wal()").ok
              let dr_now = dr.db.query("select pg_current_wal_lsn()::text").value
              await dr.cluster.archive.covers(dr_now) within 30s
              inject dr.cluster.lose()

              let back = b2.restore(name: "back")
              expect back.timeline == 3
              expect back.db.query("select count(*) from t").value == 4
            }
          }
        }
        """);
  }

  @Test
  void withoutAnArchiveTheRestoreHasTheBackupAlone() {
    run("""
        playbook "no-archive" {
          scenario "s" {
            let c = postgres.local(replicas: 0)
            step "restore the backup" {
              expect c.archive == null
              expect c.db.query("create table t (x int)").ok
              expect c.db.query("insert into t values (1)").ok
              let b = c.base_backup()
              expect len(c.backups) == 1
              expect c.db.query("insert into t values (2)").ok
              let restored = b.restore()
              expect restored.db.query("select count(*) from t").value == 1
            }
          }
        }
        """);
  }

  @Test
  void aDamagedBackupFailsItsVerificationAndBadTargetsAreRefused() throws Exception {
    RunResult r = run("""
        playbook "damaged" {
          scenario "s" {
            let c = postgres.local(replicas: 0, archive: true, archive_timeout: 1s)
            step "damage" {
              let b = c.base_backup(label: "b")
              expect b.verify().ok
              record dir = b.directory
            }
          }
        }
        """);
    assertTrue(r.events().stream().anyMatch(e -> e.message().contains("base backup b")), "logged");
    RunResult bad = faultline.run("bad.fl", """
        playbook "bad" {
          let c = postgres.local(replicas: 0, archive: true, archive_timeout: 1s)
          let b = c.base_backup()
          scenario "both" { step "s" { b.restore(time: "2026-01-01T00:00:00Z", point: "x") } }
          scenario "zone" { step "s" { b.restore(time: "2026-01-01 10:00:00") } }
          scenario "target" { step "s" { b.restore(target: "yesterday") } }
          scenario "unreached" { step "s" { b.restore(point: "never-created", wait: 60s) } }
          scenario "damaged" {
            step "s" {
              let f = command("sh -c 'echo x >> ${b.directory}/global/pg_control'")
              let v = b.verify()
              expect v.ok, v.error
            }
          }
        }
        """, dev.faultline.run.RunOptions.builder().allow(java.util.EnumSet.of(dev.faultline.fault.Capability.DB,
        dev.faultline.fault.Capability.EXEC)).build());
    Map<String, String> messages = new java.util.HashMap<>();
    bad.scenarios().forEach(s -> messages.put(s.id(), s.message()));
    assertTrue(messages.get("both").contains("restore() takes one of time:, point: and lsn:, got 2"), messages.toString());
    assertTrue(messages.get("zone").contains("restore(time:) needs a time with its time zone"), messages.toString());
    assertTrue(messages.get("target").contains("restore() needs a target of \"latest\" or \"immediate\""), messages.toString());
    assertTrue(messages.get("unreached").contains("recovery ended before configured recovery target was reached"), messages.toString());
    assertTrue(messages.get("damaged").contains("pg_control"), messages.toString());
  }
}
