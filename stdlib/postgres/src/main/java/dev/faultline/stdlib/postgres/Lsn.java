package dev.faultline.stdlib.postgres;

import dev.faultline.host.HostError;

/** PostgreSQL WAL positions ("16/B374D848") as numbers, and back. Stateless. */
final class Lsn {
  private Lsn() {}

  static long parse(String lsn) {
    String s = lsn == null ? "" : lsn.strip();
    int slash = s.indexOf('/');
    try {
      if (slash <= 0) throw new NumberFormatException();
      return (Long.parseLong(s.substring(0, slash), 16) << 32) | Long.parseLong(s.substring(slash + 1), 16);
    } catch (NumberFormatException e) {
      throw new HostError("not a WAL position: \"" + lsn + "\"", "a WAL position looks like 0/3000060, as pg_current_wal_lsn() shows it");
    }
  }

  static String format(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
  }
}
