package dev.faultline.report;

import dev.faultline.value.Values;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The progress of a run as plain lines, one per event, each starting with the time it happened:
 * what {@code faultline run} prints where no live progress line can be drawn (a pipe, a CI log).
 * The format is stable, so that logs can be searched and compared:
 *
 * <pre>
 * 2026-11-23T07:45:01.123Z run.started      "checkout" playbooks/checkout.fl, profile staging
 * 2026-11-23T07:45:01.125Z scenario.started "db.down"
 * 2026-11-23T07:45:01.126Z step.started     "db.down" / "stop primary"
 * 2026-11-23T07:45:01.130Z fault.injected   "db.down" / "stop primary": #1 stop postgres primary
 * 2026-11-23T07:45:02.301Z decision         "db.down" / "stop primary": when lag &gt; 5s
 * 2026-11-23T07:45:02.431Z fault.reverted   "db.down" / "stop primary": #1 stop postgres primary
 * 2026-11-23T07:45:02.432Z step.ended       "db.down" / "stop primary": passed in 1.306s
 * 2026-11-23T07:45:02.433Z scenario.ended   "db.down": passed in 1.308s
 * 2026-11-23T07:45:02.434Z run.ended        exit 0 in 1.311s
 * </pre>
 *
 * <p>Each line is: the event's wall-clock time in UTC, ISO-8601 to the millisecond; the event's type
 * as {@code report.json} names it ({@link EventType#id()}), padded to 16 characters; the scenario
 * and step it happened in, quoted and joined by {@code " / "}, followed by {@code ": "} when more
 * follows (nothing for events outside any scenario); then what happened. Only the events that tell
 * how a run progresses are printed: the run, scenario and step starting and ending (with the status,
 * the duration and the failure's message), faults injected, planned, reverted or not revertable,
 * guard and limit breaches and the reverts they caused, decisions and aborts. Messages are the
 * events' own, so secrets are already masked; line breaks inside them become spaces, and nothing
 * ever moves the cursor or colours the text.
 *
 * <p>Rationale: the event names are those of {@code report.json}, so a line of a CI log leads to the
 * same event in the report; the time comes first and has a fixed width, so that the log reads down
 * its left edge and sorts as text.
 *
 * <p>Thread-safe: events arrive on the evaluating thread, timers and guard threads; each line is
 * printed and flushed whole.
 */
public final class ProgressLog implements RunListener {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final int TYPE_WIDTH = 16;

  private final PrintStream out;
  private final boolean mask;
  /** Whether the run is a dry run: its durations measure planning, and are left out. */
  private boolean dryRun;

  /**
   * A log that prints to {@code out}.
   *
   * @param out where the lines go; flushed after each line
   * @param maskTimes whether times print as {@code <time>} and durations as {@code <dur>}, so that
   *     the output of a run can be compared with a golden file
   */
  public ProgressLog(PrintStream out, boolean maskTimes) {
    this.out = out;
    this.mask = maskTimes;
  }

  @Override
  public synchronized void on(Event e) {
    String text = text(e);
    if (text == null) return;
    StringBuilder line = new StringBuilder(mask ? Masks.TIME : TIME.format(e.time())).append(' ');
    String id = e.type().id();
    line.append(id).append(" ".repeat(Math.max(1, TYPE_WIDTH + 1 - id.length())));
    String where = where(e);
    line.append(where);
    if (!where.isEmpty() && !text.isEmpty()) line.append(": ");
    line.append(text);
    out.print(oneLine(line.toString()));
    out.print('\n');
    out.flush();
  }

  /** What the line says after its place, or null when the event is not printed. */
  private String text(Event e) {
    Map<String, Object> data = e.data();
    return switch (e.type()) {
      case RUN_STARTED -> {
        dryRun = data.get("dry_run") != null;
        String name = e.message().startsWith("playbook ") ? e.message().substring("playbook ".length()) : e.message();
        StringBuilder b = new StringBuilder("\"").append(name).append('"');
        if (data.get("file") != null) b.append(' ').append(data.get("file"));
        if (data.get("profile") != null) b.append(", profile ").append(data.get("profile"));
        if (dryRun) b.append(", dry run");
        yield b.toString();
      }
      case RUN_ENDED -> e.message() + took(data.get("duration_ms"));
      case SCENARIO_STARTED, STEP_STARTED -> "";
      case SCENARIO_ENDED, STEP_ENDED -> {
        String status = String.valueOf(data.get("status"));
        String message = String.valueOf(data.getOrDefault("message", ""));
        StringBuilder b = new StringBuilder(status);
        if (!"skipped".equals(status)) b.append(took(data.get("duration_ms")));
        if (!message.isEmpty()) b.append(" - ").append(message);
        yield b.toString();
      }
      case FAULT_INJECTED, FAULT_PLANNED, FAULT_REVERTED -> "#" + data.get("id") + " " + e.message();
      case REVERT_FAILED -> "#" + data.get("id") + " " + e.message() + " (it may still be in place)";
      case GUARD_BREACHED, LIMIT_EXCEEDED -> breach(e, data);
      case BREACH_REVERTED -> {
        boolean none = Integer.valueOf(0).equals(data.get("faults_reverted")) && !(data.get("faults_failed") instanceof Number n && n.longValue() > 0);
        yield none ? e.message() : e.message() + ", " + micros(data.get("check_to_reverted_us")) + " after the check";
      }
      case DECISION, ABORTED -> e.message();
      default -> null;
    };
  }

  /** {@code guard "error rate" (P2): value 40%, threshold 5%}; a limit shows its condition and elapsed time. */
  private String breach(Event e, Map<String, Object> data) {
    boolean guard = "guard".equals(data.get("kind"));
    StringBuilder b = new StringBuilder(guard ? "guard \"" + data.get("name") + "\"" : String.valueOf(data.get("name")));
    b.append(" (").append(data.get("severity")).append("): ");
    if (data.get("error") != null) {
      b.append("error ").append(data.get("error"));
    } else if (guard) {
      b.append("value ").append(shown(data.get("value")));
      if (data.get("threshold") != null) b.append(", threshold ").append(shown(data.get("threshold")));
    } else {
      b.append(data.get("condition")).append(", elapsed ").append(mask ? Masks.DURATION : data.get("value"));
    }
    return b.toString();
  }

  /** {@code "db.down" / "stop primary"}, {@code "db.down"}, or nothing outside a scenario. */
  private static String where(Event e) {
    if (e.scenario() == null) return "";
    return e.step() == null ? quote(e.scenario()) : quote(e.scenario()) + " / " + quote(e.step());
  }

  private static String quote(String name) {
    return "\"" + name + "\"";
  }

  /** {@code " in 1.306s"}; nothing in a dry run, whose times measure the planning. */
  private String took(Object millis) {
    if (dryRun || !(millis instanceof Number n)) return "";
    if (mask) return " in " + Masks.DURATION;
    return " in " + (n.longValue() == 0 ? "<1ms" : Values.show(Duration.ofMillis(n.longValue())));
  }

  private String shown(Object value) {
    String text = String.valueOf(value);
    return mask && Masks.isDuration(text) ? Masks.DURATION : text;
  }

  private String micros(Object us) {
    if (mask) return Masks.DURATION;
    return us instanceof Number n ? Values.show(Duration.ofNanos(n.longValue() * 1000)) : "?";
  }

  /**
   * One line, with nothing a terminal would act on. Rationale: a message may quote output of a
   * command or a server, and a stray carriage return or escape would garble a CI log.
   */
  static String oneLine(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString();
  }
}
