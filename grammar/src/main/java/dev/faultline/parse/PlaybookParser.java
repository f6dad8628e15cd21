package dev.faultline.parse;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.UnbufferedTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Parses playbook text into an immutable {@link Playbook}. Stateless and thread-safe; the ANTLR
 * parse tree it builds is dropped before it returns.
 *
 * <p>Parsing is two-stage: SLL prediction with a bail-out strategy first (fast, and enough for all
 * correct input seen so far), then full LL with error reporting only when SLL fails.
 */
public final class PlaybookParser {
  /** Rationale: nothing a person writes nests this deep; a limit turns a stack overflow into an error. */
  public static final int MAX_NESTING = 200;

  /**
   * Rationale: ANTLR's prediction cache is shared by every parser in the JVM and only grows; odd
   * input (a fuzzer, a REPL session full of typos) grew it to gigabytes. Valid playbooks need a few
   * thousand states, so past this bound the cache is dropped and rebuilt on demand.
   */
  static final int MAX_CACHED_STATES = 50_000;

  public Playbook parse(SourceFile source) {
    return parse(source, false);
  }

  /** Parses input typed at the REPL: bare statements, never a {@code playbook} block. */
  public Playbook parseStatements(SourceFile source) {
    return parse(source, true);
  }

  private Playbook parse(SourceFile source, boolean statementsOnly) {
    try {
      try {
        return parseBySll(source, statementsOnly);
      } catch (ParseCancellationException sllFailed) {
        List<Token> tokens = lex(source);
        checkLexical(source, tokens);
        SyntaxErrors errors = new SyntaxErrors(source);
        FaultlineParser parser = parser(source, tokens, false);
        isolateCache(parser);
        parser.addErrorListener(errors);
        var tree = statementsOnly ? parser.replInput() : parser.file();
        if (!errors.diagnostics().isEmpty()) throw new PlaybookError(errors.diagnostics());
        return AstBuilder.build(source, tree, this);
      }
    } catch (StackOverflowError deep) {
      throw new PlaybookError(Diagnostic.error(new Position(source.name(), 1, 1, 1),
          "the playbook nests too deeply to read").withHelp("split deep expressions with 'let'"));
    }
  }

  /**
   * The fast path: tokens checked as they are lexed, SLL with bail-out, one top-level statement
   * at a time, each statement's tokens and parse tree turned into AST and dropped before the next
   * is parsed. Accepts exactly what the rules {@code file} and {@code replInput} accept; anything
   * else (a lexical problem too) cancels, and the caller lexes and parses the whole file again
   * with full LL to report it.
   * Rationale: tokens and parse trees are many times the size of the AST; held whole for a large
   * playbook they made garbage collection the main cost of parsing.
   */
  Playbook parseBySll(SourceFile source, boolean statementsOnly) {
    var lexer = new FaultlineLexer(CharStreams.fromString(source.text(), source.name()));
    lexer.removeErrorListeners();
    LexicalCheck check = new LexicalCheck(source);
    TokenSource checked = new TokenSource() {
      public Token nextToken() {
        Token t = lexer.nextToken();
        if (check.problem(t) != null) throw new ParseCancellationException();
        return t;
      }
      public int getLine() { return lexer.getLine(); }
      public int getCharPositionInLine() { return lexer.getCharPositionInLine(); }
      public CharStream getInputStream() { return lexer.getInputStream(); }
      public String getSourceName() { return lexer.getSourceName(); }
      public void setTokenFactory(TokenFactory<?> factory) { lexer.setTokenFactory(factory); }
      public TokenFactory<?> getTokenFactory() { return lexer.getTokenFactory(); }
    };
    TokenStream in = new UnbufferedTokenStream<>(checked);
    FaultlineParser parser = parser(in, true);
    try {
      return parseStatementsBySll(source, statementsOnly, in, parser);
    } finally {
      boundCache(parser);
    }
  }

  private Playbook parseStatementsBySll(SourceFile source, boolean statementsOnly, TokenStream in, FaultlineParser parser) {
    AstBuilder builder = new AstBuilder(source, this);
    Token playbook = null;
    Token name = null;
    if (!statementsOnly && in.LA(1) == FaultlineLexer.PLAYBOOK) {
      playbook = expect(in, FaultlineLexer.PLAYBOOK);
      name = expect(in, FaultlineLexer.STRING);
      expect(in, FaultlineLexer.LBRACE);
    }
    int end = playbook != null ? FaultlineLexer.RBRACE : Token.EOF;
    List<Stmt> body = new ArrayList<>();
    while (in.LA(1) != end) {
      if (in.LA(1) == Token.EOF) throw new ParseCancellationException();
      Stmt stmt = builder.stmt(parser.stmt());
      if (stmt != null) body.add(stmt);
    }
    Token close = playbook != null ? expect(in, FaultlineLexer.RBRACE) : null;
    if (in.LA(1) != Token.EOF) throw new ParseCancellationException();
    Playbook result = playbook != null
        ? new Playbook(builder.pos(playbook, close), source.name(), Optional.of(builder.string(name)), body)
        : new Playbook(new Position(source.name(), 1, 1, 1), source.name(), Optional.empty(), body);
    builder.throwProblems();
    return result;
  }

