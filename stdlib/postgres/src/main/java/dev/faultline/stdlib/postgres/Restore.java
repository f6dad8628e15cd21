package dev.faultline.stdlib.postgres;

import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores a base backup into a new local cluster: a new temporary directory, the backup copied in
 * as the data directory of {@code node1}, recovery settings appended (read WAL from the source
 * cluster's archive, stop at the target, then promote), the server started on a new free port, and
 * waited for until it accepts writes. What it takes and reaches is measured. Stateless.
 */
final class Restore {
  private static final long POLL_MS = 20;
  private static final int START_TRIES = 3;

  private Restore() {}

  static RestoredCluster run(BaseBackup backup, RecoveryTarget target, String name, int replicas, boolean archive, Duration wait,
      CallContext ctx) {
    LocalCluster source = backup.cluster();
    PgBinaries bin = source.bin();
    long startNanos = System.nanoTime();
    Path root = LocalCluster.createRoot(bin, "restore()");
    LocalServer server = new LocalServer("node1", root, bin, source.credentials());
    List<LocalServer> servers = new ArrayList<>(List.of(server));
    try {
      // The new cluster's own archive, in its own directory: it can be backed up and restored in turn.
      WalArchive ownArchive = archive ? WalArchive.create(root, bin,
          source.walArchive().map(WalArchive::timeout).orElse(Duration.ofSeconds(60)),
          source.walArchive().map(WalArchive::segmentBytes).orElse(WalArchive.DEFAULT_SEGMENT_BYTES)) : null;
      List<String> settings = settings(source, root, target, ownArchive);
      server.restoreFrom(backup.path(), settings);
      long[] times = startAndWait(server, startNanos, wait, ctx);
      Reached reached = reached(server);
      if (replicas > 0) {
        // The recovery settings are the restore's, not the new cluster's: a replica cloned with them
        // would read the source's archive and stop at the same target.
        server.execute(resetRecoverySettings(settings));
        for (int i = 2; i <= replicas + 1; i++) {
          LocalServer replica = new LocalServer("node" + i, root, bin, source.credentials());
          servers.add(replica);
          replica.cloneFrom(server);
          replica.start();
        }
      }
      LocalCluster cluster = LocalCluster.restored(name, root, source.credentials(), servers, bin, ownArchive);
      ctx.own(cluster, "restored PostgreSQL cluster " + name);
      long lost = source.lostAtNanos();
      return new RestoredCluster(cluster, backup, target, startNanos, times[0], times[1], lost, reached.lsn, reached.time, reached.timeline);
    } catch (IOException | RuntimeException e) {
      for (LocalServer s : servers) {
        try {
          s.stop("immediate");
        } catch (RuntimeException ignored) {
          // already failing: the first error is the one to report
        }
      }
      String log = server.serverLog().toString();
      LocalCluster.deleteTree(root);
      if (e instanceof dev.faultline.host.Interrupted i) throw i;
      if (e instanceof HostError h) throw h;
      throw new HostError("restore() of backup " + backup.label() + " failed: " + e.getMessage(), "the server's log was " + log);
    }
  }

  /**
   * Rationale: appended to postgresql.auto.conf, which the server reads last, so that they override
   * what the backup brought from the source (its socket directory, its archiving into the source's
   * archive, a synchronous standby it no longer has).
   */
  private static List<String> settings(LocalCluster source, Path root, RecoveryTarget target, WalArchive ownArchive) {
    List<String> s = new ArrayList<>(List.of(
        "",
        "# written by faultline restore()",
        "unix_socket_directories = '" + root + "'"));
    if (ownArchive == null) s.add("archive_mode = off");
    else s.addAll(ownArchive.settings());
    s.addAll(List.of(
        "synchronous_standby_names = ''",
        "primary_conninfo = ''",
        // Without an archive the backup's own WAL is all there is: a command that finds nothing.
        "restore_command = '" + source.walArchive().map(WalArchive::restoreCommand).orElse("false") + "'"));
    s.addAll(target.settings());
    return s;
  }

  /** ALTER SYSTEM RESET for each recovery setting the restore appended (restore_command, recovery_target_*, primary_conninfo). */
  private static String[] resetRecoverySettings(List<String> settings) {
    return settings.stream().map(l -> l.split("=", 2)[0].strip())
        .filter(k -> k.startsWith("recovery_target") || k.equals("restore_command") || k.equals("primary_conninfo"))
        .map(k -> "alter system reset " + k).toArray(String[]::new);
  }

  /** Starts the server and waits until it accepts connections, then writes; returns both moments (System.nanoTime()). */
  private static long[] startAndWait(LocalServer server, long startNanos, Duration wait, CallContext ctx) {
    long deadline = startNanos + wait.toNanos();
    for (int attempt = 1; ; attempt++) {
      server.startWithoutWaiting();
      long accepting = 0;
      long launched = System.nanoTime();
      while (true) {
        ctx.checkInterrupted();
        if (System.nanoTime() > deadline) {
          throw new HostError("restore(): the restored server did not accept writes within " + dev.faultline.value.Values.show(wait),
              "give the recovery more time with restore(wait: …); its log is " + server.serverLog());
        }
        Boolean inRecovery = inRecovery(server);
        if (inRecovery != null) {
          if (accepting == 0) accepting = System.nanoTime();
          if (!inRecovery) {
            server.markStarted();
            return new long[] {accepting, System.nanoTime()};
          }
        } else if (!server.isRunning() && System.nanoTime() - launched > 500_000_000L) {
          String why = server.lastLogError();
          boolean portTaken = why.contains("could not bind") || why.contains("Address already in use");
          if (portTaken && attempt < START_TRIES) {
            server.redrawPort();
            break;
          }
          throw new HostError("restore(): the restored server stopped: " + (why.isEmpty() ? "see its log" : why),
              why.contains("recovery target") ? "the archive does not reach the target yet: wait for it (point.archived) or"
                  + " choose an earlier one" : "its log is " + server.serverLog());
        }
        ctx.sleep(Duration.ofMillis(POLL_MS));
      }
    }
  }

  /** Whether the server is in recovery; null when it does not answer yet. */
  private static Boolean inRecovery(LocalServer server) {
    try (Connection c = server.connect(1); Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_is_in_recovery()")) {
      return r.next() && r.getBoolean(1);
    } catch (SQLException e) {
      return null;
    }
  }

  private record Reached(String lsn, String time, long timeline) {}

  /** Where the recovery stopped: the last WAL position replayed, the commit time of the last transaction replayed, the new timeline. */
  private static Reached reached(LocalServer server) {
    try (Connection c = server.connect(5); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
        "select pg_last_wal_replay_lsn()::text, extract(epoch from pg_last_xact_replay_timestamp())::text,"
            + " ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int")) {
      r.next();
      String time = "";
      if (r.getString(2) != null) time = WallClock.iso(WallClock.fromEpoch(r.getString(2)));
      return new Reached(r.getString(1) == null ? "" : r.getString(1), time, r.getLong(3));
    } catch (SQLException e) {
      throw new HostError("restore(): the restored server answered, then failed: " + Database.message(e));
    }
  }
}
