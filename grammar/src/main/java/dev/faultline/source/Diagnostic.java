package dev.faultline.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One problem to show a person: a headline that stands alone, the place it points at with an
 * optional label under the caret, notes about related places, and an optional help line.
 * Immutable; the {@code with*} methods return copies. Rendered only by {@link DiagnosticRenderer}.
 */
public record Diagnostic(
    Severity severity,
    String message,
    Position at,
    Optional<String> label,
    List<String> notes,
    Optional<String> help) {

  public Diagnostic {
    notes = List.copyOf(notes);
  }

  public static Diagnostic error(Position at, String message) {
    return new Diagnostic(Severity.ERROR, message, at, Optional.empty(), List.of(), Optional.empty());
  }

  public static Diagnostic warning(Position at, String message) {
    return new Diagnostic(Severity.WARNING, message, at, Optional.empty(), List.of(), Optional.empty());
  }

  public Diagnostic withLabel(String text) {
    return new Diagnostic(severity, message, at, Optional.of(text), notes, help);
  }

  public Diagnostic withNote(String note) {
    List<String> more = new ArrayList<>(notes);
    more.add(note);
    return new Diagnostic(severity, message, at, label, more, help);
  }

  public Diagnostic withHelp(String text) {
    return new Diagnostic(severity, message, at, label, notes, Optional.ofNullable(text));
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The headline alone: {@code file:line:col: error: message}. */
  public String headline() {
    return at + ": " + severity.word() + ": " + message;
  }
}
