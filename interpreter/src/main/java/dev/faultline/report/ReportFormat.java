package dev.faultline.report;

import dev.faultline.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The formats a run's report is written in, each to its own file of the report directory. */
public enum ReportFormat {
  /** {@code report.json}: every scenario, step, record and event, for machines (docs/report-json.md). */
  JSON("json", "report.json"),
  /** {@code report.md}: the post-chaos report and the experiment log, for people. */
  MD("md", "report.md"),
  /** {@code junit.xml}: one test case per scenario, for CI servers. */
  JUNIT("junit", "junit.xml"),
  /** {@code report.html}: one self-contained page with the verdict, a timeline and the measurements. */
  HTML("html", "report.html");

  /**
   * The formats a report is written in when none are asked for, as {@link #parse} reads them: JSON
   * for machines and Markdown for people. Rationale: every run should leave evidence both a CI job
   * and a person can use without rerunning it; junit and html are asked for where they are read.
   */
  public static final String DEFAULTS = "json,md";

  private final String word;
  private final String fileName;

  ReportFormat(String word, String fileName) {
    this.word = word;
    this.fileName = fileName;
  }

  /** {@return the word {@code --report} takes}: {@code json}, {@code md}, {@code junit}, {@code html} */
  public String word() {
    return word;
  }

  /** {@return the file the format is written to, in the report directory} */
  public String fileName() {
    return fileName;
  }

  /**
   * Reads formats as {@code --report} takes them.
   *
   * @param words comma-separated words, {@code "json,md"}; case and spaces do not matter
   * @return the formats named
   * @throws IllegalArgumentException for an unknown word (naming the known ones) or none at all
   */
  public static Set<ReportFormat> parse(String words) {
    Set<ReportFormat> formats = EnumSet.noneOf(ReportFormat.class);
    for (String w : words.split(",")) {
      if (w.isBlank()) continue;
      String word = w.strip().toLowerCase(Locale.ROOT);
      ReportFormat f = Arrays.stream(values()).filter(x -> x.word.equals(word)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("unknown report format '" + w.strip() + "'; known: "
              + String.join(", ", Arrays.stream(values()).map(ReportFormat::word).toList())));
      formats.add(f);
    }
    if (formats.isEmpty()) throw new IllegalArgumentException("no report format given; known: json, md, junit, html");
    return formats;
  }

  /**
   * Writes a run's report into a directory in every format given, in this enum's order.
   *
   * @param result the run's result
   * @param dir the report directory, created when missing
   * @param formats the formats to write
   * @param mask whether times and durations are written as placeholders, for golden files
   * @return the files written
   * @throws IOException when a file cannot be written; the files before it are written
   */
  public static List<Path> writeAll(RunResult result, Path dir, Set<ReportFormat> formats, boolean mask) throws IOException {
    List<Path> written = new ArrayList<>();
    for (ReportFormat f : values()) {
      if (!formats.contains(f)) continue;
      Path file = dir.resolve(f.fileName);
      switch (f) {
        case JSON -> ReportJson.write(result, file, mask);
        case MD -> ReportMarkdown.write(result, file, mask);
        case JUNIT -> ReportJUnit.write(result, file);
        case HTML -> ReportHtml.write(result, file);
      }
      written.add(file);
    }
    return written;
  }
}
