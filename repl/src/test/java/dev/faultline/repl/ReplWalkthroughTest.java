package dev.faultline.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the game-day walkthrough of docs/repl.md against the real REPL, so that it cannot rot:
 * the playbook shown there must be docs/examples/gameday.fl, the inputs of its {@code repl-session}
 * block are typed into a session on that playbook, and every line of the block (inputs and output,
 * {@code …} standing for anything) must appear in the session's output, in order.
 */
@Timeout(60)
class ReplWalkthroughTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern PROMPT = Pattern.compile("^faultline(?: \\[[^\\]]*\\])?> (.*)$");
  private static final String CONTINUATION = "      ...> ";

  @TempDir
  Path tmp;

  @Test
  void theWalkthroughOfDocsReplMdIsWhatTheReplDoes() throws Exception {
    String doc = Files.readString(ROOT.resolve("docs/repl.md"));
    String playbook = Files.readString(ROOT.resolve("docs/examples/gameday.fl"));
    assertEquals(playbook, block(doc, "faultline"), "the playbook in docs/repl.md is docs/examples/gameday.fl");
    List<String> expected = block(doc, "repl-session").lines().toList();

    StringBuilder script = new StringBuilder();
    for (String line : expected) {
      Matcher m = PROMPT.matcher(line);
      if (m.matches()) script.append(m.group(1)).append('\n');
      else if (line.startsWith(CONTINUATION)) script.append(line.substring(CONTINUATION.length())).append('\n');
    }
    var session = Scripted.run(playbook, script.toString(), tmp, RunOptions.builder().allow(java.util.Set.of(Capability.NET)));
    List<String> actual = session.output().lines().map(String::stripTrailing).toList();

    int at = 0;
    for (String want : expected) {
      if (want.isBlank()) continue;
      Pattern p = wildcard(want.stripTrailing());
      int found = -1;
      for (int i = at; i < actual.size(); i++) {
        if (p.matcher(actual.get(i)).matches()) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        fail("docs/repl.md: the line\n  " + want + "\nis not in the session's output after line " + at + ":\n"
            + String.join("\n", actual.subList(Math.max(0, at - 3), actual.size())));
      }
      at = found + 1;
    }
    assertTrue(Files.exists(tmp.resolve("report/report.json")));
    assertEquals(0, session.ended().exitCode());
  }

  /** The text of the first fenced block tagged {@code tag}. */
  private static String block(String doc, String tag) {
    int open = doc.indexOf("```" + tag + "\n");
    assertTrue(open >= 0, "docs/repl.md has a ```" + tag + " block");
    int start = open + tag.length() + 4;
    int end = doc.indexOf("```\n", start);
    return doc.substring(start, end);
  }

  private static Pattern wildcard(String line) {
    List<String> parts = new ArrayList<>(List.of(line.split("…", -1)));
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) regex.append(".*");
      regex.append(Pattern.quote(parts.get(i)));
    }
    return Pattern.compile(regex.toString());
  }
}
