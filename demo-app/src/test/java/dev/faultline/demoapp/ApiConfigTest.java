package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags and the JDBC URLs they make: failover through pgjdbc's server list, or the first server only. */
class ApiConfigTest {
  @TempDir Path dir;

  @Test
  void serversComeAsAListOrFromAJdbcUrl() {
    DbServers list = DbServers.parse("127.0.0.1:5432, 127.0.0.1:5433", "postgres");
    assertEquals(List.of("127.0.0.1:5432", "127.0.0.1:5433"), list.hosts());
    DbServers url = DbServers.parse("jdbc:postgresql://127.0.0.1:15001,127.0.0.1:15002/shop?targetServerType=primary&x=1", "postgres");
    assertEquals(List.of("127.0.0.1:15001", "127.0.0.1:15002"), url.hosts());
    assertEquals("shop", url.database());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DbServers.parse("localhost", "postgres"));
    assertTrue(e.getMessage().contains("'localhost' is not host:port"), e.getMessage());
  }

  @Test
  void failoverListsEveryServerAndWithoutItOnlyTheFirstIsUsed() {
    DbServers s = DbServers.parse("127.0.0.1:5432,127.0.0.1:5433", "postgres");
    String primary = s.primaryUrl(true, 5);
    assertTrue(primary.startsWith("jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/postgres?targetServerType=primary"), primary);
    assertTrue(primary.contains("socketTimeout=5") && primary.contains("connectTimeout=2"), primary);
    assertTrue(s.readerUrl(true, 5).contains("targetServerType=preferSecondary"));
    String single = s.primaryUrl(false, 5);
    assertTrue(single.startsWith("jdbc:postgresql://127.0.0.1:5432/postgres?"), single);
    assertFalse(single.contains("5433") || single.contains("targetServerType"), single);
    assertEquals(single, s.readerUrl(false, 5));
  }

  @Test
  void switchesAndDefaults() {
    ApiConfig on = ApiConfig.parse("--db", "127.0.0.1:5432");
    assertEquals(8080, on.port());
    assertEquals(6, on.retryAttempts());
    assertTrue(on.switches().values().stream().allMatch(Boolean.TRUE::equals), on.switches().toString());
    ApiConfig off = ApiConfig.parse("--db", "127.0.0.1:5432", "--no-retry", "--no-cache-fallback", "--no-breaker",
        "--no-pool-timeout", "--no-failover", "--no-replica-reads");
    assertTrue(off.switches().values().stream().allMatch(Boolean.FALSE::equals), off.switches().toString());
    assertEquals(1, off.retryAttempts());
  }

  @Test
  void thePasswordComesFromAFileOrTheEnvironmentNeverTheCommandLine() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "s3cret\nignored\n");
    assertEquals("s3cret", ApiConfig.parse("--db", "127.0.0.1:1", "--db-password-file", file.toString()).dbPassword());
    assertNull(ApiConfig.parse("--db", "127.0.0.1:1", "--db-password-env", "DEMO_APP_TEST_NO_SUCH_VARIABLE").dbPassword());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ApiConfig.parse("--db", "127.0.0.1:1", "--db-password-file", dir.resolve("missing").toString()));
    assertTrue(e.getMessage().contains("--db-password-file: cannot read"), e.getMessage());
  }

  @Test
  void redisIsDirectOrThroughSentinelsNotBoth() {
    assertThrows(IllegalArgumentException.class,
        () -> ApiConfig.parse("--db", "127.0.0.1:1", "--redis", "127.0.0.1:6379", "--redis-sentinels", "127.0.0.1:26379"));
    assertThrows(IllegalArgumentException.class, () -> ApiConfig.parse("--db", "127.0.0.1:1", "--redis", "6379"));
    assertEquals(List.of("127.0.0.1:1", "127.0.0.1:2"),
        ApiConfig.parse("--db", "127.0.0.1:1", "--redis-sentinels", "127.0.0.1:1,127.0.0.1:2").redisSentinels());
  }
}
