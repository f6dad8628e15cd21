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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link RunResult} as one self-contained {@code report.html}: no script, no font, no
 * request anywhere, so it opens the same from a CI artifact, a mail attachment or a laptop offline.
 * The timeline and the charts are inline SVG drawn here; hovering an element shows its details
 * (SVG titles). Sections: the verdict, the scenarios, a timeline of the run (scenarios, steps,
 * each fault as a bar from injection to revert, guard breaches, decisions, failed expectations),
 * the series of probe latencies over time, the measurements (SLO verdicts, steady states,
 * recoveries, traffic), the faults, and the event log. Stateless and thread-safe.
 */
public final class ReportHtml {
  private static final int WIDTH = 960;
  private static final int LABEL = 200;
  private static final int LANE = 22;

  private final StringBuilder h = new StringBuilder();
  private final RunResult r;
  private final double totalMs;

  private ReportHtml(RunResult r) {
    this.r = r;
    this.totalMs = Math.max(1, r.duration().toNanos() / 1e6);
  }

  /**
   * Writes the self-contained HTML page of a run to a file, creating its directory.
   *
   * @param result the run's result
   * @param file where to write; replaced if it exists
   * @throws IOException when the file cannot be written
   */
  public static void write(RunResult result, Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(result), StandardCharsets.UTF_8);
  }

  /**
   * {@return the self-contained HTML page of a run, as text}
   *
   * @param result the run's result
   */
  public static String render(RunResult result) {
    return new ReportHtml(result).page();
  }

  private String page() {
    String verdict = ReportJson.runStatus(r.exitCode());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(r.playbook())).append(": ").append(verdict.replace('_', ' ')).append("</title>\n<style>\n").append(CSS)
        .append("</style>\n</head>\n<body>\n");
    header(verdict);
    scenarios();
    timeline();
    series();
    measurements();
    faults();
    log();
    h.append("<footer>Faultline report · ").append(esc(r.file())).append("</footer>\n</body>\n</html>\n");
    return h.toString();
  }

  private void header(String verdict) {
    h.append("<header class=\"verdict ").append(verdict).append("\" id=\"verdict\">\n<h1>").append(esc(r.playbook())).append("</h1>\n")
        .append("<p class=\"big\">").append(verdict.replace('_', ' ').toUpperCase(Locale.ROOT)).append("</p>\n<p>")
        .append(r.count(Status.PASSED)).append(" passed · ").append(r.count(Status.FAILED)).append(" failed · ")
        .append(r.count(Status.ABORTED)).append(" aborted · ").append(r.count(Status.SKIPPED)).append(" skipped · ")
        .append(faultCount()).append(" faults · ").append(esc(Values.show(r.duration()))).append("</p>\n<p class=\"meta\">started ")
        .append(esc(r.start().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())).append(" · profile ").append(esc(r.profile().orElse("(none)"))).append(" · exit code ")
        .append(r.exitCode());
    if (!r.params().isEmpty()) {
      List<String> ps = new ArrayList<>();
      r.params().forEach((k, v) -> ps.add(k + " = " + Values.show(v)));
      h.append(" · params ").append(esc(String.join(", ", ps)));
    }
    h.append("</p>\n");
    r.error().ifPresent(d -> h.append("<p class=\"alert\">setup error: ").append(esc(d.at() + ": " + d.message())).append("</p>\n"));
    for (String f : r.revertFailures()) h.append("<p class=\"alert\">revert failed: ").append(esc(f)).append("</p>\n");
    h.append("</header>\n");
  }

  private long faultCount() {
    return r.events().stream().filter(e -> e.type() == EventType.FAULT_INJECTED).count();
  }

  private void scenarios() {
    h.append("<section id=\"scenarios\">\n<h2>Scenarios</h2>\n<table>\n<thead><tr><th>scenario</th><th>tags</th><th>result</th><th>duration</th>"
        + "<th>message</th></tr></thead>\n<tbody>\n");
    for (ScenarioResult s : r.scenarios()) {
      h.append("<tr class=\"scenario\" data-status=\"").append(s.status().word()).append("\"><td>").append(esc(s.id())).append("</td><td>")
          .append(esc(String.join(", ", s.tags()))).append("</td><td><span class=\"pill ").append(s.status().word()).append("\">")
          .append(s.status().word()).append("</span></td><td>").append(esc(Values.show(s.duration()))).append("</td><td>")
          .append(esc(s.message())).append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  /** Lanes on the run's clock: each scenario, its steps, its faults, and point events. */
  private void timeline() {
    List<String> lanes = new ArrayList<>();
    StringBuilder svg = new StringBuilder();
    int lane = 0;
    List<FaultSpan> spans = FaultSpan.of(r.events());
    for (ScenarioResult s : r.scenarios()) {
      if (s.status() == Status.SKIPPED) continue;
      double from = at(s.start());
      bar(svg, lane, from, from + ms(s.duration()), "bar " + s.status().word(), "scenario " + s.id() + ": " + s.status().word() + " in "
          + Values.show(s.duration()) + (s.message().isEmpty() ? "" : ", " + s.message()));
      lanes.add(s.id());
      lane++;
      for (StepResult step : s.steps()) {
        if (step.status() == Status.SKIPPED) continue;
        double sf = at(step.start());
        bar(svg, lane, sf, sf + ms(step.duration()), "bar step " + step.status().word(), "step " + step.name() + ": " + step.status().word()
            + " in " + Values.show(step.duration()) + (step.message().isEmpty() ? "" : ", " + step.message()));
      }
      lanes.add("  steps");
      lane++;
      for (FaultSpan f : spans) {
        Event in = f.injected();
        if (!s.id().equals(in.scenario())) continue;
        Event out = f.end();
        double end = out == null ? totalMs : out.offsetNanos() / 1e6;
        String state = out == null ? "not reverted" : f.reverted() ? "reverted" : "revert failed";
        bar(svg, lane, in.offsetNanos() / 1e6, end, "bar fault" + (f.reverted() ? "" : " stuck"),
            in.message() + ": injected at " + clock(in) + ", " + state + (out == null ? "" : " at " + clock(out)));
        lanes.add("  fault: " + in.message());
        lane++;
      }
    }
    // Faults outside scenarios (the playbook's own scope).
    for (FaultSpan f : spans) {
      Event in = f.injected();
      if (in.scenario() != null) continue;
      Event out = f.end();
      bar(svg, lane, in.offsetNanos() / 1e6, out == null ? totalMs : out.offsetNanos() / 1e6, "bar fault", in.message());
      lanes.add("fault: " + in.message());
      lane++;
    }
    List<Event> marks = r.events().stream().filter(e -> e.type() == EventType.GUARD_BREACHED || e.type() == EventType.LIMIT_EXCEEDED
        || e.type() == EventType.DECISION || e.type() == EventType.EXPECT_FAILED || e.type() == EventType.ABORTED).toList();
    if (!marks.isEmpty()) {
      for (Event e : marks) {
        String cls = switch (e.type()) {
          case DECISION -> "mark decision";
          case EXPECT_FAILED -> "mark failed";
          default -> "mark breach";
        };
        double x = x(e.offsetNanos() / 1e6);
        double y = lane * LANE + LANE / 2.0;
        svg.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"><title>%s</title></circle>%n", cls, x, y,
            esc(clock(e) + " " + e.type().id() + ": " + e.message())));
      }
      lanes.add("guards, decisions, failures");
      lane++;
    }
    int height = Math.max(1, lane) * LANE + 30;
    h.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n<p class=\"hint\">Hover a bar or a mark for its details. Time runs from the start of the run (0) to its end (")
        .append(esc(Values.show(r.duration()))).append(").</p>\n")
        .append("<svg class=\"timeline\" role=\"img\" aria-label=\"timeline of the run\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\">\n");
    for (int i = 0; i < lanes.size(); i++) {
      h.append(String.format(Locale.ROOT, "<text class=\"lane\" x=\"4\" y=\"%d\">%s</text>%n", i * LANE + 15, esc(shorten(lanes.get(i), 30))));
      h.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>%n", LABEL, WIDTH - 10, (i + 1) * LANE, (i + 1) * LANE));
    }
    h.append(svg);
    for (int t = 0; t <= 4; t++) {
      double ms = totalMs * t / 4;
      String anchor = t == 0 ? "start" : t == 4 ? "end" : "middle";
      h.append(String.format(Locale.ROOT, "<text class=\"tick\" text-anchor=\"%s\" x=\"%.1f\" y=\"%d\">%s</text>%n", anchor, x(ms), height - 8,
          esc(Values.show(Duration.ofMillis((long) ms)))));
    }
    h.append("</svg>\n<p class=\"legend\"><span class=\"key passed\"></span>passed <span class=\"key failed\"></span>failed "
        + "<span class=\"key aborted\"></span>aborted <span class=\"key fault\"></span>fault in place <span class=\"key breach\"></span>breach "
        + "<span class=\"key decision\"></span>decision</p>\n</section>\n");
  }

  /** Probe latencies over time, one line per probe (when the playbook sampled probes). */
  private void series() {
    Map<String, List<double[]>> byProbe = new LinkedHashMap<>();
    double max = 0;
    for (Event e : r.events()) {
      if (!e.type().id().equals("probe") || !(e.data().get("latency_us") instanceof Number us)) continue;
      String name = String.valueOf(e.data().getOrDefault("probe", "probe"));
      double ms = us.doubleValue() / 1000;
      byProbe.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {e.offsetNanos() / 1e6, ms});
      max = Math.max(max, ms);
    }
    if (byProbe.isEmpty()) return;
    int height = 220;
    double top = niceCeiling(max);
    h.append("<section id=\"series\">\n<h2>Probe latency over time</h2>\n<svg class=\"chart\" role=\"img\" aria-label=\"probe latency over time\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\">\n");
    for (int i = 0; i <= 4; i++) {
      double y = 10 + (height - 40) * (1 - i / 4.0);
      h.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/><text class=\"tick\" x=\"%d\" y=\"%.1f\">%s ms</text>%n",
          LABEL, WIDTH - 10, y, y, LABEL - 70, y + 4, trim(top * i / 4)));
    }
    int colour = 0;
    for (var p : byProbe.entrySet()) {
      StringBuilder points = new StringBuilder();
      for (double[] pt : p.getValue()) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(pt[0]), 10 + (height - 40) * (1 - pt[1] / top)));
      }
      h.append("<polyline class=\"series c").append(colour % 4).append("\" points=\"").append(points.toString().trim()).append("\"><title>")
          .append(esc(p.getKey())).append("</title></polyline>\n");
      h.append(String.format(Locale.ROOT, "<text class=\"serieslabel c%d\" x=\"4\" y=\"%d\">%s</text>%n", colour % 4, 20 + colour * 16,
          esc(shorten(p.getKey(), 28))));
      colour++;
    }
    h.append("</svg>\n</section>\n");
  }

  /** SLO verdicts, steady-state checks, recoveries and traffic figures, as the run recorded them. */
  private void measurements() {
    List<Event> ms = r.events().stream().filter(e -> MEASURED.contains(e.type().id())).toList();
    if (ms.isEmpty()) return;
    h.append("<section id=\"measurements\">\n<h2>Measurements and verdicts</h2>\n<table>\n<thead><tr><th>when</th><th>scenario</th><th>kind</th>"
        + "<th>what</th><th>details</th></tr></thead>\n<tbody>\n");
    for (Event e : ms) {
      boolean bad = Boolean.FALSE.equals(e.data().get("passed")) || Boolean.FALSE.equals(e.data().get("held"));
      h.append("<tr").append(bad ? " class=\"bad\"" : "").append("><td>").append(clock(e)).append("</td><td>").append(esc(nz(e.scenario())))
          .append("</td><td>").append(esc(e.type().id())).append("</td><td>").append(esc(e.message())).append("</td><td>")
          .append(esc(details(e.data()))).append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static final List<String> MEASURED = List.of("slo", "steady_state", "recovery", "data_loss", "traffic.stopped");

  private void faults() {
    List<FaultSpan> spans = FaultSpan.of(r.events());
    if (spans.isEmpty()) return;
    h.append("<section id=\"faults\">\n<h2>Faults</h2>\n<table>\n<thead><tr><th>fault</th><th>kind</th><th>target</th><th>scope</th>"
        + "<th>injected</th><th>ended</th></tr></thead>\n<tbody>\n");
    for (FaultSpan f : spans) {
      Event e = f.injected();
      Event out = f.end();
      h.append("<tr class=\"fault\"").append(f.reverted() ? "" : " data-stuck=\"true\"").append("><td>")
          .append(esc(e.message())).append("</td><td>").append(esc(String.valueOf(e.data().get("kind")))).append("</td><td>")
          .append(esc(String.valueOf(e.data().get("target")))).append("</td><td>").append(esc(String.valueOf(e.data().get("scope"))))
          .append("</td><td>").append(clock(e)).append("</td><td>")
          .append(out == null ? "<b>not reverted</b>" : f.reverted() ? "reverted " + clock(out) : "<b>revert failed</b>")
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private void log() {
    h.append("<section id=\"log\">\n<details>\n<summary>Event log (").append(r.events().size()).append(" events)</summary>\n<pre>");
    for (Event e : r.events()) {
      h.append(esc(String.format(Locale.ROOT, "%10s  %-18s %s%s%n", clock(e), e.type().id(),
          e.scenario() == null ? "" : "[" + e.scenario() + (e.step() == null ? "" : " / " + e.step()) + "] ", e.message().replace('\n', ' '))));
    }
    h.append("</pre>\n</details>\n</section>\n");
  }

  private void bar(StringBuilder svg, int lane, double fromMs, double toMs, String cls, String title) {
    double x1 = x(fromMs);
    double w = Math.max(2, x(toMs) - x1);
    svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\"><title>%s</title></rect>%n",
        cls, x1, lane * LANE + 4, w, LANE - 8, esc(title)));
  }

  private double x(double ms) {
    return LABEL + (WIDTH - LABEL - 10) * Math.min(1, Math.max(0, ms / totalMs));
  }

  private double at(Instant t) {
    return Duration.between(r.start(), t).toNanos() / 1e6;
  }

  private static double ms(Duration d) {
    return d.toNanos() / 1e6;
  }

  private static String clock(Event e) {
    return String.format(Locale.ROOT, "+%.3fs", e.offsetNanos() / 1e9);
  }

  private static double niceCeiling(double v) {
    if (v <= 0) return 1;
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) if (m * p >= v) return m * p;
    return 10 * p;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String details(Map<String, Object> data) {
    List<String> parts = new ArrayList<>();
    data.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(", ", parts);
  }

  private static String shorten(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return b.toString();
  }

  private static final String CSS = """
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1000px; padding: 0 16px 32px; color: #1d2330; }
      header.verdict { border-radius: 10px; padding: 14px 20px; margin: 16px 0; color: #fff; }
      header.passed { background: #1f7a3f; } header.failed, header.bad_input { background: #b3261e; }
      header.aborted { background: #8a4b00; } header.revert_failed { background: #5c0b6b; }
      header h1 { margin: 0; font-size: 20px; font-weight: 600; } header .big { font-size: 30px; font-weight: 700; margin: 2px 0; letter-spacing: .04em; }
      header p { margin: 2px 0; } header .meta { opacity: .85; font-size: 12px; } .alert { font-weight: 700; }
      h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid #dde1e8; padding-bottom: 4px; }
      table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eceff3; vertical-align: top; }
      th { font-weight: 600; color: #4a5364; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
      tr.bad td { background: #fdecea; }
      .pill { border-radius: 9px; padding: 1px 9px; font-size: 12px; font-weight: 600; color: #fff; }
      .pill.passed { background: #1f7a3f; } .pill.failed { background: #b3261e; } .pill.aborted { background: #8a4b00; } .pill.skipped { background: #8b93a1; }
      svg { display: block; max-width: 100%; height: auto; background: #fafbfc; border: 1px solid #e3e6eb; border-radius: 6px; }
      .lane { font-size: 12px; fill: #3a4252; } .tick { font-size: 11px; fill: #6b7383; } .grid { stroke: #eceff3; }
      .bar.passed { fill: #2e9e57; } .bar.failed { fill: #d2453b; } .bar.aborted { fill: #c27a13; }
      .bar.step { opacity: .55; } .bar.fault { fill: #f29c38; } .bar.fault.stuck { fill: #7b1fa2; }
      .mark.breach { fill: #b3261e; } .mark.decision { fill: #2f5fd0; } .mark.failed { fill: #d2453b; stroke: #fff; stroke-width: 2; }
      .series { fill: none; stroke-width: 2; } .c0 { stroke: #2f5fd0; fill: #2f5fd0; } .c1 { stroke: #d2453b; fill: #d2453b; }
      .c2 { stroke: #2e9e57; fill: #2e9e57; } .c3 { stroke: #c27a13; fill: #c27a13; } text.serieslabel { stroke: none; font-size: 12px; }
      .legend { font-size: 12px; color: #4a5364; } .key { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin: 0 4px 0 12px; vertical-align: -1px; }
      .key.passed { background: #2e9e57; } .key.failed { background: #d2453b; } .key.aborted { background: #c27a13; } .key.fault { background: #f29c38; }
      .key.breach { background: #b3261e; border-radius: 6px; } .key.decision { background: #2f5fd0; border-radius: 6px; }
      .hint { color: #6b7383; font-size: 12px; margin: 0 0 6px; }
      pre { background: #f4f6f8; padding: 10px; overflow-x: auto; font-size: 12px; } footer { margin-top: 30px; color: #8b93a1; font-size: 12px; }
      """;
}
