package dev.faultline.check;

import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.source.Suggest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What one check has found so far, and the source texts it may quote: the text under a position
 * (for help lines such as {@code inject link.latency(1ms)}) and the exact place of a declared name
 * inside its statement (so the caret marks {@code x}, not {@code let}). Confined to the checking thread.
 */
final class Problems {
  private final Map<String, SourceFile> sources;
  private final List<Diagnostic> found = new ArrayList<>();

  Problems(Map<String, SourceFile> sources) {
    this.sources = sources;
  }

  void add(Diagnostic d) {
    found.add(d);
  }

  Diagnostic error(Position at, String message) {
    Diagnostic d = Diagnostic.error(at, message);
    found.add(d);
    return d;
  }

  /** Adds an error with a help line (none when {@code help} is null). */
  void error(Position at, String message, String help) {
    found.add(Diagnostic.error(at, message).withHelp(help));
  }

  List<Diagnostic> all() {
    return found;
  }

  /** "did you mean 'x'?", or {@code otherwise} when nothing is close. */
  static String didYouMean(String word, Collection<String> candidates, String otherwise) {
    String s = Suggest.didYouMean(word, candidates);
    return s != null ? s : otherwise;
  }

  /** The source text a position covers, trimmed; empty when the file is not at hand. */
  String text(Position at) {
    SourceFile src = sources.get(at.file());
    if (src == null || !at.isKnown()) return "";
    String line = src.line(at.line());
    int from = Math.min(line.length(), Math.max(0, at.column() - 1));
    int to = Math.min(line.length(), from + at.length());
    return line.substring(from, to).strip();
  }

  /**
   * Where {@code name} is written in the statement starting at {@code stmt} (the first whole-word
   * occurrence on that line from there); the statement's own position when it is not on that line.
   */
  Position nameAt(Position stmt, String name) {
    SourceFile src = sources.get(stmt.file());
    if (src == null || !stmt.isKnown() || name.isEmpty()) return stmt;
    String line = src.line(stmt.line());
    for (int i = Math.max(0, stmt.column() - 1); i + name.length() <= line.length(); i++) {
      if (!line.startsWith(name, i)) continue;
      boolean startsWord = i == 0 || !isWordChar(line.charAt(i - 1));
      boolean endsWord = i + name.length() == line.length() || !isWordChar(line.charAt(i + name.length()));
      if (startsWord && endsWord) return new Position(stmt.file(), stmt.line(), i + 1, name.length());
    }
    return stmt;
  }

  /** A position covering only the first {@code length} characters, for a leading keyword or name. */
  static Position head(Position at, int length) {
    return at.withLength(Math.max(1, length));
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
