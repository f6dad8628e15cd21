package dev.faultline.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.eval.Environment;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.Test;

/** Completion candidates and the multi-line rule, without a terminal. */
class CompletionTest {
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  private List<String> values(Environment env, String before, String word) {
    return new Completion(faultline.registry(), env).candidates(before, word).stream().map(Candidate::value).toList();
  }

  @Test
  void aNamespaceListsItsFunctions() {
    List<String> c = values(new Environment(null), "", "http.");
    assertTrue(c.contains("http.get("), c.toString());
  }

  @Test
  void aValueListsItsMembersAndInjectors() {
    Environment env = new Environment(null);
    env.define("cfg", Map.of("db", Map.of("port", 5432L)));
    assertEquals(List.of("cfg.db"), values(env, "", "cfg."));
    assertEquals(List.of("cfg.db.port"), values(env, "", "cfg.db."));
  }

  @Test
  void insideACallTheNamedParametersAreOffered() {
    List<String> c = values(new Environment(null), "http.get(url, ", "");
    assertTrue(c.contains("timeout: "), c.toString());
    assertTrue(c.contains("headers: "), c.toString());
  }

  @Test
  void atTheStartCommandsKeywordsNamesAndFunctions() {
    Environment env = new Environment(null);
    env.define("link", 1L);
    List<String> c = values(env, "", "");
    assertTrue(c.contains("stop all") && c.contains("inject") && c.contains("link") && c.contains("http."), c.toString());
    assertFalse(values(env, "let x = ", "").contains("stop all"));
  }

  @Test
  void theCalleeOfAnOpenCall() {
    assertEquals("link.latency", Completion.openCall("inject link.latency(200ms, ").orElseThrow());
    assertTrue(Completion.openCall("f(1) + ").isEmpty());
  }

  @Test
  void unfinishedInputIsToldByTheLexer() {
    assertEquals("}", InputParser.unfinished("if true {"));
    assertEquals(")", InputParser.unfinished("http.get(\"x\","));
    assertEquals("\"\"\"", InputParser.unfinished("let t = \"\"\"abc"));
    assertNull(InputParser.unfinished("log \"{ not a brace\""));
    assertNull(InputParser.unfinished("# a comment with {"));
    assertNull(InputParser.unfinished("}"));
    assertNull(InputParser.unfinished("let x = 1"));
  }

  @Test
  void commandsAreWholeLinesOnly() {
    assertEquals("stop all", Command.parse("stop all").orElseThrow().word());
    assertEquals("faults", Command.parse(":faults").orElseThrow().word());
    assertEquals("db.down", Command.parse("run \"db.down\"").orElseThrow().argument());
    assertEquals("db.down", Command.parse("step db.down").orElseThrow().argument());
    assertTrue(Command.parse("faults + 1").isEmpty());
    assertTrue(Command.parse("revert f").isEmpty());
    assertTrue(Command.unknown(":bogus").isPresent());
  }
}
