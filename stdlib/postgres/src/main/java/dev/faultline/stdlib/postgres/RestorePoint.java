package dev.faultline.stdlib.postgres;

import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A named restore point of a local cluster (pg_create_restore_point): its WAL position, the server's
 * time at its creation, and when the call began and returned, which tell a restore's verification
 * which writes must be before it and which after. Immutable.
 */
@HostType(name = "pg_restore_point", doc = "A named restore point: name, lsn, time; restore(point: name) stops there.")
public final class RestorePoint implements HostValue {
  private final LocalCluster cluster;
  private final String name;
  private final String lsn;
  private final Instant time;
  private final Instant calledAt;
  private final Instant returnedAt;

  private RestorePoint(LocalCluster cluster, String name, String lsn, Instant time, Instant calledAt, Instant returnedAt) {
    this.cluster = cluster;
    this.name = name;
    this.lsn = lsn;
    this.time = time;
    this.calledAt = calledAt;
    this.returnedAt = returnedAt;
  }

  static RestorePoint create(LocalCluster cluster, LocalServer primary, String name) {
    long t0 = System.nanoTime();
    try (Connection c = primary.connect(5);
         PreparedStatement s = c.prepareStatement("select pg_create_restore_point(?)::text, extract(epoch from clock_timestamp())::text")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        String lsn = r.getString(1);
        Instant time = WallClock.fromEpoch(r.getString(2));
        long t1 = System.nanoTime();
        return new RestorePoint(cluster, name, lsn, time, WallClock.at(t0), WallClock.at(t1));
      }
    } catch (SQLException e) {
      throw new HostError("restore_point(): " + primary.name + " (" + primary.address() + "): " + Database.message(e));
    }
  }

  Instant calledAt() {
    return calledAt;
  }

  Instant returnedAt() {
    return returnedAt;
  }

  @HostFunction(name = "name", effect = Effect.PURE, doc = "Its name: restore(point: name) stops there.")
  public String name() {
    return name;
  }

  @HostFunction(name = "lsn", effect = Effect.PURE, doc = "Its WAL position.")
  public String lsn() {
    return lsn;
  }

  @HostFunction(name = "time", effect = Effect.PURE, doc = "The server's time at its creation, ISO-8601 in UTC: restore(time:) takes it.")
  public String time() {
    return WallClock.iso(time);
  }

  @HostFunction(name = "archived", effect = Effect.PROBE, doc = "Whether the cluster's WAL archive holds it: whether a"
      + " restore can reach it now. False when the cluster does not archive.")
  public boolean archived() {
    return cluster.walArchive().map(a -> a.covers(lsn)).orElse(false);
  }

  @Override
  public String show() {
    return "pg_restore_point " + name + " at " + lsn + " (" + time() + ")";
  }

  @Override
  public String toString() {
    return show();
  }
}
