package dev.faultline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.TestFaults;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** One real run with every outcome, written as Markdown and JUnit XML, read back by real parsers. */
class ReportFormatsTest {
  @TempDir
  static Path journal;

  private static RunResult result;

  @BeforeAll
  static void run() {
    result = Faultline.builder().library(new TestFaults()).build().run("formats.fl", """
        playbook "formats" {
          param token: string = "hunter2" secret
          scenario "passes" tags [smoke] {
            step "break and check" {
              let t = target("db")
              inject t.break()
              record seen = "broken <db> & \\"quoted\\""
              expect 1 == 1
            }
          }
          scenario "fails" {
            step "wrong | count" { expect 1 == 2, "one is not two" }
          }
          scenario "aborts" {
            step "gives up" { abort P2 "too risky" }
          }
          scenario "skipped after the abort" {
            step "never" { log "unreachable" }
          }
        }
        """, RunOptions.builder().journalDir(journal).build());
  }

  @Test
  void junitXmlIsValidAndCountsEveryOutcome() throws Exception {
    String xml = ReportJUnit.render(result);
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(ReportFormatsTest.class.getResource("/junit-report.xsd")).newValidator()
        .validate(new StreamSource(new StringReader(xml)));
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals("4", suite.getAttribute("tests"));
    assertEquals("1", suite.getAttribute("failures"));
    assertEquals("1", suite.getAttribute("errors"));
    assertEquals("1", suite.getAttribute("skipped"));
    NodeList cases = doc.getElementsByTagName("testcase");
    assertEquals("passes", ((Element) cases.item(0)).getAttribute("name"));
    Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
    assertTrue(failure.getAttribute("message").contains("one is not two"), failure.getAttribute("message"));
    assertTrue(failure.getTextContent().contains("step \"wrong | count\" at formats.fl:"), failure.getTextContent());
    assertEquals("aborted", ((Element) ((Element) cases.item(2)).getElementsByTagName("error").item(0)).getAttribute("type"));
    assertEquals(1, ((Element) cases.item(3)).getElementsByTagName("skipped").getLength());
    String out = ((Element) cases.item(0)).getElementsByTagName("system-out").item(0).getTextContent();
    assertTrue(out.contains("passed  break and check") && out.contains("record seen = broken <db> & \"quoted\""), out);
    assertFalse(xml.contains("hunter2"), "a secret param must not reach the report");
  }

  @Test
  void markdownHasThePostChaosReportAndTheExperimentLog() {
    String md = ReportMarkdown.render(result, false);
    for (String section : List.of("# Chaos run: formats", "## Scenarios", "## Faults injected", "## Records", "## Failures", "## Successes",
        "## Experiment log")) {
      assertTrue(md.contains(section), section + " missing:\n" + md);
    }
    assertTrue(md.contains("| fails |  | ❌ failed |"), md);
    assertTrue(md.contains("wrong \\| count") || md.contains("\"wrong | count\""), md);
    assertTrue(md.contains("- **aborts** aborted in step \"gives up\""), md);
    assertTrue(md.lines().anyMatch(l -> l.contains("target db") || l.contains("db")), md);
    assertFalse(md.contains("hunter2"), "a secret param must not reach the report");
    assertFalse(md.contains("**not reverted**"), md);
  }

  @Test
  void maskedMarkdownHasNoTimes() {
    String md = ReportMarkdown.render(result, true);
    assertFalse(md.matches("(?s).*\\+\\d+\\.\\d{3}s.*"), md);
  }

  @Test
  void formatsAreParsedAndWrittenToTheirFiles(@TempDir Path dir) throws Exception {
    assertEquals(Set.of(ReportFormat.JSON, ReportFormat.JUNIT), ReportFormat.parse("json, junit"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportFormat.parse("json,pdf"));
    assertTrue(e.getMessage().contains("pdf") && e.getMessage().contains("junit"), e.getMessage());
    List<Path> files = ReportFormat.writeAll(result, dir, ReportFormat.parse("junit,md,json"), false);
    assertEquals(List.of(dir.resolve("report.json"), dir.resolve("report.md"), dir.resolve("junit.xml")), files);
    for (Path f : files) assertTrue(Files.size(f) > 100, f + " is too small");
  }
}
