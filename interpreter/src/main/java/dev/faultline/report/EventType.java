package dev.faultline.report;

/** The kinds of event a run's journal holds; {@link #id()} is what report.json shows. */
public enum EventType {
  RUN_STARTED("run.started"),
  SCENARIO_STARTED("scenario.started"),
  STEP_STARTED("step.started"),
  STEP_ENDED("step.ended"),
  SCENARIO_ENDED("scenario.ended"),
  FAULT_INJECTED("fault.injected"),
  /** A dry run's fault: what would be injected, on which target, for how long, under which guards. */
  FAULT_PLANNED("fault.planned"),
  FAULT_REVERTED("fault.reverted"),
  REVERT_FAILED("fault.revert_failed"),
  EXPECT_PASSED("expect.passed"),
  EXPECT_FAILED("expect.failed"),
  DECISION("decision"),
  RECORD("record"),
  LOG("log"),
  /** Something a dry run did not do or could not decide; {@code data.kind} says what (call, wait, expect…). */
  PLANNED("plan"),
  ERROR("error"),
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
  RUN_ENDED("run.ended");

  private final String id;

  EventType(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
