package dev.faultline.repl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole sessions on a JLine terminal over piped streams (a dumb terminal, as for a scripted
 * {@code faultline repl < gameday.txt}): values in their units, multi-line input, errors with a
 * caret followed by a working statement, the commands, stepping, and the end of the session
 * (every fault reverted, the report and the transcript written).
 */
@Timeout(60)
class ReplSessionTest {
  @TempDir
  Path tmp;

  private static final String GAMEDAY = """
      playbook "gameday" {
        param budget = 2s
        let svc = demo.service(name: "shop")
        scenario "outage" tags [smoke] {
          step "first" { log "one" }
          step "second" {
            inject svc.outage(status: 500) for 50ms
            log "two"
          }
          step "third" { log "three" }
        }
      }
      """;

  @Test
  void valuesPrintInTheirUnitsAndLetShowsTheName() throws Exception {
    var s = Scripted.run(null, "let x = 2.5s\nx * 2\n30% + 5%\n256MB\n\"text\"\n[1, 2]\nlog \"hello\"\n", tmp);
    String out = s.output();
    assertTrue(out.contains("faultline> let x = 2.5s\nx = 2.5s\n"), out);
    assertTrue(out.contains("faultline> x * 2\n5s\n"), out);
    assertTrue(out.contains("faultline> 30% + 5%\n35%\n"), out);
    assertTrue(out.contains("\"text\"\n"), out);
    assertTrue(out.contains("[1, 2]\n"), out);
    assertTrue(out.contains("log     hello"), out);
    assertEquals(0, s.ended().exitCode());
  }

  @Test
  void anUnfinishedBlockContinuesOnTheNextLine() throws Exception {
    var s = Scripted.run(null, "fn twice(d) {\n  return d * 2\n}\ntwice(300ms)\nlet text = \"\"\"\nline one\nline two\"\"\"\n", tmp);
    String out = s.output();
    assertTrue(out.contains("faultline> fn twice(d) {\n      ...>   return d * 2\n      ...> }\n"), out);
    assertTrue(out.contains("faultline> twice(300ms)\n600ms\n"), out);
    assertTrue(out.contains("text = \"line one\\nline two\""), out);
  }

  @Test
  void anErrorShowsItsCaretAndTheSessionGoesOn() throws Exception {
    var s = Scripted.run(null, "let budget = 2s\nbudget > 30%\nlet x = nope + 1\nlet y = (1 +\n2)\nbudget * 2\n", tmp);
    String out = s.output();
    assertTrue(out.contains("<input 2>:1:"), out);
    assertTrue(out.contains("^"), out);
    assertTrue(out.contains("unknown name 'nope'") || out.contains("'nope'"), out);
    assertTrue(out.contains("faultline> budget * 2\n4s\n"), out);
    assertTrue(out.contains("y = 3"), out);
  }

  @Test
  void aStatementThatFailsDoesNotDefineItsNameSoItCanBeTypedAgain() throws Exception {
    var s = Scripted.run(null, "let n = [1][5]\nlet n = 7\nn\nlet n = 8\nn = 9\nn\nimport \"lib.fl\"\n", tmp);
    String out = s.output();
    assertTrue(out.contains("'import' is not available at the prompt"), out);
    assertTrue(out.contains("faultline> n\n7\n"), out);
    assertTrue(out.contains("'n' is already defined"), out);
    assertTrue(out.contains("faultline> n\n9\n"), out);
  }

  @Test
  void faultsAtThePromptStayUntilRevertAllAndAreListed() throws Exception {
    var s = Scripted.run(GAMEDAY, """
        inject svc.outage(status: 503)
        http.get(svc.health_url).status
        faults
        revert all
        http.get(svc.health_url).status
        faults
        """, tmp);
    String out = s.output();
    assertTrue(out.contains("faultline> http.get(svc.health_url).status\n503\n"), out);
    assertTrue(out.contains("1 active fault"), out);
    assertTrue(out.contains("session (until reverted or quit)"), out);
    assertTrue(out.contains("reverted 1 fault in"), out);
    assertTrue(out.contains("status\n200\n"), out);
    assertTrue(out.contains("faultline> faults\nno fault is active"), out);
  }

  @Test
  void quittingRevertsEveryFaultAndLeavesFilesByteIdentical() throws Exception {
    Path file = tmp.resolve("config.yaml");
    byte[] original = "replicas: 2\nport: 5432\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, original);
    var s = Scripted.run(null, "inject file(\"" + file + "\").replace(\"broken\")\ninject file(\"" + file + "\").chmod(mode: \"000\")\nquit\n",
        tmp, RunOptions.builder().allow(Set.of(Capability.FS)));
    assertTrue(s.output().contains("reverting 2 active faults before quitting"), s.output());
    assertArrayEquals(original, Files.readAllBytes(file));
    assertEquals(0, s.ended().exitCode());
    assertTrue(s.session().interactiveRun().run().faults().active().isEmpty());
  }