  private static Token expect(TokenStream in, int type) {
    Token t = in.LT(1);
    if (t.getType() != type) throw new ParseCancellationException();
    in.consume();
    return t;
  }

  /**
   * Parses one expression at a given place, for {@code ${…}} inside strings. The lexer starts at
   * {@code at} so that positions point into the enclosing file; {@code end} is the closing '}'.
   */
  Expr parseEmbeddedExpression(SourceFile source, String text, Position at, Position end) {
    var lexer = new FaultlineLexer(CharStreams.fromString(text, source.name()));
    lexer.removeErrorListeners();
    lexer.setLine(at.line());
    lexer.setCharPositionInLine(at.column() - 1);
    List<Token> tokens = new ArrayList<>(lexer.getAllTokens());
    checkLexical(source, tokens);
    var eof = new CommonToken(Token.EOF, "<EOF>");
    eof.setLine(end.line());
    eof.setCharPositionInLine(end.column() - 1);
    tokens.add(eof);
    SyntaxErrors errors = new SyntaxErrors(source, end);
    FaultlineParser parser = parser(source, tokens, false);
    parser.addErrorListener(errors);
    var ctx = parser.interpolation();
    if (!errors.diagnostics().isEmpty()) throw new PlaybookError(errors.diagnostics());
    return new AstBuilder(source, this).expr(ctx.expr());
  }

  static List<Token> lex(SourceFile source) {
    var lexer = new FaultlineLexer(CharStreams.fromString(source.text(), source.name()));
    lexer.removeErrorListeners();
    List<Token> tokens = new ArrayList<>(16 + source.text().length() / 5);
    for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
      tokens.add(t);
      if (t.getType() == Token.EOF) break;
    }
    return tokens;
  }

  /** Lexical problems and excessive nesting, all reported before the parser runs. */
  private static void checkLexical(SourceFile source, List<Token> tokens) {
    List<Diagnostic> problems = new ArrayList<>();
    LexicalCheck check = new LexicalCheck(source);
    for (Token t : tokens) {
      Diagnostic d = check.problem(t);
      if (d == null) continue;
      if (check.tooDeep) {
        problems.add(d);
        break;
      }
      if (problems.size() < 50) problems.add(d);
    }
    if (!problems.isEmpty()) throw new PlaybookError(problems);
  }

  /** Checks tokens in order: lexical problems, and nesting deeper than {@link #MAX_NESTING}. */
  private static final class LexicalCheck {
    private final SourceFile source;
    private int depth;
    private int prefixRun;
    boolean tooDeep;

    LexicalCheck(SourceFile source) {
      this.source = source;
    }

    /** The problem with this token, or null. */
    Diagnostic problem(Token t) {
      switch (t.getType()) {
        case FaultlineLexer.LBRACE, FaultlineLexer.LPAREN, FaultlineLexer.LBRACK -> depth++;
        case FaultlineLexer.RBRACE, FaultlineLexer.RPAREN, FaultlineLexer.RBRACK -> depth = Math.max(0, depth - 1);
        default -> { }
      }
      boolean prefix = switch (t.getType()) {
        case FaultlineLexer.MINUS, FaultlineLexer.NOT, FaultlineLexer.INJECT, FaultlineLexer.AWAIT -> true;
        default -> false;
      };
      prefixRun = prefix ? prefixRun + 1 : 0;
      if (depth > MAX_NESTING || prefixRun > MAX_NESTING) {
        tooDeep = true;
        return Diagnostic.error(SyntaxErrors.position(source, t),
            "nesting deeper than " + MAX_NESTING + " levels").withHelp("split the construct with 'let' or 'fn'");
      }
      return SyntaxErrors.lexical(source, t);
    }
  }

  private static FaultlineParser parser(SourceFile source, List<Token> tokens, boolean sll) {
    return parser(new CommonTokenStream(new org.antlr.v4.runtime.ListTokenSource(tokens, source.name())), sll);
  }

  private static FaultlineParser parser(TokenStream stream, boolean sll) {
    var parser = new FaultlineParser(stream);
    parser.removeErrorListeners();
    if (sll) {
      parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
      parser.setErrorHandler(new BailErrorStrategy());
    } else {
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new DefaultErrorStrategy());
    }
    return parser;
  }

  /**
   * The whole-file slow path sees mostly broken input: it predicts with a cache of its own, dropped
   * after the parse, so that broken input never grows the shared one.
   */
  private static void isolateCache(FaultlineParser parser) {
    var atn = parser.getATN();
    var dfa = new org.antlr.v4.runtime.dfa.DFA[atn.getNumberOfDecisions()];
    for (int i = 0; i < dfa.length; i++) dfa[i] = new org.antlr.v4.runtime.dfa.DFA(atn.getDecisionState(i), i);
    var simulator = new org.antlr.v4.runtime.atn.ParserATNSimulator(parser, atn, dfa,
        new org.antlr.v4.runtime.atn.PredictionContextCache());
    simulator.setPredictionMode(PredictionMode.LL);
    parser.setInterpreter(simulator);
  }

  private static void boundCache(FaultlineParser parser) {
    int states = 0;
    for (var dfa : parser.getInterpreter().decisionToDFA) states += dfa.states.size();
    if (states > MAX_CACHED_STATES) parser.getInterpreter().clearDFA();
  }
}
