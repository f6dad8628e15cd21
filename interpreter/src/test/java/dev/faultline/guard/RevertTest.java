package dev.faultline.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.ExitCode;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reverts that throw, hang or find their target gone: reported, bounded, and never in the way of the others. */
@Timeout(30)
class RevertTest {
  private final SafetyFaults sys = new SafetyFaults();
  private final Faultline faultline = Faultline.builder().library(sys).build();

  private RunResult run(String body, RunOptions options) {
    return faultline.run("r.fl", "playbook \"r\" {\n" + body + "\n}\n", options);
  }

  private static List<Event> events(RunResult r, EventType type) {
    return r.events().stream().filter(e -> e.type() == type).toList();
  }

  @Test
  void aRevertThatThrowsIsRetriedAndMaySucceed() {
    RunResult r = run("scenario \"s\" { step \"x\" { inject sys.throwing(\"busy\", 2) } }", RunOptions.defaults());
    assertEquals(0, r.exitCode());
    assertEquals(3, sys.log.stream().filter(l -> l.startsWith("revert busy")).count(), "two failures, then success");
  }

  @Test
  void aRevertThatKeepsThrowingExitsFourAndTheOthersAreReverted() {
    RunResult r = run("""
        scenario "s" { step "x" {
          inject sys.fault("a")
          inject sys.throwing("stuck", 99)
          inject sys.fault("c")
        } }
        """, RunOptions.defaults());
    assertEquals(ExitCode.REVERT_FAILED, r.exitCode());
    assertEquals(3, sys.log.stream().filter(l -> l.startsWith("revert stuck")).count(), "retried, bounded");
    assertTrue(sys.log.contains("revert a on faultline-revert"));
    assertTrue(sys.log.contains("revert c on faultline-revert"));
    assertEquals(List.of("stuck: the target is busy"), r.revertFailures());
  }

  @Test
  void aHangingRevertIsBoundedByItsTimeoutAndTheOthersProceed() {
    long t0 = System.nanoTime();
    RunResult r = run("""
        scenario "s" { step "x" {
          inject sys.fault("a")
          inject sys.hanging("frozen")
          inject sys.fault("c")
        } }
        scenario "next" { step "y" { inject sys.fault("d") } }
        """, RunOptions.builder().revertTimeout(Duration.ofMillis(200)).build());
    long took = System.nanoTime() - t0;
    assertEquals(ExitCode.REVERT_FAILED, r.exitCode());
    assertTrue(took < Duration.ofSeconds(3).toNanos(), "one timeout, not a hang: " + took / 1_000_000 + "ms");
    assertEquals(List.of("inject a", "inject frozen", "inject c", "revert c on faultline-revert", "revert frozen on faultline-revert",
        "revert a on faultline-revert", "inject d", "revert d on faultline-revert"), sys.log,
        "the hung revert was tried once; the reverts after it and the next scenario went on");
    assertEquals(List.of("frozen: the revert did not finish within 200ms"), r.revertFailures());
  }

  @Test
  void aRevertWhoseTargetIsGoneIsReportedOnceAndDoesNotStopTheOthers() {
    RunResult r = run("""
        scenario "s" { step "x" {
          inject sys.fault("a")
          inject sys.gone("c1")
          inject sys.fault("c")
        } }
        """, RunOptions.defaults());
    assertEquals(ExitCode.REVERT_FAILED, r.exitCode());
    assertEquals(List.of("inject a", "inject c1", "inject c", "revert c on faultline-revert", "revert c1 on faultline-revert",
        "revert a on faultline-revert"), sys.log, "a gone target is not asked again");
    Event failed = events(r, EventType.REVERT_FAILED).get(0);
    assertEquals("container c1 no longer exists", failed.data().get("error"));
  }

  @Test
  void aRevertIsNotCutShortByTheRunsCancellation() {
    // The breach cancels the run; the reverts that follow still get their full time.
    sys.healthy = true;
    Thread breaker = new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
      sys.healthy = false;
    });
    breaker.start();
    RunResult r = run("""
        guard "ok" every 100ms { health.ok() } else abort P2
        scenario "s" { step "x" { inject sys.throwing("busy", 1); wait 30s } }
        """, RunOptions.defaults());
    assertEquals(ExitCode.ABORTED, r.exitCode());
    assertEquals(List.of(), r.revertFailures(), "the retry after the breach succeeded");
  }
}
