package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** faultline run --report: the formats asked for, each in its file, and a clear error for an unknown one. */
class ReportOptionTest {
  @TempDir
  Path tmp;

  private Path playbook() throws Exception {
    Path p = tmp.resolve("small.fl");
    Files.writeString(p, """
        playbook "small" {
          scenario "ok" { step "one" { expect 1 == 1 } }
        }
        """);
    return p;
  }

  @Test
  void everyFormatAskedForIsWrittenAndNamed() throws Exception {
    Path dir = tmp.resolve("r");
    CommandLineTest.Outcome o = CommandLineTest.run("run", playbook().toString(), "--report", "junit,md,json", "--report-dir", dir.toString(),
        "--journal", tmp.resolve("j").toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    assertTrue(o.out().endsWith("report: " + dir.resolve("report.json") + "\nreport: " + dir.resolve("report.md") + "\nreport: "
        + dir.resolve("junit.xml") + "\n"), o.out());
    assertTrue(Files.readString(dir.resolve("junit.xml")).contains("<testcase name=\"ok\" classname=\"small\""));
    assertTrue(Files.readString(dir.resolve("report.md")).startsWith("# Chaos run: small"));
  }

  @Test
  void withoutTheOptionTheReportIsJsonAndMarkdown() throws Exception {
    Path dir = tmp.resolve("default");
    CommandLineTest.Outcome o = CommandLineTest.run("run", playbook().toString(), "--report-dir", dir.toString(),
        "--journal", tmp.resolve("j").toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    assertTrue(o.out().endsWith("report: " + dir.resolve("report.json") + "\nreport: " + dir.resolve("report.md") + "\n"), o.out());
    try (var files = Files.list(dir)) {
      assertEquals(java.util.List.of("report.json", "report.md"), files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void anUnknownFormatIsBadInputBeforeAnythingRuns() throws Exception {
    Path dir = tmp.resolve("r2");
    CommandLineTest.Outcome o = CommandLineTest.run("run", playbook().toString(), "--report", "json,pdf", "--report-dir", dir.toString());
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("unknown report format 'pdf'; known: json, md, junit, html"), o.err());
    assertFalse(Files.exists(dir));
  }
}
