package dev.faultline.stdlib.postgres;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.util.EnumSet;
import java.util.stream.Collectors;

/**
 * What the PostgreSQL tests share. They need the PostgreSQL server binaries; ./run-tests installs
 * them, or skips these tests with -Dfaultline.skip.postgres=true when it cannot. Without the property
 * and without the binaries the tests fail, saying how to get them.
 */
public final class PgTests {
  public static final String SKIP = "faultline.skip.postgres";

  private PgTests() {}

  /** For a class's shared cluster: false when the tests are skipped, so that no cluster is started. */
  public static boolean wanted() {
    return !Boolean.getBoolean(SKIP);
  }

  /** Call before each test (a skipped class-level start would hide the count of skipped tests). */
  public static void assumeServer() {
    assumeFalse(Boolean.getBoolean(SKIP), "PostgreSQL tests skipped (-D" + SKIP + "=true)");
    if (!PgBinaries.available()) {
      throw new AssertionError("the PostgreSQL tests need the server binaries: " + PgBinaries.HOW_TO_GET
          + "; or skip them with -D" + SKIP + "=true");
    }
  }

  public static RunOptions allowDb() {
    return RunOptions.builder().allow(EnumSet.of(Capability.DB, Capability.NET)).build();
  }

  public static RunResult run(Faultline faultline, String text) {
    return faultline.run("test.fl", text, allowDb());
  }

  public static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()
            + s.steps().stream().map(st -> "\n  " + st.name() + ": " + st.status() + " " + st.message()).collect(Collectors.joining()))
            .collect(Collectors.joining("\n"));
  }
}
