package dev.faultline.repl;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.eval.Aborted;
import dev.faultline.eval.ExpectFailed;
import dev.faultline.eval.Literals;
import dev.faultline.host.Interrupted;
import dev.faultline.parse.PlaybookParser;
import dev.faultline.run.InteractiveRun;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import dev.faultline.value.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements typed at the prompt: each input is parsed as statements, checked in the session's
 * context ({@link InputChecker}) and run one by one on the {@link InteractiveRun}; a value prints
 * in its units, an error with its caret, and the input stops at its first failing statement. Every
 * input is a source of its own ({@code <input 3>}), so that messages point into it. Confined to the
 * evaluating thread.
 */
final class Statements {
  private final InteractiveRun run;
  private final InputChecker checker;
  private final Console console;
  private final ReplSession.Settings settings;
  private final PlaybookParser parser = new PlaybookParser();
  private final List<Decl.Scenario> typedScenarios = new ArrayList<>();
  private int inputs;

  Statements(InteractiveRun run, InputChecker checker, Console console, ReplSession.Settings settings) {
    this.run = run;
    this.checker = checker;
    this.console = console;
    this.settings = settings;
  }

  /** Scenarios declared at the prompt, in the order they were typed (a later one replaces an earlier of the same id). */
  List<Decl.Scenario> typedScenarios() {
    return List.copyOf(typedScenarios);
  }

  /** Parses, checks and runs one input of statements, printing each value or the first error. */
  void run(String text) {
    SourceFile src = new SourceFile("<input " + (++inputs) + ">", text);
    checker.remember(src);
    run.source(src);
    Playbook parsed;
    try {
      parsed = parser.parseStatements(src);
    } catch (PlaybookError e) {
      problems(e.diagnostics());
      return;
    }
    for (Stmt stmt : parsed.body()) {
      if (stmt instanceof Decl.Import imp) {
        // Rationale: imports are resolved when a playbook is loaded; the prompt has no file to resolve against.
        problems(List.of(Diagnostic.error(imp.at(), "'import' is not available at the prompt")
            .withHelp("start the REPL with a playbook that imports it: faultline repl FILE")));
        return;
      }
    }
    List<Diagnostic> found = checker.check(src, parsed.body());
    if (found.stream().anyMatch(Diagnostic::isError)) {
      problems(found);
      return;
    }
    if (!found.isEmpty()) console.println(renderAll(found));
    for (Stmt stmt : parsed.body()) {
      if (!statement(stmt)) return;
    }
  }

  /** Runs one statement and prints what it gave; false when it failed (the rest of the input is not run). */
  private boolean statement(Stmt stmt) {
    try {
      Object value = run.execute(stmt);
      checker.ran(stmt);
      if (stmt instanceof Decl.Scenario sc) {
        typedScenarios.removeIf(s -> s.id().equals(sc.id()));
        typedScenarios.add(sc);
      }
      String shown = shown(stmt, value);
      if (shown != null) console.println(shown);
      run.result(shown == null ? "ok" : shown, false);
      return true;
    } catch (ExpectFailed e) {
      failed(render(Diagnostic.error(e.at(), e.getMessage())), "expectation failed: " + e.getMessage());
    } catch (Aborted e) {
      failed(console.alarm("aborted " + e.severity().name() + ": " + e.getMessage()) + "\n" + afterStop(), "aborted: " + e.getMessage());
    } catch (Interrupted e) {
      failed("interrupted: " + e.getMessage() + "\n" + afterStop(), "interrupted: " + e.getMessage());
    } catch (PlaybookError e) {
      failed(renderAll(e.diagnostics()), e.first().message());
    } catch (RuntimeException bug) {
      failed("internal error: " + bug + (settings.debug() ? "\n" + stackTrace(bug)
          : "\n  = help: this is a bug in faultline, not in the input; rerun with --debug to see the stack trace"), "internal error: " + bug);
    }
    return false;
  }

  private void failed(String text, String forReport) {
    console.println(text);
    run.result(forReport, true);
  }

  /** What is still active after a statement was stopped: faults at the prompt outlive it. */
  private String afterStop() {
    int n = run.run().faults().active().size();
    if (n == 0) return "the session goes on; no fault is active";
    return "the session goes on; " + (n == 1 ? "1 fault injected at the prompt is" : n + " faults injected at the prompt are")
        + " still active ('faults' lists them, 'revert all' reverts them)";
  }

  /** What to print for a statement's value: an expression's value, {@code name = value} for a let; null for nothing. */
  private String shown(Stmt stmt, Object value) {
    if (stmt instanceof Stmt.ExprStmt) return value == null ? null : Values.showNested(value);
    if (stmt instanceof Stmt.Let let) {
      Object v = run.environment().lookup(let.name()).map(Literals::unwrap).orElse(null);
      return let.name() + " = " + Values.showNested(v);
    }
    return null;
  }

  private void problems(List<Diagnostic> diagnostics) {
    console.println(renderAll(diagnostics));
    run.result(diagnostics.isEmpty() ? "error" : diagnostics.get(0).message(), true);
  }

  String render(Diagnostic d) {
    return new DiagnosticRenderer(checker.sources(), settings.shortErrors(), settings.colour()).render(d);
  }

  private String renderAll(List<Diagnostic> ds) {
    return new DiagnosticRenderer(checker.sources(), settings.shortErrors(), settings.colour()).renderAll(ds);
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
