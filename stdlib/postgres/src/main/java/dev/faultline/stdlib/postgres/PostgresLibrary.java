package dev.faultline.stdlib.postgres;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;

/**
 * PostgreSQL targets: {@code postgres(url, user, password_env)} names a database reached over JDBC,
 * {@code postgres.local(replicas)} starts a throwaway cluster on this machine. Stateless: pools and
 * servers belong to the values returned, which the calling scope closes. The constructor does nothing
 * (the JDBC driver loads on first use).
 */
public final class PostgresLibrary implements Library {

  @HostFunction(name = "postgres", effect = Effect.PURE, doc = "Names a PostgreSQL database: probes (query, ping, is_primary,"
      + " lag, connections) and faults (hold_connections, terminate_backends, lock_table, slow_queries) act on it. Naming"
      + " touches nothing; a pool of up to 4 connections opens on the first probe and closes when the scope ends. The"
      + " password is read from an environment variable and never shown.")
  public Database postgres(
      @Arg(name = "url", doc = "a JDBC URL, e.g. \"jdbc:postgresql://db:5432/app\"; several hosts with"
          + " targetServerType=primary follow a failover") String url,
      @Arg(name = "user", doc = "the database user", byDefault = "\"postgres\"") String user,
      @Arg(name = "password_env", doc = "the environment variable holding the password; empty for none",
          byDefault = "\"PGPASSWORD\"") String passwordEnv,
      CallContext ctx) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new HostError("postgres() needs a JDBC URL starting with jdbc:postgresql://, got \"" + url.replaceAll("(?i)password=[^&]*", "password=***") + "\"",
          "e.g. postgres(\"jdbc:postgresql://127.0.0.1:5432/app\", user: \"app\")");
    }
    String password = passwordEnv.isBlank() ? "" : System.getenv(passwordEnv);
    if (password == null) password = "";
    Database db = new Database(url, new Credentials(user, password, passwordEnv.strip()), user + "@" + hostsOf(url));
    ctx.own(db, "database pool " + db.label());
    return db;
  }

  private static String hostsOf(String url) {
    String rest = url.substring("jdbc:postgresql://".length());
    int end = rest.indexOf('?');
    return end < 0 ? rest : rest.substring(0, end);
  }

  /*
   * ACTION, so a dry run does not start it; it requires no capability. Rationale: like
   * demo.service(), it is a practice target of this machine only, on loopback ports, removed with its
   * scope; what acts on it (stopping a server, holding connections) needs 'db' as on any database.
   */
  @HostFunction(name = "postgres.local", effect = Effect.ACTION, doc = "Starts a throwaway PostgreSQL cluster on 127.0.0.1:"
      + " a primary and `replicas` streaming replicas from this machine's PostgreSQL binaries (PATH, PG_BIN or"
      + " /usr/lib/postgresql/*/bin), run as the 'postgres' user when run as root. Every server is stopped and the"
      + " temporary directory removed when the playbook, scenario or step that started it ends.")
  public LocalCluster local(
      @Arg(name = "replicas", doc = "how many streaming replicas, 0 to 5", byDefault = "1") long replicas,
      @Arg(name = "synchronous", doc = "commits wait until a standby has flushed them (synchronous_standby_names = '*')",
          byDefault = "false") boolean synchronous,
      @Arg(name = "fsync", doc = "flush to disk; off by default, which loses data only if the machine itself crashes",
          byDefault = "false") boolean fsync,
      @Arg(name = "name", doc = "a name for logs", byDefault = "\"local\"") String name,
      @Arg(name = "archive", doc = "archive the primary's WAL into the cluster's archive directory (archive_command), for"
          + " base backups and restores to the latest change or a point in time", byDefault = "false") boolean archive,
      @Arg(name = "archive_timeout", doc = "with archive: switch to a new WAL segment at least this often while there are"
          + " writes, which bounds what a restore can lose; whole seconds, 0s for never", byDefault = "60s") java.time.Duration archiveTimeout,
      CallContext ctx) {
    if (replicas < 0 || replicas > 5) throw new HostError("postgres.local() takes 0 to 5 replicas, got " + replicas);
    if (synchronous && replicas == 0) {
      throw new HostError("postgres.local(synchronous: true) needs a replica to wait for", "add replicas: 1");
    }
    long t0 = System.nanoTime();
    LocalCluster cluster = LocalCluster.start(name, (int) replicas, synchronous, fsync, archive ? archiveTimeout : null);
    ctx.own(cluster, "PostgreSQL cluster " + name);
    ctx.log("started " + cluster.show() + " in " + dev.faultline.value.Values.show(Database.since(t0)));
    return cluster;
  }
}
