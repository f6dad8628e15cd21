package dev.faultline.junit;

import dev.faultline.embed.Faultline;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.PreconditionViolationException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Turns a {@link FaultlinePlaybook} method into one test per selected scenario. The playbook is
 * loaded and checked, and its selection, params and permissions resolved, before the first test
 * starts: a mistake there fails the container with the rendered diagnostic, and nothing runs.
 */
final class PlaybookScenarios implements TestTemplateInvocationContextProvider {
  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, FaultlinePlaybook.class)).orElse(false);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    FaultlinePlaybook annotation = AnnotationSupport.findAnnotation(method, FaultlinePlaybook.class).orElseThrow();
    Path file = Path.of(annotation.value());
    if (!Files.isRegularFile(file)) {
      throw new PreconditionViolationException("@FaultlinePlaybook: no playbook at " + file.toAbsolutePath()
          + " (paths are relative to the working directory, " + Path.of("").toAbsolutePath() + ")");
    }
    Faultline faultline = Interpreters.of(context.getRequiredTestClass());
    LoadedPlaybook playbook;
    List<String> ids;
    RunOptions base = Options.from(annotation).build();
    try {
      playbook = faultline.load(file);
      ids = faultline.plan(playbook, base).scenarios().stream().map(s -> s.id()).toList();
    } catch (PlaybookError e) {
      throw new PreconditionViolationException(render(e, playbook(faultline, file)));
    }
    if (ids.isEmpty()) throw new PreconditionViolationException("@FaultlinePlaybook: " + file + " selects no scenario");
    return ids.stream().map(id -> invocation(faultline, playbook, annotation, id));
  }

  private static TestTemplateInvocationContext invocation(Faultline faultline, LoadedPlaybook playbook, FaultlinePlaybook annotation,
      String id) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int index) {
        return id;
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        // The tag selection is already made: each test runs exactly its own scenario.
        RunOptions.Builder options = Options.from(annotation).scenario(id);
        return List.of(new ScenarioRun(faultline, playbook, options.build(), id));
      }
    };
  }

  /** The sources to quote in a diagnostic, when the playbook parsed at all. */
  private static LoadedPlaybook playbook(Faultline faultline, Path file) {
    try {
      return faultline.load(file);
    } catch (PlaybookError e) {
      return null;
    }
  }

  static String render(PlaybookError e, LoadedPlaybook playbook) {
    return playbook == null ? e.getMessage() + diagnostics(e) : DiagnosticRenderer.plain(playbook.sources()).renderAll(e.diagnostics());
  }

  private static String diagnostics(PlaybookError e) {
    StringBuilder b = new StringBuilder();
    for (var d : e.diagnostics()) b.append('\n').append(d.at()).append(": ").append(d.message());
    return b.toString();
  }
}
