package dev.faultline.source;

/**
 * A place in a playbook: file, 1-based line and column (in characters), and the length of the
 * construct it marks. Immutable; {@code toString()} gives {@code file:line:col}.
 */
public record Position(String file, int line, int column, int length) {

  /** A position for things that come from no file (command-line values, host code). */
  public static final Position NONE = new Position("<none>", 0, 0, 0);

  public Position {
    if (length < 0) length = 0;
  }

  public static Position of(String file, int line, int column) {
    return new Position(file, line, column, 1);
  }

  public boolean isKnown() {
    return line > 0;
  }

  /** A copy covering {@code length} characters from the same start. */
  public Position withLength(int newLength) {
    return new Position(file, line, column, newLength);
  }

  @Override
  public String toString() {
    return isKnown() ? file + ":" + line + ":" + column : file;
  }
}
