package dev.faultline.report;

import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.run.StepResult;
import dev.faultline.value.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link RunResult} as {@code report.md}, for people: the post-chaos report of the
 * runbooks (details, scenarios, faults with their times, guard breaches, decisions, observations,
 * failures, successes) followed by the experiment log (every event on the run's clock). It reads
 * the same result and events as {@link ReportJson}; secrets are already masked there.
 *
 * <p>With {@code mask}, timestamps and elapsed times are placeholders, for golden files.
 * Stateless and thread-safe.
 */
public final class ReportMarkdown {
  private final boolean mask;
  private final StringBuilder md = new StringBuilder();

  private ReportMarkdown(boolean mask) {
    this.mask = mask;
  }

  /**
   * Writes the Markdown report of a run to a file, creating its directory.
   *
   * @param result the run's result
   * @param file where to write; replaced if it exists
   * @param mask whether times and durations print as placeholders, for golden files
   * @throws IOException when the file cannot be written
   */
  public static void write(RunResult result, Path file, boolean mask) throws IOException {
    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(result, mask), StandardCharsets.UTF_8);
  }

  /**
   * {@return the Markdown report of a run, as text}
   *
   * @param result the run's result
   * @param mask whether times and durations print as placeholders
   */
  public static String render(RunResult result, boolean mask) {
    return new ReportMarkdown(mask).report(result);
  }

  private String report(RunResult r) {
    md.append("# Chaos run: ").append(text(r.playbook())).append("\n\n");
    details(r);
    scenarios(r);
    faults(r);
    breaches(r);
    decisions(r);
    observations(r);
    records(r);
    failures(r);
    successes(r);
    log(r);
    return md.toString();
  }

  private void details(RunResult r) {
    md.append("| | |\n|---|---|\n");
    row("playbook", r.playbook() + " (`" + r.file() + "`)");
    row("started", mask ? Masks.TIME : r.start().toString());
    row("duration", duration(r.duration()));
    row("profile", r.profile().orElse("(none)"));
    if (r.isDryRun()) row("dry run", r.dryRun().word() + ": nothing was touched");
    row("result", ReportJson.runStatus(r.exitCode()).replace('_', ' ') + " (exit " + r.exitCode() + ")");
    row("scenarios", r.scenarios().size() + ": " + r.count(Status.PASSED) + " passed, " + r.count(Status.FAILED) + " failed, "
        + r.count(Status.ABORTED) + " aborted, " + r.count(Status.SKIPPED) + " skipped");
    if (!r.params().isEmpty()) {
      List<String> ps = new ArrayList<>();
      r.params().forEach((k, v) -> ps.add(k + " = " + Values.show(v)));
      row("params", String.join(", ", ps));
    }
    r.error().ifPresent(d -> row("setup error", d.at() + ": " + d.message()));
    for (String f : r.revertFailures()) row("**revert failed**", f);
    md.append('\n');
  }

  private void scenarios(RunResult r) {
    md.append("## Scenarios\n\n| scenario | tags | result | duration | note |\n|---|---|---|---|---|\n");
    for (ScenarioResult s : r.scenarios()) {
      md.append("| ").append(cell(s.id())).append(" | ").append(cell(String.join(", ", s.tags()))).append(" | ")
          .append(mark(s.status())).append(' ').append(s.status().word()).append(" | ").append(duration(s.duration())).append(" | ")
          .append(cell(s.message())).append(" |\n");
    }
    md.append('\n');
  }

  /** Each fault from its injection to its revert, on the run's clock. */
  private void faults(RunResult r) {
    List<FaultSpan> spans = FaultSpan.of(r.events());
    if (spans.isEmpty()) return;
    md.append("## Faults injected\n\n| fault | kind | target | scope | injected | reverted | in place for |\n|---|---|---|---|---|---|---|\n");
    for (FaultSpan f : spans) {
      Event in = f.injected();
      Event out = f.end();
      String reverted = out == null ? "**not reverted**" : !f.reverted() ? "**revert failed**" : offset(out);
      String held = f.reverted() ? duration(Duration.ofNanos(out.offsetNanos() - in.offsetNanos())) : "-";
      md.append("| ").append(cell(in.message())).append(" | ").append(cell(str(in.data().get("kind")))).append(" | ")
          .append(cell(str(in.data().get("target")))).append(" | ").append(cell(str(in.data().get("scope")))).append(" | ")
          .append(offset(in)).append(" | ").append(reverted).append(" | ").append(held).append(" |\n");
    }
    md.append('\n');
  }

  private void breaches(RunResult r) {
    List<Event> bs = r.events().stream()
        .filter(e -> e.type() == EventType.GUARD_BREACHED || e.type() == EventType.LIMIT_EXCEEDED || e.type() == EventType.BREACH_REVERTED).toList();
    if (bs.isEmpty()) return;
    md.append("## Guards and limits\n\n");
    for (Event e : bs) md.append("- ").append(offset(e)).append(' ').append(e.type().id()).append(": ").append(text(e.message())).append('\n');
    md.append('\n');
  }

  private void decisions(RunResult r) {
    List<Event> ds = r.events().stream().filter(e -> e.type() == EventType.DECISION).toList();
    if (ds.isEmpty()) return;
    md.append("## Decisions\n\n");
    for (Event e : ds) md.append("- ").append(offset(e)).append(where(e)).append(text(e.message())).append('\n');
    md.append('\n');
  }

  /** Measurements the run took: probe samples, steady-state checks, recoveries, SLO verdicts, traffic. */
  private void observations(RunResult r) {
    List<Event> os = r.events().stream().filter(e -> OBSERVATIONS.contains(e.type().id())).toList();
    if (os.isEmpty()) return;
    md.append("## Observations\n\n");
    for (Event e : os) md.append("- ").append(offset(e)).append(where(e)).append(e.type().id()).append(": ").append(text(e.message())).append('\n');
    md.append('\n');
  }

  private static final List<String> OBSERVATIONS = List.of("steady_state", "recovery", "data_loss", "slo", "traffic.started", "traffic.stopped");

  private void records(RunResult r) {
    Map<String, Object> all = new LinkedHashMap<>(r.records());
    for (ScenarioResult s : r.scenarios()) s.records().forEach((k, v) -> all.put(s.id() + ": " + k, v));
    if (all.isEmpty()) return;
    md.append("## Records\n\n| name | value |\n|---|---|\n");
    all.forEach((k, v) -> md.append("| ").append(cell(k)).append(" | ").append(cell(mask && v instanceof Duration ? Masks.DURATION : Values.show(v))).append(" |\n"));
    md.append('\n');
  }

  private void failures(RunResult r) {
    List<ScenarioResult> bad = r.scenarios().stream().filter(s -> s.status() == Status.FAILED || s.status() == Status.ABORTED).toList();
    if (bad.isEmpty() && r.revertFailures().isEmpty()) return;
    md.append("## Failures\n\n");
    for (ScenarioResult s : bad) {
      md.append("- **").append(text(s.id())).append("** ").append(s.status().word());
      s.failedStep().ifPresent(step -> {
        md.append(" in step \"").append(text(step.name())).append('"');
        if (step.at() != null && !step.at().isEmpty()) md.append(" at `").append(step.at()).append('`');
      });
      md.append(": ").append(text(s.message())).append('\n');
    }
    for (String f : r.revertFailures()) md.append("- revert failed: ").append(text(f)).append('\n');
    md.append('\n');
  }

  private void successes(RunResult r) {
    List<ScenarioResult> good = r.scenarios().stream().filter(s -> s.status() == Status.PASSED).toList();
    if (good.isEmpty()) return;
    md.append("## Successes\n\n");
    for (ScenarioResult s : good) {
      md.append("- **").append(text(s.id())).append("** passed in ").append(duration(s.duration()))
          .append(" (").append(s.steps().size()).append(s.steps().size() == 1 ? " step)" : " steps)").append('\n');
    }
    md.append('\n');
  }

  /** The experiment log: every event, on the run's clock. */
  private void log(RunResult r) {
    md.append("## Experiment log\n\n```\n");
    for (Event e : r.events()) {
      md.append(String.format(Locale.ROOT, "%10s  %-18s %s%s%n", offset(e), e.type().id(), where(e), oneLine(e.message())));
    }
    md.append("```\n");
  }

  private String where(Event e) {
    if (e.scenario() == null) return "";
    return "[" + e.scenario() + (e.step() == null ? "" : " / " + e.step()) + "] ";
  }

  private void row(String name, String value) {
    md.append("| ").append(name).append(" | ").append(cell(value)).append(" |\n");
  }

  private String offset(Event e) {
    if (mask) return Masks.DURATION;
    return String.format(Locale.ROOT, "+%.3fs", e.offsetNanos() / 1e9);
  }

  private String duration(Duration d) {
    if (mask) return Masks.DURATION;
    return Values.show(d);
  }

  private String oneLine(String s) {
    String t = s == null ? "" : s.replace('\n', ' ');
    return mask ? Masks.durationsIn(t) : t;
  }

  private static String mark(Status s) {
    return switch (s) {
      case PASSED -> "✅";
      case FAILED -> "❌";
      case ABORTED -> "⛔";
      case SKIPPED -> "⏭";
    };
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  /** Text in a paragraph: no line breaks. */
  private String text(String s) {
    return oneLine(s);
  }

  /** Text in a table cell: no line breaks, pipes escaped. */
  private String cell(String s) {
    return oneLine(s).replace("|", "\\|");
  }
}
