package dev.faultline.stdlib.redis;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.nio.file.Path;
import java.util.EnumSet;

/** Runs one playbook in a child JVM for the tests that kill the run: {@code FILE JOURNAL_DIR}, with the 'db' permission. */
public final class RedisRunMain {
  private RedisRunMain() {}

  public static void main(String[] args) {
    RunResult r = Faultline.builder().standardLibrary().build()
        .run(Path.of(args[0]), RunOptions.builder().journalDir(Path.of(args[1])).allow(EnumSet.of(Capability.DB)).build());
    System.out.println(RedisTests.explain(r));
    System.out.flush();
    System.exit(r.exitCode());
  }
}
