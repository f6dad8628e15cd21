/**
 * The checker: every mistake that can be found before anything runs (undefined names, arity,
 * unknown named arguments, types and units, misplaced declarations), reported in one pass.
 * Start with {@link dev.faultline.check.Checker}.
 */
package dev.faultline.check;
