package dev.faultline.repl;

import dev.faultline.parse.FaultlineLexer;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * JLine's view of what is typed at the prompt. On Enter it tells whether the input is finished:
 * an open {@code { ( [} or an unterminated {@code """} string continues on the next line under the
 * continuation prompt (JLine's {@link EOFError}). Rationale: the lexer of the language decides, so
 * a brace inside a string or a comment does not count. Everything else is accepted as it is; the
 * parser then reports real mistakes with a caret.
 *
 * <p>For completion, the word at the cursor is the dotted name being typed ({@code link.lat}), so
 * that candidates can be whole paths ({@code link.latency}).
 */
final class InputParser implements Parser {

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE) {
      String missing = unfinished(line);
      if (missing != null) throw new EOFError(-1, -1, "unfinished input", missing);
    }
    int start = cursor;
    while (start > 0 && isWordChar(line.charAt(start - 1))) start--;
    return new Line(line, cursor, line.substring(start, cursor), cursor - start);
  }

  static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  /** What still has to be closed ({@code "}"}, {@code "\"\"\""}), or null when the input is finished. */
  static String unfinished(String text) {
    if (text.isBlank()) return null;
    var lexer = new FaultlineLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    StringBuilder open = new StringBuilder();
    for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
      switch (t.getType()) {
        case FaultlineLexer.LBRACE -> open.append('}');
        case FaultlineLexer.LPAREN -> open.append(')');
        case FaultlineLexer.LBRACK -> open.append(']');
        case FaultlineLexer.RBRACE, FaultlineLexer.RPAREN, FaultlineLexer.RBRACK -> {
          // A closer too many is a mistake the parser reports; it never waits for more input.
          if (open.length() == 0) return null;
          open.setLength(open.length() - 1);
        }
        case FaultlineLexer.UNTERMINATED_TRIPLE_STRING -> {
          return "\"\"\"";
        }
        default -> { }
      }
    }
    return open.length() == 0 ? null : String.valueOf(open.charAt(open.length() - 1));
  }

  /** The input and the word being completed. */
  private record Line(String line, int cursor, String word, int wordCursor) implements CompletingParsedLine {
    @Override
    public int wordIndex() {
      return 0;
    }

    @Override
    public List<String> words() {
      return List.of(word);
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate;
    }

    @Override
    public int rawWordCursor() {
      return wordCursor;
    }

    @Override
    public int rawWordLength() {
      return word.length();
    }
  }
}
