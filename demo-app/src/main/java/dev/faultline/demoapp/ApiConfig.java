package dev.faultline.demoapp;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The API's flags ({@code demo-app/run api --help}). Each resilience behaviour has a {@code --no-…}
 * switch that turns it off, so that a playbook can show that it fails without it.
 */
@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
    description = "The demo system's HTTP API on 127.0.0.1: items on PostgreSQL with a Redis cache, uploads to the object store.")
final class ApiConfig {
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--db", required = true, paramLabel = "SERVERS",
      description = "PostgreSQL servers: host:port,host:port,… (primary and replicas, any order), or a jdbc:postgresql:// URL"
          + " whose servers and database are used.")
  String db;

  @Option(names = "--db-name", paramLabel = "NAME", defaultValue = "postgres", description = "Database name (default ${DEFAULT-VALUE}).")
  String dbName;

  @Option(names = "--db-user", paramLabel = "USER", defaultValue = "app", description = "Database user (default ${DEFAULT-VALUE}).")
  String dbUser;

  @Option(names = "--db-password-env", paramLabel = "VAR", defaultValue = "PGPASSWORD",
      description = "Environment variable holding the password (default ${DEFAULT-VALUE}); unset: none, or pgjdbc's ~/.pgpass.")
  String dbPasswordEnv;

  @Option(names = "--db-password-file", paramLabel = "FILE",
      description = "A file whose first line is the password; instead of --db-password-env.")
  java.nio.file.Path dbPasswordFile;

  @Option(names = "--db-socket-dir", paramLabel = "DIR",
      description = "Connect through the servers' Unix sockets in DIR (DIR/.s.PGSQL.<port>) instead of TCP: postgres.local()'s"
          + " cluster.directory, where local connections need no password.")
  String dbSocketDir;

  @Option(names = "--pool-size", paramLabel = "N", defaultValue = "8", description = "Connections per pool (primary, replica) (default ${DEFAULT-VALUE}).")
  int poolSize;

  @Option(names = "--pool-timeout-ms", paramLabel = "MS", defaultValue = "1000",
      description = "How long a request waits for a pooled connection before a 503 (default ${DEFAULT-VALUE}).")
  long poolTimeoutMillis;

  @Option(names = "--db-timeout-ms", paramLabel = "MS", defaultValue = "5000",
      description = "Socket timeout of a database call, rounded up to seconds (default ${DEFAULT-VALUE}).")
  long dbTimeoutMillis;

  @Option(names = "--breaker-open-ms", paramLabel = "MS", defaultValue = "3000",
      description = "How long an open circuit breaker fails fast before trial calls (default ${DEFAULT-VALUE}).")
  long breakerOpenMillis;

  @Option(names = "--redis", paramLabel = "HOST:PORT", description = "A Redis server to cache item reads in.")
  String redis;

  @Option(names = "--redis-sentinels", paramLabel = "HOST:PORT,…",
      description = "Redis Sentinels to ask for the master (follows a failover); instead of --redis.")
  String redisSentinels;

  @Option(names = "--redis-master", paramLabel = "NAME", defaultValue = "mymaster", description = "The master's name at the Sentinels (default ${DEFAULT-VALUE}).")
  String redisMaster;

  @Option(names = "--cache-ttl-ms", paramLabel = "MS", defaultValue = "30000", description = "Lifetime of a cached item (default ${DEFAULT-VALUE}).")
  long cacheTtlMillis;

  @Option(names = "--cache-timeout-ms", paramLabel = "MS", defaultValue = "200",
      description = "Connect and read timeout of a Redis call (default ${DEFAULT-VALUE}).")
  int cacheTimeoutMillis;

  @Option(names = "--store", paramLabel = "URL", description = "The object store's base URL, e.g. http://127.0.0.1:9000.")
  String store;

  @Option(names = "--store-timeout-ms", paramLabel = "MS", defaultValue = "2000", description = "Timeout of one object store request (default ${DEFAULT-VALUE}).")
  long storeTimeoutMillis;

  @Option(names = "--retry-attempts", paramLabel = "N", defaultValue = "6", description = "Attempts per object store call, the first included (default ${DEFAULT-VALUE}).")
  int retryAttempts;

  @Option(names = "--retry-initial-ms", paramLabel = "MS", defaultValue = "100", description = "First backoff; doubled each retry, ±50%% jitter (default ${DEFAULT-VALUE}).")
  long retryInitialMillis;

  @Option(names = "--retry-max-ms", paramLabel = "MS", defaultValue = "2000", description = "Longest backoff (default ${DEFAULT-VALUE}).")
  long retryMaxMillis;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "32", description = "Request threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--no-retry", description = "Object store calls are tried once: S3 5xx fail uploads.")
  boolean noRetry;

  @Option(names = "--no-cache-fallback", description = "A cache error fails the request with 503 instead of reading the database.")
  boolean noCacheFallback;

  @Option(names = "--no-breaker", description = "No circuit breakers: with the database down every request waits for it.")
  boolean noBreaker;

  @Option(names = "--no-pool-timeout", description = "Requests wait for a pooled connection for ever: a saturated pool hangs them.")
  boolean noPoolTimeout;

  @Option(names = "--no-failover", description = "Only the first --db server is used: after a failover the API stays broken.")
  boolean noFailover;

  @Option(names = "--no-replica-reads", description = "Reads go to the primary too.")
  boolean noReplicaReads;

  private DbServers servers;
  private String password;

  /** The flags of {@code args}; a usage error is a {@link CommandLine.ParameterException}. */
  static ApiConfig parse(String... args) {
    ApiConfig c = CommandLine.populateCommand(new ApiConfig(), args);
    c.validate();
    return c;
  }

  void validate() {
    if (redis != null && redisSentinels != null) throw new IllegalArgumentException("give --redis or --redis-sentinels, not both");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535");
    if (poolSize < 1) throw new IllegalArgumentException("--pool-size must be at least 1");
    if (retryAttempts < 1) throw new IllegalArgumentException("--retry-attempts must be at least 1");
    if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
    if (redis != null && !redis.matches(".+:[0-9]{1,5}")) throw new IllegalArgumentException("--redis: '" + redis + "' is not host:port");
    for (String s : redisSentinels()) {
      if (!s.matches(".+:[0-9]{1,5}")) throw new IllegalArgumentException("--redis-sentinels: '" + s + "' is not host:port");
    }
    if (dbSocketDir != null && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(dbSocketDir))) {
      throw new IllegalArgumentException("--db-socket-dir: " + dbSocketDir + " is not a directory");
    }
    servers = DbServers.parse(db, dbName, dbSocketDir);
    password = readPassword();   // an unreadable password file is a usage error, not a failure at the first request
  }

  int port() {
    return port;
  }

  DbServers db() {
    return servers;
  }

  String dbUser() {
    return dbUser;
  }

  /** Null when none is given. */
  String dbPassword() {
    return password;
  }

  /** Read from a file or the environment, never from the command line, which other users can read. */
  private String readPassword() {
    if (dbPasswordFile != null) {
      try {
        return java.nio.file.Files.readAllLines(dbPasswordFile).stream().findFirst().orElse("").strip();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("--db-password-file: cannot read " + dbPasswordFile + ": " + e.getMessage());
      }
    }
    return dbPasswordEnv == null || dbPasswordEnv.isEmpty() ? null : System.getenv(dbPasswordEnv);
  }

  int poolSize() {
    return poolSize;
  }

  long poolTimeoutMillis() {
    return poolTimeoutMillis;
  }

  long dbTimeoutMillis() {
    return dbTimeoutMillis;
  }

  long breakerOpenMillis() {
    return breakerOpenMillis;
  }

  String redis() {
    return redis;
  }

  List<String> redisSentinels() {
    return redisSentinels == null ? List.of()
        : Arrays.stream(redisSentinels.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  String redisMaster() {
    return redisMaster;
  }

  long cacheTtlMillis() {
    return cacheTtlMillis;
  }

  int cacheTimeoutMillis() {
    return cacheTimeoutMillis;
  }

  String store() {
    return store;
  }

  long storeTimeoutMillis() {
    return storeTimeoutMillis;
  }

  int retryAttempts() {
    return noRetry ? 1 : retryAttempts;
  }

  long retryInitialMillis() {
    return retryInitialMillis;
  }

  long retryMaxMillis() {
    return retryMaxMillis;
  }

  int threads() {
    return threads;
  }

  boolean retry() {
    return !noRetry;
  }

  boolean cacheFallback() {
    return !noCacheFallback;
  }

  boolean breaker() {
    return !noBreaker;
  }

  boolean poolTimeout() {
    return !noPoolTimeout;
  }

  boolean failover() {
    return !noFailover;
  }

  boolean replicaReads() {
    return !noReplicaReads;
  }

  /** The switches as /stats shows them: true when the behaviour is on. */
  java.util.Map<String, Object> switches() {
    java.util.Map<String, Object> m = new java.util.TreeMap<>();
    m.put("retry", retry());
    m.put("cache_fallback", cacheFallback());
    m.put("breaker", breaker());
    m.put("pool_timeout", poolTimeout());
    m.put("failover", failover());
    m.put("replica_reads", replicaReads());
    return m;
  }
}
