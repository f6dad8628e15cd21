package dev.faultline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.TestFaults;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a real run, opened in headless Chromium (Debian's package): the rendered DOM
 * holds the scenarios, the faults and the timeline, nothing was fetched, no console error, and a
 * screenshot is saved to target/report-screenshot.png. Skipped with -Dfaultline.skip.chromium=true
 * (./run-tests passes it when Chromium is missing and the machine is not CI).
 */
class HtmlReportTest {
  @TempDir
  static Path dir;

  static RunResult result;

  @BeforeAll
  static void run() {
    result = Faultline.builder().library(new TestFaults()).build().run("checkout.fl", """
        playbook "checkout-chaos" {
          param api_token: string = "s3cr3t-token-value" secret
          scenario "db.latency" tags [smoke] {
            step "slow database" {
              let db = target("db")
              inject db.break(how: "slow")
              wait 120ms
              record p95 = 180ms
              expect 180ms < 500ms
            }
            step "cache down as well" {
              inject target("cache").break()
              wait 80ms
              decide {
                when 3 > 5 -> log "too many errors"
                else -> log "within bounds, continuing"
              }
            }
          }
          scenario "payment.timeout" tags [nightly] {
            step "gateway stalls" {
              inject target("gateway").break(how: "stall")
              wait 60ms
              expect 2 == 1, "checkout kept failing after the gateway came back"
            }
          }
          scenario "config.reload" {
            step "reload" { expect true }
          }
        }
        """, RunOptions.builder().journalDir(dir.resolve("journal")).build());
  }

  @Test
  void theReportIsOneSelfContainedFile() {
    String html = ReportHtml.render(result);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing fetched from anywhere");
    assertFalse(html.contains("s3cr3t-token-value"), "a secret param must not reach the report");
    assertTrue(html.contains("payment.timeout") && html.contains("checkout kept failing after the gateway came back"));
  }

  @Test
  void chromiumRendersTheScenariosTheFaultsAndTheTimeline() throws Exception {
    assumeFalse(Boolean.getBoolean("faultline.skip.chromium"), "Chromium tests skipped (faultline.skip.chromium)");
    Path html = dir.resolve("report.html");
    ReportHtml.write(result, html);
    String dom = chromium(html, "--dump-dom");
    assertEquals(3, count(dom, "<tr class=\"scenario\""), dom);
    assertTrue(dom.contains("data-status=\"failed\"") && dom.contains("data-status=\"passed\""));
    assertEquals(3, count(dom, "<tr class=\"fault\""), "three faults in the table");
    assertTrue(count(dom, "class=\"bar fault\"") >= 3, "each fault is a bar on the timeline");
    assertTrue(dom.contains("<svg class=\"timeline\""));
    Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(png);
    chromium(html, "--screenshot=" + png, "--window-size=1040,900", "--hide-scrollbars");
    assertTrue(Files.size(png) > 10_000, "a screenshot was taken: " + png);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
    return n;
  }

  /** Runs headless Chromium on the file, with no network, and returns its standard output; fails on a console error. */
  private static String chromium(Path html, String... args) throws Exception {
    String binary = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
    List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
        "--user-data-dir=" + dir.resolve("chromium-profile")));
    cmd.addAll(List.of(args));
    cmd.add(html.toUri().toString());
    Path err = dir.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    String log = Files.readString(err);
    assertFalse(log.contains("Uncaught") || log.contains(":CONSOLE(") && log.contains("Error"), "console errors:\n" + log);
    assertEquals(0, p.exitValue(), "chromium failed:\n" + log);
    return out;
  }
}
