package dev.faultline.parse;

import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.source.Suggest;
import dev.faultline.ast.Unit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.NoViableAltException;
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
  /** Where the closing '}' of a {@code ${…}} is, when parsing one; its end of input is that '}'. */
  private final Position interpolationEnd;
  private final List<Diagnostic> found = new ArrayList<>();

  SyntaxErrors(SourceFile source) {
    this(source, null);
  }

  SyntaxErrors(SourceFile source, Position interpolationEnd) {
    this.source = source;
    this.interpolationEnd = interpolationEnd;
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
    IntervalSet set = null;
    if (parser != null) {
      set = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
      expected = describeExpected(set, parser);
    }
    Token previous = parser != null && token != null ? previousToken(parser, token) : null;
    // When no alternative fits only after looking several tokens ahead, ANTLR's expected set is the
    // one before the first of them; what the last good token asks for is the better guide.
    if (e instanceof NoViableAltException nv && token != null && previous != null
        && nv.getStartToken() != null && nv.getStartToken().getTokenIndex() < token.getTokenIndex()) {
      String wanted = expectedAfter(previous.getType());
      if (wanted != null) expected = wanted;
    }
    String after = previous != null ? " after " + describe(previous, true) : "";
    if (token != null && token.getType() == FaultlineLexer.WITHIN) {
      found.add(Diagnostic.error(at, "incomplete tolerance after 'within'")
          .withLabel("needs a target and a tolerance")
          .withHelp("write 'x within 500ms ± 300ms' or 'x within 10% of y'"));
      return;
    }
    if (token != null && token.getType() == FaultlineLexer.ELSE && previous != null
        && previous.getType() == FaultlineLexer.RBRACE && parser != null) {
      // `} else` then something other than a block: the 'if' ended at '}' and took no 'else'.
      var stream = parser.getTokenStream();
      int i = token.getTokenIndex() + 1;
      Token next = i < stream.index() ? stream.get(i) : stream.LT(i - stream.index() + 1);
      if (next.getType() != FaultlineLexer.LBRACE && next.getType() != FaultlineLexer.IF) {
        found.add(Diagnostic.error(position(source, next), "expected '{' or 'if' after 'else', found " + describe(next, false)));
        return;
      }
    }
    String what = token == null ? "something else" : describe(token, false);
    if (interpolationEnd != null && token != null) {
      if (token.getType() == Token.EOF) {
        at = interpolationEnd;
        what = "'}'";
      } else if (set != null && set.contains(Token.EOF)) {
        found.add(Diagnostic.error(at, "expected '}' to end the interpolation, found " + what));
        return;
      }
    }
    Diagnostic d = Diagnostic.error(at, "expected " + expected + after + ", found " + what);
    d = hint(d, token, set);
    found.add(d);
  }

  /** What must follow a token whatever the construct: an expression after '=', a name after '.'. */
  private static String expectedAfter(int type) {
    if (type == FaultlineLexer.DOT) return "a name";
    return EXPRESSION_INTRODUCERS.contains(type) ? "an expression" : null;
  }

  /** Errors that the lexer already knows about: bad units, unterminated strings, stray characters. */
  static Diagnostic lexical(SourceFile source, Token token) {
    switch (token.getType()) {
      case FaultlineLexer.UNTERMINATED_STRING, FaultlineLexer.UNTERMINATED_TRIPLE_STRING,
          FaultlineLexer.SINGLE_QUOTED, FaultlineLexer.UNKNOWN_CHAR, FaultlineLexer.BAD_QUANTITY -> { }
      default -> {
        return null; // the common case, checked for every token: no allocation
      }
    }
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
      case FaultlineLexer.SINGLE_QUOTED: {
        String inner = text.substring(1, text.length() - 1);
        return Diagnostic.error(at, "strings use double quotes, not single quotes")
            .withLabel("single-quoted")
            .withHelp(inner.length() <= 40 && !inner.contains("\"") ? "write \"" + inner + "\"" : "use \"…\"");
      }
      case FaultlineLexer.UNKNOWN_CHAR:
        if (text.equals("'")) {
          return Diagnostic.error(at, "unexpected single quote").withHelp("strings use double quotes: \"text\"");
        }
        return Diagnostic.error(at, "unexpected character '" + printable(text) + "'")
            .withHelp("remove it; see docs/language.md for the syntax");
      case FaultlineLexer.BAD_QUANTITY: {
        String number = text.substring(0, numberLength(text));
        String unit = text.substring(number.length());
        Diagnostic d = Diagnostic.error(at, "unknown unit '" + unit + "' in '" + text + "'")
            .withLabel("not a unit");
        String suffix = UNIT_SPELLINGS.containsKey(unit) ? UNIT_SPELLINGS.get(unit)
            : Suggest.closest(unit, Unit.suffixes()).orElse(null);
        String help = suffix != null ? "did you mean '" + number + suffix + "'?" : null;
        return d.withHelp(help != null ? help
            : "units are us ms s m min h d (durations), % (percentages), B KB MB GB TB KiB MiB GiB TiB (sizes),"
                + " /s /m /min /h (rates)");
      }
      default:
        return null;
    }
  }

  /**
   * Units spelled out as people say them, too far from the suffix for edit distance.
   * Rationale: '5sec' and '2hours' are the usual slips; naming the suffix saves a trip to the docs.
   */
  private static final Map<String, String> UNIT_SPELLINGS = Map.ofEntries(
      Map.entry("sec", "s"), Map.entry("secs", "s"), Map.entry("second", "s"), Map.entry("seconds", "s"),
      Map.entry("msec", "ms"), Map.entry("msecs", "ms"), Map.entry("millis", "ms"), Map.entry("usec", "us"),
      Map.entry("minute", "min"), Map.entry("minutes", "min"), Map.entry("hr", "h"), Map.entry("hrs", "h"),
      Map.entry("hour", "h"), Map.entry("hours", "h"), Map.entry("day", "d"), Map.entry("days", "d"),
      Map.entry("percent", "%"), Map.entry("pct", "%"), Map.entry("rps", "/s"), Map.entry("qps", "/s"));

  /** Length of the number at the start of a quantity: the lexer's {@code DIGITS FRACTION?}. */
  static int numberLength(String text) {
    int i = 0;
    while (i < text.length() && (Character.isDigit(text.charAt(i))
        || (text.charAt(i) == '_' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))))) i++;
    if (i + 1 < text.length() && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
      i++;
      while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
    }
    return i;
  }

  private static Diagnostic hint(Diagnostic d, Token token, IntervalSet expected) {
    if (token == null || expected == null) return d;
    if (token.getType() == FaultlineLexer.ASSIGN && expected.contains(FaultlineLexer.EQ)) {
      return d.withHelp("to compare, write '=='");
    }
    if (token.getType() == Token.EOF && expected.contains(FaultlineLexer.RBRACE)) {
      return d.withHelp("a '{' is never closed; add the missing '}'");
    }
    // Only at the top level (where the end of the file may come) does a '}' close nothing; elsewhere it came too early.
    if (token.getType() == FaultlineLexer.RBRACE && expected.contains(Token.EOF)) {
      return d.withHelp("this '}' closes nothing; remove it or add the missing '{'");
    }
    if (token.getType() != Token.EOF && expected.size() == 1 && expected.contains(Token.EOF)) {
      return d.withHelp("a playbook file holds one 'playbook' block and nothing after it");
    }
    if (token.getType() == FaultlineLexer.ELSE && !expected.contains(FaultlineLexer.ELSE)) {
      return d.withHelp("'else' goes right after the '}' of an 'if' and takes a block or another 'if'");
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
      String text = source.line(line);
      col = text.codePointCount(0, text.length()) + 1;
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

  static String printable(String s) {
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
  // NUMBER as well: names (anyName) include the statement keywords but cannot start with a digit.
  private static final Set<Integer> STATEMENT_STARTS = Set.of(FaultlineLexer.LET, FaultlineLexer.STEP,
      FaultlineLexer.EXPECT, FaultlineLexer.LOG, FaultlineLexer.NUMBER);
  /** Only a name ({@code anyName}) admits both these words and a plain name. */
  private static final Set<Integer> NAME_STARTS = Set.of(FaultlineLexer.IDENT, FaultlineLexer.ALL,
      FaultlineLexer.OF, FaultlineLexer.TAGS);
  /**
   * Tokens that continue a complete expression. After one, ANTLR offers all of them; naming them
   * would crowd out the one token that the construct needs next ({@code '{'} after {@code if x}).
   */
  private static final Set<Integer> OPERATORS = Set.of(FaultlineLexer.STAR, FaultlineLexer.SLASH,
      FaultlineLexer.PLUS, FaultlineLexer.MINUS, FaultlineLexer.WITHIN, FaultlineLexer.LT, FaultlineLexer.LE,
      FaultlineLexer.GT, FaultlineLexer.GE, FaultlineLexer.EQ, FaultlineLexer.NE, FaultlineLexer.AND,
      FaultlineLexer.OR, FaultlineLexer.DOT, FaultlineLexer.LPAREN, FaultlineLexer.LBRACK);
  /** Tokens that are always followed by an expression. */
  private static final Set<Integer> EXPRESSION_INTRODUCERS = Set.of(FaultlineLexer.ASSIGN, FaultlineLexer.FOR,
      FaultlineLexer.IN, FaultlineLexer.WITHIN, FaultlineLexer.EVERY, FaultlineLexer.TIMEOUT, FaultlineLexer.PLUSMINUS,
      FaultlineLexer.OF, FaultlineLexer.COLON, FaultlineLexer.STAR, FaultlineLexer.SLASH, FaultlineLexer.PLUS,
      FaultlineLexer.MINUS, FaultlineLexer.LT, FaultlineLexer.LE, FaultlineLexer.GT, FaultlineLexer.GE,
      FaultlineLexer.EQ, FaultlineLexer.NE, FaultlineLexer.AND, FaultlineLexer.OR, FaultlineLexer.NOT,
      FaultlineLexer.LOG, FaultlineLexer.WAIT, FaultlineLexer.EXPECT, FaultlineLexer.IF, FaultlineLexer.WHEN,
      FaultlineLexer.REPEAT, FaultlineLexer.INJECT, FaultlineLexer.AWAIT, FaultlineLexer.MAX_DURATION,
      FaultlineLexer.MAX_BLAST_RADIUS, FaultlineLexer.ROLLBACK_STRATEGY);

  /** The expected set in words, collapsing the many tokens that start an expression, a statement or a name. */
  static String describeExpected(IntervalSet set, Parser parser) {
    List<Integer> types = set.toList();
    Set<String> words = new LinkedHashSet<>();
    boolean statement = types.containsAll(STATEMENT_STARTS);
    boolean expression = types.containsAll(EXPRESSION_STARTS);
    boolean name = !statement && !expression && types.containsAll(NAME_STARTS);
    boolean afterExpression = !statement && !expression && types.contains(FaultlineLexer.PLUS)
        && types.contains(FaultlineLexer.STAR) && types.contains(FaultlineLexer.AND);
    if (statement) words.add("a statement");
    else if (expression) words.add("an expression");
    else if (name) words.add("a name");
    for (int type : types) {
      if (statement || expression) {
        if (type == FaultlineLexer.RBRACE) words.add("'}'");
        if (type == Token.EOF) words.add("end of file");
        continue;
      }
      if (name && (type == FaultlineLexer.IDENT || isKeyword(type, parser))) continue;
      if (afterExpression && OPERATORS.contains(type)) continue;
      words.add(wordFor(type, parser));
    }
    words.remove(null);
    if (words.isEmpty() && afterExpression) {
      // Only operators could follow: that is 'await x', which wants its 'within'.
      words.add(types.contains(FaultlineLexer.WITHIN) ? "'within'" : "an operator");
    }
    List<String> list = new ArrayList<>(words);
    if (list.isEmpty()) return "something else";
    if (list.size() == 1) return list.get(0);
    if (list.size() > 4) list = list.subList(0, 4);
    return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
  }

  private static boolean isKeyword(int type, Parser parser) {
    String literal = parser.getVocabulary().getLiteralName(type);
    return literal != null && Character.isLetter(literal.charAt(1));
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
