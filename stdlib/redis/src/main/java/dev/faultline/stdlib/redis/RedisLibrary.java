package dev.faultline.stdlib.redis;

import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Values;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Redis targets: {@code redis(url)} names a server, {@code redis.sentinel(sentinels)} the master
 * that Sentinels name, {@code redis.local(…)} starts throwaway servers and Sentinels on this
 * machine. Stateless: connections and processes belong to the values returned, which the calling
 * scope closes.
 */
public final class RedisLibrary implements Library {
  static final String DEFAULT_PASSWORD_ENV = "REDISCLI_AUTH";

  @HostFunction(name = "redis", effect = Effect.PURE, doc = "Names a Redis server: probes (ping, get, info, stats, replication,"
      + " role, dbsize) act on it. Naming touches nothing; a connection opens on the first probe and closes when the scope"
      + " ends. The password is read from an environment variable and never shown.")
  public RedisTarget redis(
      @Arg(name = "url", doc = "\"redis://host:port\", \"redis://host:port/2\" (database 2) or \"host:port\"") String url,
      @Arg(name = "password_env", doc = "the environment variable holding the password (redis-cli's own by default); unset"
          + " or empty for none", byDefault = "\"" + DEFAULT_PASSWORD_ENV + "\"") String passwordEnv,
      CallContext ctx) {
    Endpoint e = Endpoint.parse(url);
    RedisTarget target = new RedisTarget(e::address, e.address() + (e.database() == 0 ? "" : "/" + e.database()), password(passwordEnv),
        passwordEnv.strip(), e.database());
    ctx.own(target, "Redis connection " + target.label());
    return target;
  }

