package dev.faultline.stdlib.hooks;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.nio.file.Path;

/** Runs one playbook in a child JVM for the tests that must end or kill a process: {@code FILE JOURNAL_DIR}. */
public final class HookRunMain {
  private HookRunMain() {}

  public static void main(String[] args) {
    RunResult r = Faultline.builder().standardLibrary().build()
        .run(Path.of(args[0]), RunOptions.builder().journalDir(Path.of(args[1])).build());
    r.scenarios().forEach(s -> {
      System.out.println("scenario " + s.id() + " " + s.status() + " " + s.message());
      s.steps().forEach(st -> System.out.println("  step " + st.name() + " " + st.status() + " " + st.message()));
    });
    r.error().ifPresent(d -> System.out.println("error " + d.message()));
    r.revertFailures().forEach(f -> System.out.println("revert failed " + f));
    System.out.println("exit " + r.exitCode());
    System.out.flush();
    System.exit(r.exitCode());
  }
}
