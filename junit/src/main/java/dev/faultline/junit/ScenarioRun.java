package dev.faultline.junit;

import dev.faultline.embed.Faultline;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * One scenario of a {@link FaultlinePlaybook}: run just before the test method, so that the method
 * (if it has a body) sees its {@link ScenarioResult} and {@link RunResult}. Faults are reverted by
 * the run itself before this returns.
 */
final class ScenarioRun implements BeforeTestExecutionCallback, ParameterResolver {
  private final Faultline faultline;
  private final LoadedPlaybook playbook;
  private final RunOptions options;
  private final String id;
  private RunResult result;

  ScenarioRun(Faultline faultline, LoadedPlaybook playbook, RunOptions options, String id) {
    this.faultline = faultline;
    this.playbook = playbook;
    this.options = options;
    this.id = id;
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    try {
      result = faultline.start(playbook, options).execute();
    } catch (PlaybookError e) {
      throw new AssertionFailedError(PlaybookScenarios.render(e, playbook));
    }
    ScenarioResult scenario = scenario();
    if (scenario == null) throw new AssertionFailedError("scenario '" + id + "' did not run: " + result.error().map(d -> d.message()).orElse("no result"));
    switch (scenario.status()) {
      case PASSED -> {
        if (result.exitCode() != 0) throw new AssertionFailedError(runFailure());
      }
      case SKIPPED -> throw new TestAbortedException("scenario '" + id + "' skipped: " + scenario.message());
      case FAILED, ABORTED -> throw new AssertionFailedError(failure(scenario, playbook));
    }
  }

  private ScenarioResult scenario() {
    return result.scenarios().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
  }

  /** "scenario 'x' failed in step 'y' at file:line:col: message", then the rendered diagnostic. */
  static String failure(ScenarioResult s, LoadedPlaybook playbook) {
    StringBuilder b = new StringBuilder("scenario '").append(s.id()).append("' ").append(s.status() == Status.ABORTED ? "aborted" : "failed");
    s.failedStep().ifPresent(step -> {
      b.append(" in step '").append(step.name()).append("'");
      if (step.at() != null && !step.at().isEmpty()) b.append(" at ").append(step.at());
    });
    b.append(": ").append(s.message());
    s.error().ifPresent(d -> b.append('\n').append(DiagnosticRenderer.plain(playbook.sources()).render(d)));
    return b.toString();
  }

  private String runFailure() {
    StringBuilder b = new StringBuilder("scenario '").append(id).append("' passed but the run ended with exit code ")
        .append(result.exitCode());
    result.error().ifPresent(d -> b.append(": ").append(d.message()));
    for (String f : result.revertFailures()) b.append("\n  revert failed: ").append(f);
    return b.toString();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
    Class<?> type = p.getParameter().getType();
    return type == ScenarioResult.class || type == RunResult.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext context) {
    return p.getParameter().getType() == RunResult.class ? result : scenario();
  }
}