  @Test
  void stepPausesBeforeEachStepAndContinueRunsTheRest() throws Exception {
    var s = Scripted.run(GAMEDAY, "scenarios\nstep outage\nsvc.requests\nstep\ncontinue\nstep\n", tmp);
    String out = s.output();
    assertTrue(out.contains("outage [smoke] - 3 steps"), out);
    assertTrue(out.contains("paused before step \"first\" of outage"), out);
    assertTrue(out.contains("faultline [outage > first]> svc.requests\n0\n"), out);
    assertTrue(out.contains("faultline [outage > first]> step"), out);
    assertTrue(out.contains("paused before step \"second\""), out);
    assertTrue(out.contains("PASS  step \"third\""), out);
    assertTrue(out.contains("PASS  scenario \"outage\""), out);
    assertTrue(out.contains("error: no scenario is paused"), out);
  }

  @Test
  void stopAllAbortsThePausedScenarioAndRevertsItsFaults() throws Exception {
    var s = Scripted.run(GAMEDAY, "step outage\ninject svc.outage(status: 502)\nstop all\nfaults\nhttp.get(svc.health_url).status\n", tmp);
    String out = s.output();
    assertTrue(out.contains("stopped: 1 fault reverted in"), out);
    assertTrue(out.contains("ABORT scenario \"outage\"") || out.contains("ABORT"), out);
    assertTrue(out.contains("faultline> faults\nno fault is active"), out);
    assertTrue(out.contains("status\n200\n"), out);
  }

  @Test
  void runAScenarioThenQuitWritesTheReportAndTheTranscript() throws Exception {
    var s = Scripted.run(GAMEDAY, "run outage\nrun nope\nreport\n", tmp);
    String out = s.output();
    assertTrue(out.contains("PASS  scenario \"outage\""), out);
    assertTrue(out.contains("error: no scenario 'nope'"), out);
    assertTrue(out.contains("report so far: "), out);
    String report = Files.readString(tmp.resolve("report/report.json"));
    assertTrue(report.contains("\"repl.input\""), report);
    assertTrue(report.contains("run outage"), report);
    assertTrue(report.contains("\"outage\""), report);
    String transcript = Files.readString(tmp.resolve("report/transcript.txt"));
    assertTrue(transcript.matches("(?s).*\\[\\d\\d:\\d\\d:\\d\\d] faultline> run outage\n.*"), transcript);
    assertTrue(transcript.contains("PASS  scenario \"outage\""), transcript);
    assertFalse(transcript.contains("\u001b["), "no colours in the transcript");
  }

  @Test
  void helpDocumentsFunctionsInjectorsAndValues() throws Exception {
    var s = Scripted.run(GAMEDAY, "help http.get\nhelp svc\nhelp svc.outage\nhelp nosuch\n:nosuch\nhelp\n", tmp);
    String out = s.output();
    assertTrue(out.contains("http.get(url: string"), out);
    assertTrue(out.contains("outage"), out);
    assertTrue(out.contains("injector"), out);
    assertTrue(out.contains("error: nothing is called 'nosuch'"), out);
    assertTrue(out.contains("error: ':nosuch' is not a command"), out);
    assertTrue(out.contains("stop all"), out);
  }

  @Test
  void stopAllStopsBackgroundTraffic() throws Exception {
    var s = Scripted.run(null, """
        let svc = demo.service()
        let load = traffic(svc.health_url, rate: 50/s, name: "health")
        wait 400ms
        load.running
        stop all
        wait 300ms
        load.running
        """, tmp);
    String out = s.output();
    assertTrue(out.contains("faultline> load.running\ntrue\n"), out);
    assertTrue(out.matches("(?s).*stop all.*wait 300ms\n.*traffic \"health\": \\d+ requests.*faultline> load\\.running\nfalse\n.*"), out);
    assertEquals(0, s.ended().exitCode());
  }

  @Test
  void thePlaybooksJavaScriptHooksAreFunctionsAtThePrompt() throws Exception {
    var s = Scripted.run("""
        playbook "hooked" {
          hook \"\"\"
            faultline.probe("answer", { doc: "the answer", run: () => 42 })
          \"\"\"
        }
        """, "answer()\nanswer() + 1\n", tmp);
    String out = s.output();
    assertTrue(out.contains("faultline> answer()\n42\n"), out);
    assertTrue(out.contains("faultline> answer() + 1\n43\n"), out);
  }

  @Test
  void theSessionLeavesItsReportInTheFormatsAskedFor() throws Exception {
    var s = Scripted.run(GAMEDAY, "run outage\n", tmp, dev.faultline.run.RunOptions.builder(),
        java.util.EnumSet.of(dev.faultline.report.ReportFormat.JSON, dev.faultline.report.ReportFormat.MD, dev.faultline.report.ReportFormat.HTML));
    String out = s.output();
    for (String f : new String[] {"report.json", "report.md", "report.html"}) {
      assertTrue(out.contains("report: " + tmp.resolve("report").resolve(f)), out);
      assertTrue(java.nio.file.Files.size(tmp.resolve("report").resolve(f)) > 200, f);
    }
    assertTrue(java.nio.file.Files.readString(tmp.resolve("report").resolve("report.md")).contains("repl.input"), "the experiment log holds what was typed");
  }
}
