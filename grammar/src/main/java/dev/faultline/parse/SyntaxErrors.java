package dev.faultline.parse;

import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.source.Suggest;
import dev.faultline.ast.Unit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's complaints into {@link Diagnostic}s that speak the playbook's words: what was
 * expected, in words, and what was found. Token lists are never shown.
 * Rationale: "expected a duration after 'within', found '}'" tells an on-call engineer what to
 * type; "mismatched input '}' expecting {NUMBER, QUANTITY, …}" does not.
 */
final class SyntaxErrors extends BaseErrorListener {
  private final SourceFile source;
  private final List<Diagnostic> found = new ArrayList<>();

  SyntaxErrors(SourceFile source) {
    this.source = source;
  }

  List<Diagnostic> diagnostics() {
    return found;
  }

  @Override
  public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col,
      String msg, RecognitionException e) {
    if (!found.isEmpty()) return; // Rationale: after the first error the rest are mostly echoes of it.
    Token token = offendingSymbol instanceof Token t ? t : null;
    Position at = token != null ? position(source, token) : new Position(source.name(), line, col + 1, 1);
    if (token != null) {
      Diagnostic lexical = lexical(source, token);
      if (lexical != null) {
        found.add(lexical);
        return;
      }
    }
    String expected = "something else";
    Parser parser = recognizer instanceof Parser p ? p : null;
    if (parser != null) {
      IntervalSet set = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
      expected = describeExpected(set, parser);
    }
    String after = "";
    if (parser != null && token != null) {
      Token previous = previousToken(parser, token);
      if (previous != null) after = " after " + describe(previous, true);
    }
    if (token != null && token.getType() == FaultlineLexer.WITHIN) {
      found.add(Diagnostic.error(at, "incomplete tolerance after 'within'")
          .withLabel("needs a target and a tolerance")
          .withHelp("write 'x within 500ms ± 300ms' or 'x within 10% of y'"));
      return;
    }
    String message = "expected " + expected + after + ", found " + (token == null ? "something else" : describe(token, false));
    Diagnostic d = Diagnostic.error(at, message);
    d = hint(d, token, expected);
    found.add(d);
  }

  /** Errors that the lexer already knows about: bad units, unterminated strings, stray characters. */
  static Diagnostic lexical(SourceFile source, Token token) {
    Position at = position(source, token);
    String text = token.getText();
    switch (token.getType()) {
      case FaultlineLexer.UNTERMINATED_STRING:
        return Diagnostic.error(at.withLength(Math.max(1, Math.min(text.length(), 40))), "unterminated string")
            .withLabel("this string has no closing '\"' on its line")
            .withHelp("close it with '\"' on the same line, or use \"\"\" … \"\"\" for text over several lines");
      case FaultlineLexer.UNTERMINATED_TRIPLE_STRING:
        return Diagnostic.error(at.withLength(3), "unterminated text block")
            .withLabel("this \"\"\" is never closed")
            .withHelp("end the text block with \"\"\"");
      case FaultlineLexer.UNKNOWN_CHAR:
        return Diagnostic.error(at, "unexpected character '" + printable(text) + "'")
            .withHelp(text.equals("'") ? "strings use double quotes: \"text\"" : "remove it; see docs/language.md for the syntax");
      case FaultlineLexer.BAD_QUANTITY: {
        int i = 0;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.' || text.charAt(i) == '_')) i++;
        String unit = text.substring(i);
        Diagnostic d = Diagnostic.error(at, "unknown unit '" + unit + "' in '" + text + "'")
            .withLabel("not a unit");
        String help = Suggest.didYouMean(unit, Unit.suffixes());
        return d.withHelp(help != null ? help
            : "units are us ms s m h d (durations), % (percentages), B KB MB GB KiB MiB GiB (sizes), /s /m /h (rates)");
      }
      default:
        return null;
    }
  }

  private static Diagnostic hint(Diagnostic d, Token token, String expected) {
    if (token == null) return d;
    if (token.getType() == FaultlineLexer.ASSIGN && expected.contains("'=='")) {
      return d.withHelp("to compare, write '=='");
    }
    if (token.getType() == Token.EOF && expected.contains("'}'")) {
      return d.withHelp("a '{' is never closed; add the missing '}'");
    }
    return d;
  }

  private static Token previousToken(Parser parser, Token token) {
    int index = token.getTokenIndex();
    var stream = parser.getTokenStream();
    for (int i = index - 1; i >= 0; i--) {
      Token t = stream.get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL) return t;
    }
    return null;
  }

  static Position position(SourceFile source, Token token) {
    int length = token.getType() == Token.EOF ? 1 : Math.max(1, token.getStopIndex() - token.getStartIndex() + 1);
    int line = token.getLine();
    int col = token.getCharPositionInLine() + 1;
    if (token.getType() == Token.EOF) {
      // Point just past the last character, so the caret sits where the missing text belongs.
      line = Math.max(1, source.lineCount());
      while (line > 1 && source.line(line).isBlank()) line--;
      col = source.line(line).length() + 1;
    }
    return new Position(source.name(), line, col, length);
  }

  /** A token in words: {@code '}'}, {@code end of file}, {@code name 'foo'}, {@code number 5}. */
  static String describe(Token t, boolean brief) {
    return switch (t.getType()) {
      case Token.EOF -> "end of file";
      case FaultlineLexer.IDENT -> "name '" + t.getText() + "'";
      case FaultlineLexer.NUMBER -> "number " + t.getText();
      case FaultlineLexer.QUANTITY -> "'" + t.getText() + "'";
      case FaultlineLexer.STRING, FaultlineLexer.TRIPLE_STRING -> brief ? "a string" : "string " + abbreviate(t.getText());
      default -> "'" + printable(t.getText()) + "'";
    };
  }

  private static String abbreviate(String s) {
    return s.length() > 30 ? s.substring(0, 27) + "…\"" : s;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (cp < 0x20 || cp == 0x7f || Character.getType(cp) == Character.UNASSIGNED) b.append(String.format("\\u%04x", cp));
      else b.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  private static final Set<Integer> EXPRESSION_STARTS = Set.of(FaultlineLexer.NUMBER, FaultlineLexer.QUANTITY,
      FaultlineLexer.STRING, FaultlineLexer.IDENT, FaultlineLexer.LPAREN);
  private static final Set<Integer> STATEMENT_STARTS = Set.of(FaultlineLexer.LET, FaultlineLexer.STEP,
      FaultlineLexer.EXPECT, FaultlineLexer.LOG);

  /** The expected set in words, collapsing the many tokens that start an expression or a statement. */
  static String describeExpected(IntervalSet set, Parser parser) {
    List<Integer> types = set.toList();
    Set<String> words = new LinkedHashSet<>();
    boolean statement = types.containsAll(STATEMENT_STARTS);
    boolean expression = types.containsAll(EXPRESSION_STARTS);
    if (statement) words.add("a statement");
    else if (expression) words.add("an expression");
    for (int type : types) {
      if (statement || expression) {
        if (type == FaultlineLexer.RBRACE) words.add("'}'");
        if (type == Token.EOF) words.add("end of file");
        continue;
      }
      words.add(wordFor(type, parser));
    }
    words.remove(null);
    List<String> list = new ArrayList<>(words);
    if (list.isEmpty()) return "something else";
    if (list.size() == 1) return list.get(0);
    if (list.size() > 4) list = list.subList(0, 4);
    return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
  }

  private static String wordFor(int type, Parser parser) {
    return switch (type) {
      case Token.EOF -> "end of file";
      case FaultlineLexer.IDENT -> "a name";
      case FaultlineLexer.STRING -> "a string";
      case FaultlineLexer.TRIPLE_STRING -> null;
      case FaultlineLexer.NUMBER -> "a number";
      case FaultlineLexer.QUANTITY -> "a quantity such as 5s or 30%";
      case FaultlineLexer.SEVERITY -> "a severity P1..P4";
      default -> {
        String literal = parser.getVocabulary().getLiteralName(type);
        yield literal != null ? literal : parser.getVocabulary().getDisplayName(type).toLowerCase();
      }
    };
  }
}
