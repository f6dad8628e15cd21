package dev.faultline.source;

import java.util.List;

/**
 * A mistake in what the user wrote or passed (a playbook, a parameter, a selection), carrying one
 * or more {@link Diagnostic}s. It is shown through {@link DiagnosticRenderer}, never as a stack trace.
 */
public class PlaybookError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Diagnostic> diagnostics;

  public PlaybookError(Diagnostic diagnostic) {
    this(List.of(diagnostic));
  }

  public PlaybookError(List<Diagnostic> diagnostics) {
    super(diagnostics.isEmpty() ? "playbook error" : diagnostics.get(0).headline(), null, false, false);
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  public Diagnostic first() {
    return diagnostics.get(0);
  }
}
