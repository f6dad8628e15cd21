package dev.faultline.report;

import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.run.StepResult;
import dev.faultline.value.Values;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link RunResult} as JUnit XML ({@code junit.xml}), the format CI servers read: one
 * {@code testsuite} for the playbook, one {@code testcase} per scenario. A failed scenario is a
 * {@code failure} with its message, an aborted one an {@code error}, a skipped one
 * {@code skipped}; the steps and their outcomes are the case's {@code system-out}. Params and the
 * profile are {@code properties}. Stateless and thread-safe.
 */
public final class ReportJUnit {
  private ReportJUnit() {}

  /**
   * Writes the JUnit XML of a run to a file, creating its directory.
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
   * {@return the JUnit XML of a run, as text}
   *
   * @param r the run's result
   */
  public static String render(RunResult r) {
    StringWriter out = new StringWriter();
    try {
      write(r, out);
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void write(RunResult r, Writer out) throws XMLStreamException {
    XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
    String name = r.playbook().isBlank() ? "playbook" : r.playbook();
    long failures = r.count(Status.FAILED), errors = r.count(Status.ABORTED), skipped = r.count(Status.SKIPPED);
    String time = seconds(r.duration());
    String timestamp = LocalDateTime.ofInstant(r.start(), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
    x.writeStartDocument("UTF-8", "1.0");
    x.writeCharacters("\n");
    x.writeStartElement("testsuites");
    x.writeAttribute("name", name);
    counts(x, r.scenarios().size(), failures, errors, skipped, time);
    x.writeCharacters("\n  ");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", name);
    counts(x, r.scenarios().size(), failures, errors, skipped, time);
    x.writeAttribute("timestamp", timestamp);
    x.writeAttribute("hostname", "localhost");
    x.writeCharacters("\n    ");
    x.writeStartElement("properties");
    property(x, "file", r.file());
    property(x, "profile", r.profile().orElse(""));
    property(x, "exit_code", String.valueOf(r.exitCode()));
    for (var p : r.params().entrySet()) property(x, "param." + p.getKey(), Values.show(p.getValue()));
    x.writeCharacters("\n    ");
    x.writeEndElement();
    for (ScenarioResult s : r.scenarios()) testcase(x, name, s);
    StringBuilder runOut = new StringBuilder();
    r.error().ifPresent(d -> runOut.append("setup error: ").append(d.at()).append(": ").append(d.message()).append('\n'));
    for (String f : r.revertFailures()) runOut.append("revert failed: ").append(f).append('\n');
    if (runOut.length() > 0) {
      x.writeCharacters("\n    ");
      x.writeStartElement("system-err");
      x.writeCharacters(clean(runOut.toString()));
      x.writeEndElement();
    }
    x.writeCharacters("\n  ");
    x.writeEndElement();
    x.writeCharacters("\n");
    x.writeEndElement();
    x.writeCharacters("\n");
    x.writeEndDocument();
    x.close();
  }

  private static void testcase(XMLStreamWriter x, String classname, ScenarioResult s) throws XMLStreamException {
    x.writeCharacters("\n    ");
    x.writeStartElement("testcase");
    x.writeAttribute("name", clean(s.id()));
    x.writeAttribute("classname", clean(classname));
    x.writeAttribute("time", seconds(s.duration()));
    String where = failedStep(s);
    switch (s.status()) {
      case FAILED -> outcome(x, "failure", "expect", s.message(), where);
      case ABORTED -> outcome(x, "error", "aborted", s.message(), where);
      case SKIPPED -> {
        x.writeCharacters("\n      ");
        x.writeEmptyElement("skipped");
        x.writeAttribute("message", clean(s.message()));
      }
      case PASSED -> { }
    }
    StringBuilder steps = new StringBuilder();
    for (StepResult step : s.steps()) {
      steps.append(step.status().word()).append("  ").append(step.name()).append(" (").append(seconds(step.duration())).append(" s)");
      if (step.message() != null && !step.message().isEmpty()) steps.append(": ").append(step.message());
      steps.append('\n');
    }
    s.records().forEach((k, v) -> steps.append("record ").append(k).append(" = ").append(Values.show(v)).append('\n'));
    if (steps.length() > 0) {
      x.writeCharacters("\n      ");
      x.writeStartElement("system-out");
      x.writeCharacters(clean(steps.toString()));
      x.writeEndElement();
    }
    x.writeCharacters("\n    ");
    x.writeEndElement();
  }

  private static void outcome(XMLStreamWriter x, String element, String type, String message, String where) throws XMLStreamException {
    x.writeCharacters("\n      ");
    x.writeStartElement(element);
    x.writeAttribute("message", clean(message));
    x.writeAttribute("type", type);
    x.writeCharacters(clean(where.isEmpty() ? message : where + ": " + message));
    x.writeEndElement();
  }

  private static String failedStep(ScenarioResult s) {
    return s.failedStep().map(step -> "step \"" + step.name() + "\"" + (step.at() == null || step.at().isEmpty() ? "" : " at " + step.at()))
        .orElse("");
  }

  private static void counts(XMLStreamWriter x, long tests, long failures, long errors, long skipped, String time) throws XMLStreamException {
    x.writeAttribute("tests", String.valueOf(tests));
    x.writeAttribute("failures", String.valueOf(failures));
    x.writeAttribute("errors", String.valueOf(errors));
    x.writeAttribute("skipped", String.valueOf(skipped));
    x.writeAttribute("time", time);
  }

  private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
    x.writeCharacters("\n      ");
    x.writeEmptyElement("property");
    x.writeAttribute("name", clean(name));
    x.writeAttribute("value", clean(value));
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }

  /** XML 1.0 cannot hold most control characters; they become U+FFFD. */
  private static String clean(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c > 0xFFFF;
      b.appendCodePoint(ok ? c : 0xFFFD);
    });
    return b.toString();
  }
}
