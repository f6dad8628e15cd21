package dev.faultline.demoapp;

import java.util.Arrays;
import java.util.List;

/**
 * The PostgreSQL servers the API knows, in order, and the JDBC URLs it connects with. pgjdbc does the
 * failover: a URL listing every server with {@code targetServerType=primary} reaches whichever one
 * accepts writes now (rechecked every second), and {@code preferSecondary} reaches a replica while
 * one runs and the primary otherwise. Without failover only the first server is used, so a promoted
 * replica is never found.
 *
 * @param hosts {@code host:port} of each server
 * @param database the database name
 * @param socketDir where the servers' Unix sockets are ({@code .s.PGSQL.<port>}), or null to connect over TCP
 */
record DbServers(List<String> hosts, String database, String socketDir) {
  private static final String PREFIX = "jdbc:postgresql://";
  /** Connect and login within 2 s: a stopped server must not hold a request for pgjdbc's default 10 s. */
  private static final String COMMON = "connectTimeout=2&loginTimeout=3&ApplicationName=faultline-demo-app";

  /** The parameters of every URL: timeouts, the application name, and the socket factory when sockets are used. */
  private String common() {
    if (socketDir == null) return COMMON;
    return COMMON + "&sslmode=disable&socketFactory=" + UnixSocketFactory.class.getName()
        + "&socketFactoryArg=" + java.net.URLEncoder.encode(socketDir, java.nio.charset.StandardCharsets.UTF_8);
  }

  DbServers {
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) throw new IllegalArgumentException("no database server given");
  }

  /**
   * {@code 127.0.0.1:5432,127.0.0.1:5433} with a database name, or a whole
   * {@code jdbc:postgresql://h1:p1,h2:p2/db?…} URL, whose servers and database are used (its
   * parameters are not: the API sets its own).
   */
  static DbServers parse(String spec, String database) {
    return parse(spec, database, null);
  }

  static DbServers parse(String spec, String database, String socketDir) {
    String s = spec.strip();
    if (s.startsWith(PREFIX)) {
      s = s.substring(PREFIX.length());
      int q = s.indexOf('?');
      if (q >= 0) s = s.substring(0, q);
      int slash = s.indexOf('/');
      if (slash >= 0) {
        if (slash < s.length() - 1) database = s.substring(slash + 1);
        s = s.substring(0, slash);
      }
    }
    List<String> hosts = Arrays.stream(s.split(",")).map(String::strip).filter(h -> !h.isEmpty()).toList();
    for (String h : hosts) {
      int colon = h.lastIndexOf(':');
      if (colon <= 0 || !h.substring(colon + 1).matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException("--db: '" + h + "' is not host:port (e.g. 127.0.0.1:5432)");
      }
    }
    if (hosts.isEmpty()) throw new IllegalArgumentException("--db: no server given (e.g. 127.0.0.1:5432,127.0.0.1:5433)");
    return new DbServers(hosts, database, socketDir);
  }

  /** Where writes go: every server, the one accepting writes; or only the first one without failover. */
  String primaryUrl(boolean failover, int socketTimeoutSeconds) {
    if (!failover) return single(socketTimeoutSeconds);
    return PREFIX + String.join(",", hosts) + "/" + database
        + "?targetServerType=primary&hostRecheckSeconds=1&" + common() + "&socketTimeout=" + socketTimeoutSeconds;
  }

  /** Where reads go: a replica while one runs, else the primary; or only the first server without failover. */
  String readerUrl(boolean failover, int socketTimeoutSeconds) {
    if (!failover) return single(socketTimeoutSeconds);
    return PREFIX + String.join(",", hosts) + "/" + database
        + "?targetServerType=preferSecondary&hostRecheckSeconds=1&" + common() + "&socketTimeout=" + socketTimeoutSeconds;
  }

  /** Reaches a replica only, for the readiness check. */
  String replicaOnlyUrl() {
    return PREFIX + String.join(",", hosts) + "/" + database + "?targetServerType=secondary&hostRecheckSeconds=1&" + common()
        + "&socketTimeout=2";
  }

  private String single(int socketTimeoutSeconds) {
    return PREFIX + hosts.get(0) + "/" + database + "?" + common() + "&socketTimeout=" + socketTimeoutSeconds;
  }
}
