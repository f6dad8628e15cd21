package dev.faultline.eval;

import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;

/** A mistake found while running (a wrong type, an unknown key, a failing host call): fails the step. */
public final class EvalError extends PlaybookError {
  private static final long serialVersionUID = 1L;

  public EvalError(Diagnostic diagnostic) {
    super(diagnostic);
  }

  public static EvalError at(Position at, String message, String help) {
    Diagnostic d = Diagnostic.error(at, message);
    return new EvalError(help == null ? d : d.withHelp(help));
  }
}
