package dev.faultline.embed.script;

import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * Registers Faultline with JSR-223 ({@code javax.script}): {@code new ScriptEngineManager()
 * .getEngineByName("faultline")}, by the extension {@code fl} or the MIME type
 * {@code text/x-faultline}. Registered through {@code META-INF/services}. See
 * {@link FaultlineScriptEngine} for what an evaluation does.
 */
public final class FaultlineScriptEngineFactory implements ScriptEngineFactory {
  static final String VERSION = "0.1.0";

  @Override
  public String getEngineName() {
    return "Faultline";
  }

  @Override
  public String getEngineVersion() {
    return VERSION;
  }

  @Override
  public List<String> getExtensions() {
    return List.of("fl");
  }

  @Override
  public List<String> getMimeTypes() {
    return List.of("text/x-faultline");
  }

  @Override
  public List<String> getNames() {
    return List.of("faultline", "Faultline");
  }

  @Override
  public String getLanguageName() {
    return "Faultline";
  }

  @Override
  public String getLanguageVersion() {
    return VERSION;
  }

  @Override
  public Object getParameter(String key) {
    return switch (key) {
      case ScriptEngine.ENGINE -> getEngineName();
      case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
      case ScriptEngine.NAME -> getNames().get(0);
      case ScriptEngine.LANGUAGE -> getLanguageName();
      case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
      // Rationale: one run owns its faults and scopes; runs may overlap, but a run is not re-entrant.
      case "THREADING" -> "MULTITHREADED";
      default -> null;
    };
  }

  @Override
  public String getMethodCallSyntax(String obj, String method, String... args) {
    return obj + "." + method + "(" + String.join(", ", args) + ")";
  }

  @Override
  public String getOutputStatement(String toDisplay) {
    return "log \"" + toDisplay.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String getProgram(String... statements) {
    return "playbook \"script\" {\n  scenario \"main\" {\n    step \"main\" {\n      " + String.join("\n      ", statements)
        + "\n    }\n  }\n}\n";
  }

  @Override
  public ScriptEngine getScriptEngine() {
    return new FaultlineScriptEngine(this);
  }
}
