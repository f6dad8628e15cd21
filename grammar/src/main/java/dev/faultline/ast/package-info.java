/**
 * The immutable syntax tree of a playbook.
 *
 * <p>{@link dev.faultline.ast.Playbook} is one file; its body is a list of {@link dev.faultline.ast.Stmt},
 * of which {@link dev.faultline.ast.Decl} (scenario, step, guard, fn, param, profile…) is the
 * declaring part; {@link dev.faultline.ast.Expr} are expressions. Every node is a record whose first
 * component is its {@link dev.faultline.source.Position}; lists are copied. Passes implement
 * {@code Stmt.Visitor} and {@code Expr.Visitor}. No ANTLR type appears here: the parse tree stops
 * in {@code dev.faultline.parse.AstBuilder}.
 */
package dev.faultline.ast;
