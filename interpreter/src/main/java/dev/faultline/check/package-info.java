/**
 * The checker: every mistake that can be found before anything runs (undefined names, arity,
 * unknown named arguments, types and units, misplaced declarations, profiles that disagree),
 * reported in one pass, sorted by position, in the evaluator's own words.
 *
 * <p>Start with {@link dev.faultline.check.Checker}, the entry point; {@code StmtChecker} walks the
 * playbook in run order with the evaluator's scopes, {@code ExprChecker} types expressions over the
 * small lattice of {@code StaticType}, and {@code UnitRules} asks the evaluator's own
 * {@code Arithmetic} and {@code Conversions} about sample values, so the two never disagree.
 * Nothing is evaluated; when a type is not known, nothing is reported.
 * {@link dev.faultline.check.PermissionCheck} reads the calls the checker resolves against the
 * capabilities a run was granted.
 */
package dev.faultline.check;
