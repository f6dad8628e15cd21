package dev.faultline.stdlib.postgres;

import dev.faultline.host.HostError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a restore stops replaying WAL, and what that means for a writer's rows:
 *
 * <ul>
 *   <li>{@code presentBefore}: every write acknowledged before it must be in the restore;
 *   <li>{@code absentAfter}: no write sent after it may be in the restore;
 *   <li>{@code reference}: the moment the data loss (RPO) is measured against: a time or restore
 *       point target's moment; for "latest", "immediate" (the fast restore, which may lose recent
 *       writes) and a WAL position, the last acknowledged write.
 * </ul>
 *
 * Rationale: a commit's timestamp lies between the insert's sending and its acknowledgement, and
 * its WAL record before the acknowledgement; so a write acknowledged before a target's moment is
 * before the target in the WAL, and one sent after it is after. "latest" and a WAL position have no
 * moment: only the order within the restore is checked for them. Immutable.
 */
record RecoveryTarget(String kind, String value, List<String> settings, Optional<Instant> presentBefore,
    Optional<Instant> absentAfter, Optional<Instant> reference) {

  static RecoveryTarget of(BaseBackup backup, String target, String time, String point, String lsn) {
    String t = target.strip().toLowerCase(Locale.ROOT);
    if (!t.equals("latest") && !t.equals("immediate")) {
      throw new HostError("restore() needs a target of \"latest\" or \"immediate\", got \"" + target + "\"",
          "for a point in time, give time:, point: or lsn: instead");
    }
    int given = (time.isBlank() ? 0 : 1) + (point.isBlank() ? 0 : 1) + (lsn.isBlank() ? 0 : 1);
    if (given > 1) throw new HostError("restore() takes one of time:, point: and lsn:, got " + given);
    if (given == 1 && t.equals("immediate")) {
      throw new HostError("restore(target: \"immediate\") stops at the backup's end; it takes no time:, point: or lsn:");
    }
    List<String> settings = new ArrayList<>();
    settings.add("recovery_target_timeline = 'latest'");
    settings.add("recovery_target_action = 'promote'");
    if (!time.isBlank()) {
      Instant at = WallClock.parse(time).orElseThrow(() -> new HostError("restore(time:) needs a time with its time zone, got \""
          + time + "\"", "e.g. \"2026-11-23 10:30:00+00\", \"2026-11-23T10:30:00Z\", or a restore point's time"));
      settings.add("recovery_target_time = '" + WallClock.pg(at) + "'");
      return new RecoveryTarget("time", WallClock.iso(at), settings, Optional.of(at), Optional.of(at), Optional.of(at));
    }
    if (!point.isBlank()) {
      if (point.contains("'")) throw new HostError("restore(point:) needs a restore point's name, got \"" + point + "\"");
      settings.add("recovery_target_name = '" + point + "'");
      Optional<RestorePoint> known = backup.cluster().restorePoint(point);
      return new RecoveryTarget("point", point, settings, known.map(RestorePoint::calledAt), known.map(RestorePoint::returnedAt),
          known.map(RestorePoint::calledAt));
    }
    if (!lsn.isBlank()) {
      settings.add("recovery_target_lsn = '" + Lsn.format(Lsn.parse(lsn)) + "'");
      return new RecoveryTarget("lsn", Lsn.format(Lsn.parse(lsn)), settings, Optional.empty(), Optional.empty(), Optional.empty());
    }
    if (t.equals("immediate")) {
      settings.add("recovery_target = 'immediate'");
      return new RecoveryTarget("immediate", backup.label(), settings, Optional.of(WallClock.at(backup.startNanos())),
          Optional.of(WallClock.at(backup.endNanos())), Optional.empty());
    }
    return new RecoveryTarget("latest", "", settings, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** In words: "the latest archived change", "restore point before-bad-write", … */
  String describe() {
    return switch (kind) {
      case "latest" -> "the latest archived change";
      case "immediate" -> "the end of backup " + value + " (immediate)";
      case "time" -> "time " + value;
      case "point" -> "restore point " + value;
      default -> "WAL position " + value;
    };
  }
}
