package dev.faultline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timestamped lines a run prints where no live progress line can be drawn: the exact format. */
class ProgressLogTest {
  private static final Instant T0 = Instant.parse("2026-11-23T07:45:01.123Z");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private ProgressLog log(boolean mask) {
    return new ProgressLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), mask);
  }

  private static Event event(long millis, EventType type, String scenario, String step, String message, Object... data) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < data.length; i += 2) map.put((String) data[i], data[i + 1]);
    return new Event(T0.plusMillis(millis), millis * 1_000_000, type, scenario, step, message, null, map);
  }

  private static Event[] aBreachedRun() {
    return new Event[] {
        event(0, EventType.RUN_STARTED, null, null, "playbook checkout", "file", "playbooks/checkout.fl", "profile", "staging"),
        event(2, EventType.SCENARIO_STARTED, "db.down", null, "db.down", "tags", java.util.List.of("smoke")),
        event(3, EventType.STEP_STARTED, "db.down", "stop primary", "stop primary"),
        event(4, EventType.LOG, "db.down", "stop primary", "not a progress event"),
        event(7, EventType.FAULT_INJECTED, "db.down", "stop primary", "stop postgres primary", "id", 1, "kind", "docker.stop"),
        event(10, EventType.DECISION, "db.down", "stop primary", "when lag > 5s", "arm", 0),
        event(1178, EventType.GUARD_BREACHED, "db.down", "stop primary", "guard \"errors\" breached",
            "kind", "guard", "name", "errors", "severity", "P2", "condition", "error_rate < 5%", "error", null, "value", "40%", "threshold", "5%"),
        event(1179, EventType.FAULT_REVERTED, "db.down", "stop primary", "stop postgres primary", "id", 1, "revert_us", 412L),
        event(1180, EventType.BREACH_REVERTED, "db.down", "stop primary", "the active fault was reverted",
            "faults_reverted", 1, "faults_failed", 0, "check_to_reverted_us", 1520L),
        event(1181, EventType.ABORTED, "db.down", "stop primary", "aborted P2: guard \"errors\" breached"),
        event(1182, EventType.STEP_ENDED, "db.down", "stop primary", "stop primary aborted",
            "status", "aborted", "duration_ms", 1179L, "message", "aborted P2: guard \"errors\" breached"),
        event(1183, EventType.STEP_ENDED, "db.down", "check writes", "check writes skipped",
            "status", "skipped", "duration_ms", 0L, "message", "not run: the run was aborted"),
        event(1184, EventType.SCENARIO_ENDED, "db.down", null, "db.down aborted", "status", "aborted", "duration_ms", 1182L, "message", ""),
        event(1190, EventType.RUN_ENDED, null, null, "exit 3", "exit_code", 3, "duration_ms", 1190L),
    };
  }

  @Test
  void oneTimestampedLinePerProgressEvent() {
    ProgressLog log = log(false);
    for (Event e : aBreachedRun()) log.on(e);
    assertEquals("""
        2026-11-23T07:45:01.123Z run.started      "checkout" playbooks/checkout.fl, profile staging
        2026-11-23T07:45:01.125Z scenario.started "db.down"
        2026-11-23T07:45:01.126Z step.started     "db.down" / "stop primary"
        2026-11-23T07:45:01.130Z fault.injected   "db.down" / "stop primary": #1 stop postgres primary
        2026-11-23T07:45:01.133Z decision         "db.down" / "stop primary": when lag > 5s
        2026-11-23T07:45:02.301Z guard.breached   "db.down" / "stop primary": guard "errors" (P2): value 40%, threshold 5%
        2026-11-23T07:45:02.302Z fault.reverted   "db.down" / "stop primary": #1 stop postgres primary
        2026-11-23T07:45:02.303Z breach.reverted  "db.down" / "stop primary": the active fault was reverted, 1.52ms after the check
        2026-11-23T07:45:02.304Z aborted          "db.down" / "stop primary": aborted P2: guard "errors" breached
        2026-11-23T07:45:02.305Z step.ended       "db.down" / "stop primary": aborted in 1.179s - aborted P2: guard "errors" breached
        2026-11-23T07:45:02.306Z step.ended       "db.down" / "check writes": skipped - not run: the run was aborted
        2026-11-23T07:45:02.307Z scenario.ended   "db.down": aborted in 1.182s
        2026-11-23T07:45:02.313Z run.ended        exit 3 in 1.19s
        """, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void maskedTimesAndDurationsForGoldenComparison() {
    ProgressLog log = log(true);
    Event[] run = aBreachedRun();
    log.on(run[0]);
    log.on(run[10]);
    log.on(run[13]);
    assertEquals("""
        <time> run.started      "checkout" playbooks/checkout.fl, profile staging
        <time> step.ended       "db.down" / "stop primary": aborted in <dur> - aborted P2: guard "errors" breached
        <time> run.ended        exit 3 in <dur>
        """, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void messagesNeverBreakTheLineOrReachTheTerminal() {
    ProgressLog log = log(false);
    log.on(event(0, EventType.FAULT_REVERTED, null, null, "ran \"x\"\r\nprogress 50%\u001b[2K done", "id", 3));
    assertEquals("2026-11-23T07:45:01.123Z fault.reverted   #3 ran \"x\"  progress 50% [2K done\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aDryRunShowsNoDurationsAndAFailedRevertSaysWhatMayRemain() {
    ProgressLog log = log(false);
    log.on(event(0, EventType.RUN_STARTED, null, null, "playbook p", "file", "p.fl", "profile", null, "dry_run", "plan"));
    log.on(event(1, EventType.FAULT_PLANNED, "s", "x", "svc.outage(status: 503)", "id", 1));
    log.on(event(2, EventType.STEP_ENDED, "s", "x", "x passed", "status", "passed", "duration_ms", 2L, "message", ""));
    log.on(event(3, EventType.REVERT_FAILED, null, null, "could not revert config replaced: refused", "id", 2));
    assertEquals("""
        2026-11-23T07:45:01.123Z run.started      "p" p.fl, dry run
        2026-11-23T07:45:01.124Z fault.planned    "s" / "x": #1 svc.outage(status: 503)
        2026-11-23T07:45:01.125Z step.ended       "s" / "x": passed
        2026-11-23T07:45:01.126Z fault.revert_failed #2 could not revert config replaced: refused (it may still be in place)
        """, bytes.toString(StandardCharsets.UTF_8));
  }
}
