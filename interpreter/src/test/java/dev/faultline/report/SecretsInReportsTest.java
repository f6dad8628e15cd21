package dev.faultline.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets planted everywhere a playbook can put them; no renderer and no terminal line may show one. */
class SecretsInReportsTest {
  private static final List<String> PLANTED = List.of("pl4nted-s3cret", "pl4nted-pw", "pl4ntedTOKEN123");

  @TempDir
  Path journal;

  @Test
  void noReportAndNoTerminalLineShowsASecret() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    RunResult r = Faultline.builder().listener(TerminalPrinter.builder(out).build()).build().run("secrets.fl", """
        playbook "secrets" {
          param api_key: string = "pl4nted-s3cret" secret
          param db_url = "postgres://app:pl4nted-pw@127.0.0.1:5432/shop"
          scenario "leaky" {
            step "logs and records it all" {
              log "calling with key ${api_key} on ${db_url}"
              log "Authorization: Bearer pl4ntedTOKEN123"
              record key = api_key
              record headers = {"Authorization": "Bearer pl4ntedTOKEN123", "key": api_key}
              expect api_key == "other", "key ${api_key} was refused by ${db_url}"
            }
          }
        }
        """, RunOptions.builder().journalDir(journal).build());
    Map<String, String> rendered = Map.of(
        "terminal", terminal.toString(StandardCharsets.UTF_8),
        "json", ReportJson.render(r, false),
        "md", ReportMarkdown.render(r, false),
        "junit", ReportJUnit.render(r),
        "html", ReportHtml.render(r));
    for (var e : rendered.entrySet()) {
      for (String secret : PLANTED) assertFalse(e.getValue().contains(secret), e.getKey() + " shows " + secret + ":\n" + e.getValue().lines().filter(l -> l.contains(secret)).toList());
      assertTrue(e.getValue().contains("***"), e.getKey() + " should show the mask");
    }
    // What is not secret stays readable.
    assertTrue(rendered.get("md").contains("postgres://app:***@127.0.0.1:5432/shop"), rendered.get("md"));
  }
}
