/**
 * Evaluation: statements and expressions over an {@link dev.faultline.eval.Environment}.
 *
 * <p>{@link dev.faultline.eval.Evaluator} walks the AST one statement at a time; it reaches the run
 * only through {@link dev.faultline.eval.RunContext}. {@link dev.faultline.eval.Arithmetic} holds the
 * unit rules, {@link dev.faultline.eval.Literals} the quantity literals, {@link dev.faultline.eval.Cancellation}
 * the interruption from other threads. Start with {@code Evaluator}'s class comment.
 *
 * <p>Dry run: {@link dev.faultline.eval.PlanMode} is what a dry run gives the evaluator,
 * {@code Planning} what it does instead of waiting, injecting or judging, and
 * {@link dev.faultline.eval.Planned} the placeholder for a value it does not have.
 */
package dev.faultline.eval;
