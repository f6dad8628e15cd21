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
  JSON("json", "report.json"),
  MD("md", "report.md"),
  JUNIT("junit", "junit.xml"),
  HTML("html", "report.html");

  private final String word;
  private final String fileName;

  ReportFormat(String word, String fileName) {
    this.word = word;
    this.fileName = fileName;
  }

  public String word() {
    return word;
  }

  public String fileName() {
    return fileName;
  }

  /** {@code "json,md"}; an unknown word is an {@link IllegalArgumentException} naming the known ones. */
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

  /** Writes {@code result} into {@code dir} in every format given, in this enum's order; returns the files. */
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
