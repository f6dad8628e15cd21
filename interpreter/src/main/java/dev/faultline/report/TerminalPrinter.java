package dev.faultline.report;

import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.run.StepResult;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.value.Values;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints a run as it happens, for a person at a terminal: one block per scenario with its steps,
 * what happened inside them, and at the end a summary, the failures as diagnostics and a totals
 * line. The format is pinned by the golden files in {@code playbooks/tests/run/*.out}:
 *
 * <pre>
 * playbook "checkout" (playbooks/checkout.fl), profile staging
 *
 * scenario "db.down" [smoke, db]
 *   step "stop primary"
 *     inject  stop postgres primary
 *     record  failover_time = 1.2s
 *     revert  stop postgres primary
 *   PASS  step "stop primary" (1.3s)
 *   FAIL  step "check writes" (15ms) - expected writes > 0 (0 > 0)
 *   SKIP  step "verify replica" - not run: an earlier step failed
 *   FAIL  scenario "db.down" (1.4s)
 * </pre>
 *
 * <p>A dry run prints the same shape: what it did not do on lines of their own ({@code call},
 * {@code probe}, {@code wait}, {@code expect} …), each planned fault with its target, duration and
 * guards, PLAN for a step planned without error, and no elapsed times.
 *
 * <p>Rationale: the status word comes first and is always one of PASS, FAIL, SKIP, ABORT, so that
 * an on-call engineer can scan a long run by its left edge; a failure's message sits on its line.
 *
 * <p>Threading: events arrive on the evaluating thread and on timer threads (timed reverts); every
 * method is synchronized, and each line is flushed as soon as it is complete.
 */
public final class TerminalPrinter implements RunListener {
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[1;31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String MAGENTA = "\u001b[1;35m";

  private final PrintStream out;
  private final boolean colour;
  private final boolean maskDurations;
  private final boolean shortErrors;
  private final Map<String, SourceFile> sources;

  /** Whether the running scenario already showed why it failed, on a step's line. */
  private boolean failureShown;
  /** Whether this is a dry run: a step that was planned without error shows PLAN, not PASS. */
  private boolean dryRun;

  private TerminalPrinter(Builder b) {
    this.out = b.out;
    this.colour = b.colour;
    this.maskDurations = b.maskDurations;
    this.shortErrors = b.shortErrors;
    this.sources = Map.copyOf(b.sources);
  }

  /**
   * {@return a builder of a printer without colour, masking or short errors}
   *
   * @param out where the lines go; flushed after each line
   */
  public static Builder builder(PrintStream out) {
    return new Builder(out);
  }

  /** Options for the printer; every setter returns the builder. */
  public static final class Builder {
    private final PrintStream out;
    private boolean colour;
    private boolean maskDurations;
    private boolean shortErrors;
    private Map<String, SourceFile> sources = Map.of();

    private Builder(PrintStream out) {
      this.out = out;
    }

    /**
     * Turns ANSI colours on or off; the command line asks for them only on a terminal without NO_COLOR.
     *
     * @param value whether to colour
     * @return this builder
     */
    public Builder colour(boolean value) {
      colour = value;
      return this;
    }

    /**
     * Makes every elapsed time and duration-valued record print as {@code <dur>}, for golden files.
     *
     * @param value whether to mask
     * @return this builder
     */
    public Builder maskDurations(boolean value) {
      maskDurations = value;
      return this;
    }

    /**
     * Makes failures print as headlines only, as {@code --errors=short} asks.
     *
     * @param value whether to print headlines only
     * @return this builder
     */
    public Builder shortErrors(boolean value) {
      shortErrors = value;
      return this;
    }

    /**
     * Gives the playbook's files, to quote the failing line under each failure.
     *
     * @param value the files by display name, as {@link dev.faultline.run.LoadedPlaybook#sources()} holds them
     * @return this builder
     */
    public Builder sources(Map<String, SourceFile> value) {
      sources = value;
      return this;
    }

    /** {@return the printer} */
    public TerminalPrinter build() {
      return new TerminalPrinter(this);
    }
  }

  // ------------------------------------------------------------ live

  @Override
  public synchronized void on(Event e) {
    Map<String, Object> data = e.data();
    String indent = e.step() != null ? "    " : "  ";
    switch (e.type()) {
      case RUN_STARTED -> {
        String name = e.message().startsWith("playbook ") ? e.message().substring("playbook ".length()) : e.message();
        StringBuilder line = new StringBuilder(paint(BOLD, "playbook \"" + name + "\""));
        if (data.get("file") != null) line.append(" (").append(data.get("file")).append(')');
        if (data.get("profile") != null) line.append(", profile ").append(data.get("profile"));
        println(line.toString());
        if (data.get("dry_run") != null) {
          dryRun = true;
          println(paint(BOLD, "dry run") + ": nothing is injected, started or waited for; "
              + ("probes".equals(data.get("dry_run")) ? "probes, which only read, do run" : "probes do not run (--dry-run=probes runs them)"));
        }
      }
      case SCENARIO_STARTED -> {
        failureShown = false;
        println("");
        println(paint(BOLD, "scenario \"" + e.scenario() + "\"") + tags(data.get("tags")));
      }
      case STEP_STARTED -> println("  step \"" + e.step() + "\"");
      case STEP_ENDED -> stepEnded(e, data);
      case SCENARIO_ENDED -> scenarioEnded(e, data);
      case LOG -> inner(indent, "log", e.message(), null);
      case RECORD -> inner(indent, "record", data.get("name") + " = " + shownValue(String.valueOf(data.get("value"))), null);
      case DECISION -> inner(indent, "decide", e.message(), null);
      case FAULT_INJECTED -> inner(indent, "inject", e.message(), null);
      case FAULT_PLANNED -> planned(indent, e, data);
      case PLANNED -> inner(indent, String.valueOf(data.get("kind")), e.message(), null);
      case FAULT_REVERTED -> inner(indent, "revert", e.message(), null);
      case REVERT_FAILED -> inner(indent, "revert", "FAILED - " + e.message() + " (it may still be in place)", RED);
      case EXPECT_FAILED, ERROR -> {
        // A failure at a known place inside a scenario is shown on its step's or scenario's line.
        if (e.at() == null || e.scenario() == null) inner(indent, "error", e.message(), RED);
      }
      case ABORTED -> {
        if (e.at() == null || e.scenario() == null) inner(indent, "abort", e.message(), MAGENTA);
      }
      case GUARD_BREACHED, LIMIT_EXCEEDED -> breach(indent, e, data);
      case BREACH_REVERTED -> {
        Object us = data.get("check_to_reverted_us");
        String took = maskDurations ? Masks.DURATION
            : us instanceof Number n ? Values.show(Duration.ofNanos(n.longValue() * 1000)) : "?";
        boolean failed = data.get("faults_failed") instanceof Number n && n.longValue() > 0;
        boolean none = Integer.valueOf(0).equals(data.get("faults_reverted")) && !failed;
        inner(indent, "revert", none ? e.message() : e.message() + ", " + took + " after the check", failed ? RED : null);
      }
      case TRAFFIC_STARTED, TRAFFIC_STOPPED -> inner(indent, "traffic", measured(e.message()), null);
      case STEADY_STATE -> inner(indent, "steady", e.message(), Boolean.TRUE.equals(data.get("held")) ? null : RED);
      case SLO -> {
        // A target with nothing to judge is in the report only; judged ones are shown, violations in red.
        if (Boolean.TRUE.equals(data.get("measured"))) inner(indent, "slo", measured(e.message()), Boolean.TRUE.equals(data.get("passed")) ? null : RED);
      }
      case EXPECT_PASSED, RUN_ENDED, PROBE, RECOVERY, DATA_LOSS -> { }
    }
  }

  /** A line with measured durations, masked for golden files. */
  private String measured(String text) {
    return maskDurations ? Masks.durationsIn(text) : text;
  }

  /**
   * A breach, as a block an on-call engineer cannot miss: which guard or limit, its severity, what
   * was seen against what was allowed, and when the check ran. The reverts follow as usual.
   */
  private void breach(String indent, Event e, Map<String, Object> data) {
    boolean guard = "guard".equals(data.get("kind"));
    String name = guard ? "guard \"" + data.get("name") + "\"" : String.valueOf(data.get("name"));
    inner(indent, "BREACH", name + " (" + data.get("severity") + ")", RED);
    String pad = indent + " ".repeat(10);
    if (guard) {
      println(pad + "condition  " + data.get("condition"));
      if (data.get("error") != null) {
        println(pad + "error      " + data.get("error"));
      } else {
        println(pad + "value      " + shownValue(String.valueOf(data.get("value"))));
        if (data.get("threshold") != null) println(pad + "threshold  " + shownValue(String.valueOf(data.get("threshold"))));
      }
    } else {
      println(pad + "limit      " + data.get("condition"));
      println(pad + "elapsed    " + shownValue(String.valueOf(data.get("value"))));
    }
    println(pad + "checked    " + (maskDurations ? Masks.TIME : data.get("checked_at")));
  }

  private void stepEnded(Event e, Map<String, Object> data) {
    Status status = status(data.get("status"));
    String message = String.valueOf(data.getOrDefault("message", ""));
    StringBuilder line = new StringBuilder("  ").append(word(status)).append(' ').append("step \"").append(e.step()).append('"');
    // A dry run's times measure the planning, not the playbook: they are left out.
    if (status != Status.SKIPPED && !dryRun) line.append(" (").append(millis(data.get("duration_ms"))).append(')');
    if (!message.isEmpty()) line.append(" - ").append(message);
    if (status == Status.FAILED || status == Status.ABORTED) failureShown = true;
    println(line.toString());
  }

  private void scenarioEnded(Event e, Map<String, Object> data) {
    Status status = status(data.get("status"));
    String message = String.valueOf(data.getOrDefault("message", ""));
    if (status == Status.SKIPPED) {
      // A scenario skipped as a whole never started: it gets its header here.
      println("");
      println(paint(BOLD, "scenario \"" + e.scenario() + "\""));
      println("  " + word(status) + " " + message);
      return;
    }
    StringBuilder line = new StringBuilder("  ").append(word(status)).append(" scenario \"").append(e.scenario()).append('"');
    if (!dryRun) line.append(" (").append(millis(data.get("duration_ms"))).append(')');
    if (!failureShown && !message.isEmpty()) line.append(" - ").append(message);
    println(line.toString());
  }

  /**
   * A dry run's fault, one fact a line: what, where, for how long, watched by which guards.
   *
   * <pre>
   *     inject  svc.outage(status: 503)
   *             target  &lt;planned: demo.service(name: "shop")&gt;
   *             for     1s, then reverted
   *             guards  none declared
   * </pre>
   */
  private void planned(String indent, Event e, Map<String, Object> data) {
    String more = indent + " ".repeat(8);
    inner(indent, "inject", e.message(), null);
    Object target = data.get("target");
    inner(more, "target", target == null || target.toString().isEmpty() ? "not known before the run" : target.toString(), null);
    if (data.get("for") != null) inner(more, "for", data.get("for") + ", then reverted", null);
    else inner(more, "until", String.valueOf(data.get("until")) + ", then reverted", null);
    List<String> guards = new ArrayList<>();
    if (data.get("guards") instanceof List<?> list) {
      for (Object g : list) {
        if (g instanceof Map<?, ?> m) guards.add("\"" + m.get("name") + "\" every " + m.get("every"));
      }
    }
    inner(more, "guards", guards.isEmpty() ? "none declared" : String.join(", ", guards), null);
  }

  private void inner(String indent, String kind, String text, String style) {
    String padded = kind + " ".repeat(Math.max(1, 8 - kind.length()));
    println(indent + (style == null ? padded + text : paint(style, padded + text)));
  }

  // ------------------------------------------------------------ end of run

  /**
   * Prints the summary per scenario, recorded values, failures as diagnostics and the totals line.
   *
   * @param result the ended run's result
   */
  public synchronized void summary(RunResult result) {
    println("");
    println(paint(BOLD, "summary"));
    int width = 0;
    for (ScenarioResult s : result.scenarios()) width = Math.max(width, Math.min(40, s.id().length()));
    if (result.scenarios().isEmpty()) println("  no scenario was selected");
    for (ScenarioResult s : result.scenarios()) {
      StringBuilder line = new StringBuilder("  ").append(word(s.status())).append(' ')
          .append(s.id()).append(" ".repeat(Math.max(0, width - s.id().length())));
      if (s.status() != Status.SKIPPED) {
        long passed = s.steps().stream().filter(x -> x.status() == Status.PASSED).count();
        line.append("  ").append(passed).append('/').append(s.steps().size())
            .append(s.steps().size() == 1 ? " step" : " steps");
        if (result.isDryRun()) line.append(" planned").append(faults(plannedFaults(result, s.id())));
        else line.append(" passed (").append(show(s.duration())).append(')');
      }
      if (!s.message().isEmpty()) line.append(" - ").append(s.message());
      println(line.toString());
      for (var r : s.records().entrySet()) println("        " + r.getKey() + " = " + showRecord(r.getValue()));
    }
    if (!result.records().isEmpty()) {
      println("  playbook records");
      for (var r : result.records().entrySet()) println("        " + r.getKey() + " = " + showRecord(r.getValue()));
    }

    List<Diagnostic> failures = failures(result);
    if (!failures.isEmpty()) {
      println("");
      println(paint(BOLD, "failures"));
      DiagnosticRenderer renderer = new DiagnosticRenderer(sources, shortErrors, colour);
      for (int i = 0; i < failures.size(); i++) {
        if (i > 0 && !shortErrors) println("");
        print(renderer.render(failures.get(i)));
      }
    }

    if (!result.revertFailures().isEmpty()) {
      println("");
      int n = result.revertFailures().size();
      println(paint(RED, (n == 1 ? "1 fault" : n + " faults") + " could not be reverted and may still be in place:"));
      for (String f : result.revertFailures()) println(paint(RED, "  - " + f));
    }

    println("");
    int total = result.scenarios().size();
    if (result.isDryRun()) {
      println(paint(BOLD, total + (total == 1 ? " scenario: " : " scenarios: ")
          + result.count(Status.PASSED) + " planned, " + result.count(Status.FAILED) + " failed, "
          + result.count(Status.SKIPPED) + " skipped, " + result.count(Status.ABORTED) + " aborted; "
          + faults(plannedFaults(result, null)).substring(2) + " planned, nothing was injected (dry run)"));
      return;
    }
    println(paint(BOLD, total + (total == 1 ? " scenario: " : " scenarios: ")
        + result.count(Status.PASSED) + " passed, " + result.count(Status.FAILED) + " failed, "
        + result.count(Status.SKIPPED) + " skipped, " + result.count(Status.ABORTED) + " aborted in "
        + show(result.duration())));
  }

  /** How many faults a dry run planned in a scenario, or in the whole run when {@code scenario} is null. */
  private static long plannedFaults(RunResult result, String scenario) {
    return result.events().stream()
        .filter(e -> e.type() == EventType.FAULT_PLANNED && (scenario == null || scenario.equals(e.scenario()))).count();
  }

  private static String faults(long n) {
    return ", " + (n == 0 ? "no fault" : n == 1 ? "1 fault" : n + " faults");
  }

  /** Every failure with a place, in run order: the setup's, then each scenario's and step's. */
  private static List<Diagnostic> failures(RunResult result) {
    List<Diagnostic> out = new ArrayList<>();
    result.error().ifPresent(d -> out.add(d.withNote("in the playbook's setup, before any scenario")));
    for (ScenarioResult s : result.scenarios()) {
      for (StepResult step : s.steps()) {
        if (step.status() != Status.FAILED && step.status() != Status.ABORTED) continue;
        Diagnostic d = step.error().orElseGet(() -> Diagnostic.error(position(step.at()), step.message()));
        out.add(d.withNote("in scenario \"" + s.id() + "\", step \"" + step.name() + "\""));
      }
      s.error().ifPresent(d -> out.add(d.withNote("in scenario \"" + s.id() + "\", outside any step")));
    }
    return out;
  }

  /** Reads back a {@code file:line:col} place; the file name itself may hold colons. */
  static Position position(String at) {
    if (at == null) return Position.NONE;
    int c2 = at.lastIndexOf(':');
    int c1 = c2 > 0 ? at.lastIndexOf(':', c2 - 1) : -1;
    try {
      if (c1 > 0) return Position.of(at.substring(0, c1), Integer.parseInt(at.substring(c1 + 1, c2)), Integer.parseInt(at.substring(c2 + 1)));
    } catch (NumberFormatException ignored) {
      // Not a place inside a file: fall through and show it as a name.
    }
    return new Position(at, 0, 0, 0);
  }

  // ------------------------------------------------------------ helpers

  private String word(Status status) {
    return switch (status) {
      case PASSED -> paint(GREEN, dryRun ? "PLAN " : "PASS ");
      case FAILED -> paint(RED, "FAIL ");
      case SKIPPED -> paint(YELLOW, "SKIP ");
      case ABORTED -> paint(MAGENTA, "ABORT");
    };
  }

  private static Status status(Object word) {
    for (Status s : Status.values()) if (s.word().equals(word)) return s;
    return Status.FAILED;
  }

  private static String tags(Object tags) {
    if (!(tags instanceof List<?> list) || list.isEmpty()) return "";
    List<String> words = new ArrayList<>();
    for (Object t : list) words.add(String.valueOf(t));
    return " [" + String.join(", ", words) + "]";
  }

  private String millis(Object ms) {
    return ms instanceof Number n ? show(Duration.ofMillis(n.longValue())) : "?";
  }

  /**
   * Elapsed times to the millisecond: 15ms, 1.5s, 2m. Rationale: finer digits are noise to a
   * person; "0s" would read as "did nothing", so a shorter time shows as "<1ms".
   */
  private String show(Duration d) {
    if (maskDurations) return Masks.DURATION;
    return d.toMillis() == 0 ? "<1ms" : Values.show(Duration.ofMillis(d.toMillis()));
  }

  private String shownValue(String shown) {
    return maskDurations && Masks.isDuration(shown) ? Masks.DURATION : shown;
  }

  private String showRecord(Object value) {
    return maskDurations && value instanceof Duration ? Masks.DURATION : Values.showNested(value);
  }

  private String paint(String style, String text) {
    return colour ? style + text + RESET : text;
  }

  private void println(String line) {
    out.print(line);
    out.print('\n');
    out.flush();
  }

  private void print(String text) {
    out.print(text);
    out.flush();
  }
}
