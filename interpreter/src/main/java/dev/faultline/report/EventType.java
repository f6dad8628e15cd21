package dev.faultline.report;

/** The kinds of event a run's journal holds; {@link #id()} is what report.json shows. */
public enum EventType {
  /** The run began; message {@code playbook NAME}, data: file, profile, dry_run (for a dry run). */
  RUN_STARTED("run.started"),
  /** A scenario began; data: tags. */
  SCENARIO_STARTED("scenario.started"),
  /** A step began. */
  STEP_STARTED("step.started"),
  /** A step ended, or was skipped; data: status, duration_ms, message (why it failed or was skipped). */
  STEP_ENDED("step.ended"),
  /** A scenario ended, or was skipped; data: status, duration_ms, message. */
  SCENARIO_ENDED("scenario.ended"),
  /** A fault was injected; message: what it does; data: id, kind, scope, target. */
  FAULT_INJECTED("fault.injected"),
  /** A dry run's fault: what would be injected, on which target, for how long, under which guards. */
  FAULT_PLANNED("fault.planned"),
  /** A fault was reverted; data as for {@link #FAULT_INJECTED}, and revert_us. */
  FAULT_REVERTED("fault.reverted"),
  /** Every attempt to revert a fault failed: it may still be in place; data adds error. */
  REVERT_FAILED("fault.revert_failed"),
  /** An {@code expect} held; message: its condition; data: detail (the values compared). */
  EXPECT_PASSED("expect.passed"),
  /** An {@code expect} (or an {@code await}) did not hold; message: why. */
  EXPECT_FAILED("expect.failed"),
  /** A {@code decide} took an arm; message: the arm's condition ({@code else}, {@code no arm matched}); data: arm. */
  DECISION("decision"),
  /** A {@code record}; data: name, value. */
  RECORD("record"),
  /** A {@code log} line, or a line a host function logged. */
  LOG("log"),
  /** Something a dry run did not do or could not decide; {@code data.kind} says what (call, wait, expect…). */
  PLANNED("plan"),
  /** A statement failed with an error; data: help, exception (an internal error's stack trace). */
  ERROR("error"),
  /** The run was aborted ({@code abort}, a breach, a limit, a signal); data: severity. */
  ABORTED("aborted"),
  /** A guard did not hold (or its condition failed); data: name, severity, condition, value, threshold, error, checked_at. */
  GUARD_BREACHED("guard.breached"),
  /** A limit ({@code max_duration}) was exceeded; data as for a guard breach. */
  LIMIT_EXCEEDED("limit.exceeded"),
  /** Every fault active at a breach was reverted; data adds faults_reverted, faults_failed, reverted_at, check_to_reverted_us. */
  BREACH_REVERTED("breach.reverted"),
  /** A statement or command typed at the REPL; the message is its text. */
  INPUT("repl.input"),
  /** What a REPL input gave: its value in words, or the error it ended with. */
  RESULT("repl.result"),
  /** A probe sample; data: probe, ok, latency_us, detail. */
  PROBE("probe"),
  /** Background traffic began; data: name, rate. */
  TRAFFIC_STARTED("traffic.started"),
  /** Background traffic ended; data: name and its figures over its whole life. */
  TRAFFIC_STOPPED("traffic.stopped"),
  /** An await after a fault succeeded; data: condition, recovery_ms, since_fault_ms. */
  RECOVERY("recovery"),
  /** A steady-state hypothesis was checked; data: name, when, held, deviations. */
  STEADY_STATE("steady_state"),
  /** A writer's acknowledgements compared with a database (failover, restore); data: what, lost, rpo_ms. */
  DATA_LOSS("data_loss"),
  /** An SLO target judged at a scenario's end; data: key, figure, value, target, measured, passed. */
  SLO("slo"),
  /** The run ended; message {@code exit N}; data: exit_code, duration_ms. */
  RUN_ENDED("run.ended");

  private final String id;

  EventType(String id) {
    this.id = id;
  }

  /** {@return the event's name in {@code report.json} and in the progress lines}: {@code fault.injected} */
  public String id() {
    return id;
  }
}
