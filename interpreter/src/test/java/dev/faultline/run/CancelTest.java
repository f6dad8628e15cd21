package dev.faultline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ctrl-C and SIGTERM cancel a run: it ends as aborted, and its rollback blocks still run. */
class CancelTest {
  @Test
  void rollbackBlocksRunAfterACancel() throws Exception {
    Faultline faultline = Faultline.builder().build();
    LoadedPlaybook playbook = faultline.load("cancel.fl", """
        playbook "cancel" {
          rollback { log "playbook rollback" }
          scenario "s" {
            rollback { log "scenario rollback" }
            step "waits" {
              rollback { log "step rollback" }
              log "waiting"
              wait 30s
            }
          }
        }
        """);
    PlaybookRun run = faultline.start(playbook, RunOptions.defaults());
    Thread canceller = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException ignored) {
        return;
      }
      run.cancel("stopped by a signal");
    });
    canceller.start();
    RunResult result = run.execute();
    assertEquals(ExitCode.ABORTED, result.exitCode());
    List<String> logs = result.events().stream().filter(e -> e.type() == EventType.LOG).map(e -> e.message()).toList();
    assertEquals(List.of("waiting", "step rollback", "scenario rollback", "playbook rollback"), logs);
    assertTrue(result.scenarios().get(0).steps().get(0).message().contains("stopped by a signal"));
  }
}
