package dev.faultline.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.faultline.run.ExitCode;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.run.StepResult;
import dev.faultline.source.Diagnostic;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a {@link RunResult} as {@code report.json}; the schema is documented in
 * {@code docs/report-json.md} and versioned by {@link #SCHEMA_VERSION}. Field order is fixed and
 * the output is pretty-printed with {@code \n} line ends, so that two reports diff cleanly.
 *
 * <p>With {@code mask}, every timestamp becomes {@code "<time>"} and every elapsed time
 * {@code "<dur>"}, so that a report can be compared with a golden file.
 *
 * <p>Rationale: it uses Jackson's streaming generator rather than data binding, which would need
 * an {@code ObjectMapper} (slow to start) and annotations on the interpreter's records.
 * Stateless and thread-safe.
 */
public final class ReportJson {
  /** Bumped when a field changes meaning or disappears; new fields do not bump it. */
  public static final int SCHEMA_VERSION = 1;

  private static final JsonFactory JSON = JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private final boolean mask;

  private ReportJson(boolean mask) {
    this.mask = mask;
  }

  /**
   * Writes {@code result} to {@code file} as {@code report.json}, creating its directory.
   *
   * @param result the run's result
   * @param file where to write; replaced if it exists
   * @param mask whether times and durations are written as placeholders, for golden files
   * @throws IOException when the file cannot be written
   */
  public static void write(RunResult result, Path file, boolean mask) throws IOException {
    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      new ReportJson(mask).write(result, w);
    }
  }

  /**
   * {@return the report as JSON text}
   *
   * @param result the run's result
   * @param mask whether times and durations are written as placeholders
   */
  public static String render(RunResult result, boolean mask) {
    StringWriter w = new StringWriter();
    try {
      new ReportJson(mask).write(result, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private void write(RunResult r, Writer w) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.setPrettyPrinter(prettyPrinter());
      g.writeStartObject();
      g.writeNumberField("schema_version", SCHEMA_VERSION);
      g.writeStringField("playbook", r.playbook());
      g.writeStringField("file", r.file());
      g.writeFieldName("parameters");
      g.writeStartObject();
      for (var p : r.params().entrySet()) {
        g.writeFieldName(p.getKey());
        value(g, p.getValue());
      }
      g.writeEndObject();
      g.writeFieldName("profile");
      string(g, r.profile().orElse(null));
      // Only in a dry run, so that real runs' reports keep their shape: nothing was touched.
      if (r.isDryRun()) g.writeStringField("dry_run", r.dryRun().word());
      time(g, "start", r.start());
      millis(g, "duration_ms", r.duration());
      g.writeNumberField("exit_code", r.exitCode());
      g.writeStringField("status", runStatus(r.exitCode()));
      g.writeObjectFieldStart("counts");
      g.writeNumberField("scenarios", r.scenarios().size());
      for (Status s : Status.values()) g.writeNumberField(s.word(), r.count(s));
      g.writeEndObject();

      g.writeArrayFieldStart("scenarios");
      for (ScenarioResult s : r.scenarios()) scenario(g, s);
      g.writeEndArray();

      g.writeFieldName("records");
      records(g, r.records());
      g.writeArrayFieldStart("revert_failures");
      for (String f : r.revertFailures()) g.writeString(f);
      g.writeEndArray();
      g.writeFieldName("setup_error");
      diagnostic(g, r.error());
      breaches(g, r.events());

      g.writeArrayFieldStart("events");
      for (Event e : r.events()) event(g, e);
      g.writeEndArray();
      g.writeEndObject();
    }
    w.write('\n');
  }

  private void scenario(JsonGenerator g, ScenarioResult s) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", s.id());
    g.writeArrayFieldStart("tags");
    for (String t : s.tags()) g.writeString(t);
    g.writeEndArray();
    g.writeStringField("status", s.status().word());
    time(g, "start", s.start());
    millis(g, "duration_ms", s.duration());
    g.writeStringField("message", s.message());
    g.writeFieldName("error");
    diagnostic(g, s.error());
    g.writeArrayFieldStart("steps");
    for (StepResult step : s.steps()) {
      g.writeStartObject();
      g.writeStringField("name", step.name());
      g.writeStringField("status", step.status().word());
      time(g, "start", step.start());
      millis(g, "duration_ms", step.duration());
      g.writeStringField("message", step.message());
      g.writeStringField("at", step.at());
      g.writeFieldName("error");
      diagnostic(g, step.error());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeFieldName("records");
    records(g, s.records());
    g.writeEndObject();
  }

  /**
   * Each record as its printed form ({@code "1.2s"}) and, for numbers and quantities, a typed form
   * in a fixed base unit: milliseconds, percentage points, bytes, events per second.
   */
  private void records(JsonGenerator g, Map<String, Object> records) throws IOException {
    g.writeStartArray();
    for (var rec : records.entrySet()) {
      Object v = rec.getValue();
      g.writeStartObject();
      g.writeStringField("name", rec.getKey());
      String type = Values.typeOf(v).replaceFirst("^an? ", "");
      g.writeStringField("type", type);
      if (mask && v instanceof Duration) {
        g.writeStringField("value", Masks.DURATION);
        g.writeStringField("number", Masks.DURATION);
        g.writeStringField("unit", "ms");
      } else {
        g.writeStringField("value", Values.show(v));
        if (v instanceof Duration d) typed(g, d.toNanos() / 1e6, "ms");
        else if (v instanceof Percent p) typed(g, p.points(), "%");
        else if (v instanceof ByteSize b) typed(g, b.bytes(), "B");
        else if (v instanceof Rate rate) typed(g, rate.perSecond(), "/s");
        else if (v instanceof Long n) g.writeNumberField("number", n);
        else if (v instanceof Double n && Double.isFinite(n)) g.writeNumberField("number", n);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void typed(JsonGenerator g, double number, String unit) throws IOException {
    if (number == Math.rint(number) && Math.abs(number) < 1e15) g.writeNumberField("number", (long) number);
    else g.writeNumberField("number", number);
    g.writeStringField("unit", unit);
  }

  private void event(JsonGenerator g, Event e) throws IOException {
    g.writeStartObject();
    time(g, "time", e.time());
    if (mask) g.writeStringField("offset_ms", Masks.DURATION);
    else g.writeNumberField("offset_ms", round3(e.offsetNanos() / 1e6));
    g.writeStringField("type", e.type().id());
    g.writeFieldName("scenario");
    string(g, e.scenario());
    g.writeFieldName("step");
    string(g, e.step());
    g.writeStringField("message", e.type() == EventType.RECORD ? recordMessage(e) : e.message());
    g.writeFieldName("at");
    string(g, e.at());
    g.writeObjectFieldStart("data");
    // Sorted: emitters often build data with Map.of, whose order changes from one JVM to the next.
    for (var d : new java.util.TreeMap<>(e.data()).entrySet()) {
      String key = d.getKey();
      g.writeFieldName(key);
      Object v = d.getValue();
      if (mask && key.equals("exception")) {
        // A Java stack trace (internal errors only) changes with every build.
        g.writeString("<stack trace>");
      } else if (mask && (key.endsWith("_ms") || key.endsWith("_us")) && v instanceof Number) {
        g.writeString(Masks.DURATION);
      } else if (mask && key.endsWith("_at") && v instanceof String) {
        g.writeString(Masks.TIME);
      } else if (mask && key.equals("value") && (e.type() == EventType.LIMIT_EXCEEDED
          || e.type() == EventType.BREACH_REVERTED && "limit".equals(e.data().get("kind")))) {
        g.writeString(Masks.DURATION); // the time a limit saw elapsed
      } else if (mask && v instanceof String s && (e.type() == EventType.RECORD && key.equals("value") && Masks.isDuration(s)
          || key.equals("detail"))) {
        // A recorded or compared measurement (`measure`, `await`) differs on every run.
        g.writeString(Masks.durationsIn(s));
      } else {
        value(g, v);
      }
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /**
   * Each guard breach or exceeded limit (the field is absent when there was none), with what was seen and the time from the check that saw
   * it to every fault reverted; built from the run's events ({@code breach.reverted} holds it all).
   */
  private void breaches(JsonGenerator g, List<Event> events) throws IOException {
    // Written only when there is one, so that the reports of runs without guards keep their shape.
    if (events.stream().noneMatch(e -> e.type() == EventType.BREACH_REVERTED)) return;
    g.writeArrayFieldStart("breaches");
    for (Event e : events) {
      if (e.type() != EventType.BREACH_REVERTED) continue;
      Map<String, Object> d = e.data();
      boolean limit = "limit".equals(d.get("kind"));
      g.writeStartObject();
      g.writeStringField("kind", String.valueOf(d.get("kind")));
      g.writeStringField("name", String.valueOf(d.get("name")));
      g.writeStringField("severity", String.valueOf(d.get("severity")));
      g.writeFieldName("scenario");
      string(g, e.scenario());
      g.writeFieldName("step");
      string(g, e.step());
      g.writeStringField("condition", String.valueOf(d.get("condition")));
      g.writeFieldName("value");
      string(g, mask && limit ? Masks.DURATION : (String) d.get("value"));
      g.writeFieldName("threshold");
      string(g, (String) d.get("threshold"));
      g.writeFieldName("error");
      string(g, (String) d.get("error"));
      g.writeStringField("reason", String.valueOf(d.get("reason")));
      g.writeStringField("checked_at", mask ? Masks.TIME : String.valueOf(d.get("checked_at")));
      g.writeStringField("reverted_at", mask ? Masks.TIME : String.valueOf(d.get("reverted_at")));
      if (mask) g.writeStringField("check_to_reverted_ms", Masks.DURATION);
      else g.writeNumberField("check_to_reverted_ms", round3(((Number) d.get("check_to_reverted_us")).longValue() / 1e3));
      g.writeNumberField("faults_reverted", ((Number) d.get("faults_reverted")).longValue());
      g.writeNumberField("faults_failed", ((Number) d.get("faults_failed")).longValue());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** {@code name = 1.2s}, with the value masked when it is a duration. */
  private String recordMessage(Event e) {
    Object value = e.data().get("value");
    if (!mask || !(value instanceof String s) || !Masks.isDuration(s)) return e.message();
    return e.data().get("name") + " = " + Masks.DURATION;
  }

  private static void diagnostic(JsonGenerator g, Optional<Diagnostic> d) throws IOException {
    if (d.isEmpty()) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField("message", d.get().message());
    g.writeStringField("at", d.get().at().toString());
    g.writeFieldName("help");
    string(g, d.get().help().orElse(null));
    g.writeEndObject();
  }

  /** A playbook value: JSON's own types where they fit, quantities as printed ({@code "500ms"}). */
  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) g.writeNull();
    else if (v instanceof Boolean b) g.writeBoolean(b);
    else if (v instanceof Long || v instanceof Integer || v instanceof Short) g.writeNumber(((Number) v).longValue());
    else if (v instanceof Double d && Double.isFinite(d)) g.writeNumber(d);
    else if (v instanceof String s) g.writeString(s);
    else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) value(g, item);
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (var e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Duration || v instanceof Percent || v instanceof ByteSize || v instanceof Rate
        || v instanceof Severity || v instanceof HostValue) {
      g.writeString(Values.show(v));
    } else {
      g.writeString(String.valueOf(v));
    }
  }

  private static void string(JsonGenerator g, String s) throws IOException {
    if (s == null) g.writeNull();
    else g.writeString(s);
  }

  private void time(JsonGenerator g, String field, Instant t) throws IOException {
    g.writeStringField(field, mask ? Masks.TIME : t.toString());
  }

  private void millis(JsonGenerator g, String field, Duration d) throws IOException {
    if (mask) g.writeStringField(field, Masks.DURATION);
    else g.writeNumberField(field, round3(d.toNanos() / 1e6));
  }

  private static double round3(double x) {
    return Math.round(x * 1000.0) / 1000.0;
  }

  static String runStatus(int exitCode) {
    return switch (exitCode) {
      case ExitCode.PASSED -> "passed";
      case ExitCode.FAILED -> "failed";
      case ExitCode.ABORTED -> "aborted";
      case ExitCode.REVERT_FAILED -> "revert_failed";
      default -> "bad_input";
    };
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
  }
}
