package dev.faultline.eval;

import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;

/** A mistake found while running (a wrong type, an unknown key, a failing host call): fails the step. */
public final class EvalError extends PlaybookError {
  private static final long serialVersionUID = 1L;

  /** The Java exception behind an internal error, shown only with --debug; null for user mistakes. */
  private final transient Throwable internal;

  public EvalError(Diagnostic diagnostic) {
    this(diagnostic, null);
  }

  public EvalError(Diagnostic diagnostic, Throwable internal) {
    super(diagnostic);
    this.internal = internal;
  }

  public Throwable internal() {
    return internal;
  }

  public static EvalError at(Position at, String message, String help) {
    Diagnostic d = Diagnostic.error(at, message);
    return new EvalError(help == null ? d : d.withHelp(help));
  }
}
