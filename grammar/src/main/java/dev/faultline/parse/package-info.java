/**
 * From text to AST.
 *
 * <p>{@code Faultline.g4} (in {@code src/main/antlr4}) is the grammar; the parser is generated at build
 * time and never committed. {@link dev.faultline.parse.PlaybookParser} is the entry point: SLL first,
 * LL only on failure, lexical problems and excessive nesting caught before the parser runs.
 * {@code AstBuilder} is the only class that sees the ANTLR parse tree; {@code SyntaxErrors} turns
 * ANTLR's complaints into {@link dev.faultline.source.Diagnostic}s in the playbook's words.
 */
package dev.faultline.parse;
