package dev.faultline.embed.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.run.RunResult;
import java.io.StringWriter;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;

/** Faultline found and driven through JSR-223, as any JVM application would. */
class ScriptEngineTest {
  private static final String PLAYBOOK = """
      playbook "scripted" {
        param attempts: int = 3
        param label = "none"
        scenario "count" {
          step "loop" {
            let n = 0
            repeat attempts { n = n + 1 }
            log "counted ${n} for ${label}"
            record counted = n
            expect n == attempts
          }
        }
      }
      """;

  private final ScriptEngineManager manager = new ScriptEngineManager();

  @Test
  void isFoundByNameExtensionAndMimeType() {
    assertNotNull(manager.getEngineByName("faultline"));
    assertNotNull(manager.getEngineByExtension("fl"));
    assertNotNull(manager.getEngineByMimeType("text/x-faultline"));
    assertEquals("Faultline", manager.getEngineByName("faultline").getFactory().getLanguageName());
  }

  @Test
  void bindingsBecomeParamsAndTheResultComesBack() throws Exception {
    ScriptEngine engine = manager.getEngineByName("faultline");
    engine.put("attempts", 5);
    engine.put("label", "jsr-223");
    engine.put("unrelated", new Object()); // not a param: ignored
    StringWriter out = new StringWriter();
    engine.getContext().setWriter(out);
    RunResult result = assertInstanceOf(RunResult.class, engine.eval(PLAYBOOK));
    assertEquals(0, result.exitCode());
    assertEquals(5L, ((Number) result.scenarios().get(0).records().get("counted")).longValue());
    assertTrue(out.toString().contains("counted 5 for jsr-223"), out.toString());
  }

  @Test
  void aFailedScenarioIsInTheResultNotAnException() throws Exception {
    ScriptEngine engine = manager.getEngineByName("faultline");
    RunResult result = (RunResult) engine.eval(PLAYBOOK.replace("expect n == attempts", "expect n == attempts + 1"));
    assertEquals(1, result.exitCode());
    assertEquals("FAILED", result.scenarios().get(0).status().name());
  }

  @Test
  void aCompiledScriptRunsManyTimes() throws Exception {
    ScriptEngine engine = manager.getEngineByName("faultline");
    CompiledScript script = ((Compilable) engine).compile(PLAYBOOK);
    for (int i = 1; i <= 3; i++) {
      engine.put("attempts", i);
      RunResult r = (RunResult) script.eval();
      assertEquals((long) i, ((Number) r.scenarios().get(0).records().get("counted")).longValue());
    }
  }

  @Test
  void badInputIsAScriptExceptionWithFileLineAndColumn() {
    ScriptEngine engine = manager.getEngineByName("faultline");
    engine.getContext().setAttribute(ScriptEngine.FILENAME, "inline.fl", ScriptContext.ENGINE_SCOPE);
    ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("""
        playbook "bad" {
          scenario "s" {
            step "x" { expect lenn([1]) == 1 }
          }
        }
        """));
    assertEquals("inline.fl", e.getFileName());
    assertEquals(3, e.getLineNumber());
    assertTrue(e.getColumnNumber() > 0);
    assertTrue(e.getMessage().contains("lenn"), e.getMessage());
    assertTrue(e.getMessage().contains("len"), e.getMessage());
  }

  @Test
  void anUnknownPermissionIsNamed() {
    ScriptEngine engine = manager.getEngineByName("faultline");
    engine.getContext().setAttribute(FaultlineScriptEngine.ALLOW, "net,teleport", ScriptContext.ENGINE_SCOPE);
    ScriptException e = assertThrows(ScriptException.class, () -> engine.eval(PLAYBOOK));
    assertTrue(e.getMessage().contains("teleport"), e.getMessage());
  }
}
