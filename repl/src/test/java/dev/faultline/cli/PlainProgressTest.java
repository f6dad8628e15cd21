package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline run} where no live line can be drawn (a pipe, a CI log): timestamped event lines on
 * standard error, the usual step lines on standard output, and neither carriage returns nor escapes.
 */
class PlainProgressTest {
  @TempDir
  Path tmp;

  private static final Path BREACH = GoldenTest.DIR.resolve("guard-breach.fl");

  @Test
  void aPipeGetsOneTimestampedLinePerEventOnStandardError() throws Exception {
    Path dir = tmp.resolve("r");
    CommandLineTest.Outcome o = CommandLineTest.run("run", BREACH.toString(), "--mask-durations", "--report-dir", dir.toString(),
        "--journal", tmp.resolve("j").toString());
    assertEquals(3, o.exit(), o.out() + o.err());
    assertEquals("""
        <time> run.started      "guard-breach" %s
        <time> scenario.started "outage"
        <time> step.started     "outage" / "inject an outage and wait"
        <time> fault.injected   "outage" / "inject an outage and wait": #1 latency 500ms
        <time> fault.injected   "outage" / "inject an outage and wait": #2 outage of the fake system
        <time> guard.breached   "outage" / "inject an outage and wait": guard "error rate under 5%%" (P2): value 40%%, threshold 5%%
        <time> fault.reverted   "outage" / "inject an outage and wait": #2 outage of the fake system
        <time> fault.reverted   "outage" / "inject an outage and wait": #1 latency 500ms
        <time> breach.reverted  "outage" / "inject an outage and wait": all 2 active faults were reverted, <dur> after the check
        <time> aborted          "outage" / "inject an outage and wait": aborted P2: guard "error rate under 5%%" breached: error budget burning (value 40%%, threshold 5%%)
        <time> step.ended       "outage" / "inject an outage and wait": aborted in <dur> - aborted P2: guard "error rate under 5%%" breached: error budget burning (value 40%%, threshold 5%%)
        <time> step.ended       "outage" / "skipped after the breach": skipped - not run: the run was aborted
        <time> scenario.ended   "outage": aborted in <dur> - aborted P2: guard "error rate under 5%%" breached: error budget burning (value 40%%, threshold 5%%)
        <time> scenario.ended   "later": skipped - not run: the run was aborted
        <time> run.ended        exit 3 in <dur>
        """.formatted(BREACH), o.err());
    // Standard output is what a terminal shows without the live line: the golden file's text.
    String golden = Files.readString(GoldenTest.DIR.resolve("guard-breach.out"));
    assertEquals(golden, GoldenTest.normalize(o.out(), dir));
    for (String text : new String[] {o.out(), o.err()}) {
      assertFalse(text.contains("\r") || text.contains("\u001b"), text);
    }
  }

  @Test
  void realTimesAreUtcToTheMillisecond() throws Exception {
    CommandLineTest.Outcome o = CommandLineTest.run("run", GoldenTest.DIR.resolve("decide.fl").toString(),
        "--report-dir", tmp.resolve("r").toString(), "--journal", tmp.resolve("j").toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    String[] lines = o.err().split("\n");
    assertTrue(lines.length >= 6, o.err());
    for (String line : lines) {
      assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z [a-z_.]+ +.*"), line);
    }
    assertTrue(lines[lines.length - 1].matches(".* run\\.ended +exit 0 in \\S+"), lines[lines.length - 1]);
  }

  @Test
  void noProgressSilencesThem() throws Exception {
    CommandLineTest.Outcome o = CommandLineTest.run("run", BREACH.toString(), "--no-progress", "--report-dir", tmp.resolve("r").toString(),
        "--journal", tmp.resolve("j").toString());
    assertEquals(3, o.exit(), o.out() + o.err());
    assertEquals("", o.err());
  }

  @Test
  void aTerminalGetsTheLiveLineInstead() throws Exception {
    CommandLineTest.Outcome o = CommandLineTest.run(Map.of("TERM", "xterm"), true, "run", GoldenTest.DIR.resolve("decide.fl").toString(),
        "--no-color", "--report-dir", tmp.resolve("r").toString(), "--journal", tmp.resolve("j").toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    assertEquals("", o.err());
  }
}
