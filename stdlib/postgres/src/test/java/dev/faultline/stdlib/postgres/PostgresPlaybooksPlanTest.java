package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.EventType;
import dev.faultline.run.DryRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The database playbooks check and plan without any PostgreSQL server: a dry run starts no cluster,
 * injects nothing, and lists the faults it would inject. Runs even where the server tests are skipped.
 */
class PostgresPlaybooksPlanTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  @ParameterizedTest
  @ValueSource(strings = {"postgres-failover.fl", "postgres-latency.fl", "postgres-pool-exhaustion.fl"})
  void aDryRunPlansTheFaultsAndStartsNothing(String file) {
    RunResult r = faultline.run(Path.of("../../playbooks", file), RunOptions.builder().dryRun(DryRun.PLAN).build());
    assertEquals(0, r.exitCode(), PgTests.explain(r));
    assertTrue(r.events().stream().anyMatch(e -> e.type() == EventType.FAULT_PLANNED), "no fault planned");
    assertEquals(List.of(), r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).toList());
    assertTrue(r.events().stream().noneMatch(e -> e.type() == EventType.LOG && e.message().startsWith("started pg_cluster")),
        "a cluster was started in a dry run");
  }
}
