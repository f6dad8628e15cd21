/**
 * Steady state: {@code hypothesis(name, check, samples:, tolerance:, severity:)} takes a baseline
 * from a check function; {@code h.validate()} compares the system with it; {@code steady_state(h)}
 * makes it what the run checks before each scenario's faults and after its rollback (through
 * {@code dev.faultline.measure.SteadyState}). {@link dev.faultline.stdlib.steady.Hypothesis} holds
 * the rules, {@code Figures} the flattening and arithmetic, {@link dev.faultline.stdlib.steady.Validation}
 * the outcome. Reference: docs/stdlib/validation.md.
 */
package dev.faultline.stdlib.steady;