  @HostFunction(name = "redis.sentinel", effect = Effect.PURE, doc = "Names the master that Sentinels watch under a name:"
      + " who is master (master_address), the replicas and Sentinels they know, a forced failover, and `redis`, a target on"
      + " the master they name at each call.")
  public SentinelTarget sentinel(
      @Arg(name = "sentinels", doc = "the Sentinels, \"host:port,host:port\" (port 26379 when left out)") String sentinels,
      @Arg(name = "master_name", doc = "the name they monitor the master under", byDefault = "\"mymaster\"") String masterName,
      @Arg(name = "password_env", doc = "the environment variable holding the Redis servers' password", byDefault = "\""
          + DEFAULT_PASSWORD_ENV + "\"") String passwordEnv,
      CallContext ctx) {
    List<String> addresses = Arrays.stream(sentinels.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .map(s -> s.contains(":") ? s : s + ":26379").toList();
    if (addresses.isEmpty()) throw new HostError("redis.sentinel() needs at least one Sentinel address", "e.g. redis.sentinel(\"10.0.0.5:26379,10.0.0.6:26379\")");
    for (String a : addresses) Endpoint.parse(a);
    SentinelTarget target = new SentinelTarget(addresses, masterName, password(passwordEnv), passwordEnv.strip());
    ctx.own(target, "Redis Sentinel target " + masterName);
    return target;
  }

  private static String password(String env) {
    if (env.isBlank()) return null;
    String p = System.getenv(env.strip());
    return p == null || p.isEmpty() ? null : p;
  }

  /*
   * ACTION, so a dry run does not start it; it requires no capability. Rationale: like
   * postgres.local(), it is a practice target of this machine only, on loopback ports, removed with
   * its scope; what acts on it (stopping, killing, pausing a server, a failover) needs 'db'.
   */
  @HostFunction(name = "redis.local", effect = Effect.ACTION, doc = "Starts throwaway Redis servers on 127.0.0.1 from this machine's"
      + " redis-server and redis-sentinel: a master, `replicas` replicas and `sentinels` Sentinels monitoring it under"
      + " `master_name`, without persistence unless asked. Every process is killed and the temporary directory removed when"
      + " the playbook, scenario or step that started them ends.")
  public LocalRedis local(
      @Arg(name = "replicas", doc = "how many replicas of the master, 0 to 5", byDefault = "1") long replicas,
      @Arg(name = "sentinels", doc = "how many Sentinels, 0 to 7; 0 for none (no failover)", byDefault = "3") long sentinels,
      @Arg(name = "quorum", doc = "how many Sentinels must agree the master is down; 0 for a majority", byDefault = "0") long quorum,
      @Arg(name = "master_name", doc = "the name the Sentinels monitor the master under", byDefault = "\"mymaster\"") String masterName,
      @Arg(name = "down_after", doc = "Sentinel's down-after-milliseconds (Redis's default is 30s)", byDefault = "1s") Duration downAfter,
      @Arg(name = "failover_timeout", doc = "Sentinel's failover-timeout (Redis's default is 3m)", byDefault = "5s") Duration failoverTimeout,
      @Arg(name = "persistence", doc = "\"none\", \"rdb\" (snapshots) or \"aof\" (append-only file)", byDefault = "\"none\"") String persistence,
      @Arg(name = "name", doc = "a name for logs", byDefault = "\"local\"") String name,
      CallContext ctx) {
    if (replicas < 0 || replicas > 5) throw new HostError("redis.local() takes 0 to 5 replicas, got " + replicas);
    if (sentinels < 0 || sentinels > 7) throw new HostError("redis.local() takes 0 to 7 Sentinels, got " + sentinels);
    long q = quorum == 0 ? sentinels / 2 + 1 : quorum;
    if (sentinels > 0 && (q < 1 || q > sentinels)) {
      throw new HostError("redis.local() needs a quorum between 1 and the number of Sentinels (" + sentinels + "), got " + quorum);
    }
    if (!masterName.matches("[A-Za-z0-9._-]+")) {
      throw new HostError("redis.local() needs a master_name of letters, digits, '.', '_' or '-', got \"" + masterName + "\"");
    }
    if (downAfter.toMillis() < 100) throw new HostError("redis.local() needs a down_after of 100ms or more, got " + Values.show(downAfter));
    if (failoverTimeout.toMillis() < 1000) {
      throw new HostError("redis.local() needs a failover_timeout of 1s or more, got " + Values.show(failoverTimeout));
    }
    LocalRedis.serverSettings(persistence);
    long t0 = System.nanoTime();
    LocalRedis cluster = LocalRedis.start(new LocalRedis.Settings(name, (int) replicas, (int) sentinels, (int) q, masterName, downAfter,
        failoverTimeout, persistence));
    ctx.own(cluster, "Redis cluster " + name);
    ctx.log("started " + cluster.show() + " in " + Values.show(Duration.ofNanos(System.nanoTime() - t0)));
    return cluster;
  }

  /** A Redis address and database from a URL or host:port. */
  record Endpoint(String address, int database) {
    static Endpoint parse(String url) {
      String text = url.strip();
      String withScheme = text.contains("://") ? text : "redis://" + text;
      try {
        URI u = new URI(withScheme);
        if (!"redis".equals(u.getScheme())) throw new HostError("redis() needs a redis:// URL, got \"" + url + "\"", "e.g. redis(\"redis://127.0.0.1:6379\")");
        if (u.getUserInfo() != null) {
          throw new HostError("redis() takes no password in its URL", "put the password in an environment variable and name it with password_env");
        }
        if (u.getHost() == null) throw new HostError("redis() needs a host in \"" + url + "\"", "e.g. redis(\"redis://127.0.0.1:6379\")");
        int port = u.getPort() < 0 ? 6379 : u.getPort();
        String path = u.getPath() == null ? "" : u.getPath().replaceAll("^/", "");
        int db = path.isEmpty() ? 0 : Integer.parseInt(path);
        return new Endpoint(u.getHost() + ":" + port, db);
      } catch (URISyntaxException | NumberFormatException e) {
        throw new HostError("redis() cannot read \"" + url + "\" as redis://host:port[/database]", "e.g. redis(\"redis://127.0.0.1:6379/0\")");
      }
    }
  }
}
