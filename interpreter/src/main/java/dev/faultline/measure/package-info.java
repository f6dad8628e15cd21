/**
 * What a run measures and judges beyond its statements: probe samples, background traffic,
 * recoveries, steady-state hypotheses and SLO verdicts.
 *
 * <p>Start with {@link dev.faultline.measure.Measurements}: one per run, reached by host functions
 * through {@code CallContext.measurements()}. {@link dev.faultline.measure.LiveTraffic} is how a
 * traffic generator (stdlib {@code traffic()}) shows itself to the run and to the REPL's status
 * line; {@link dev.faultline.measure.SteadyState} how a hypothesis is checked around scenarios;
 * {@link dev.faultline.measure.SloTargets} judges the profile's {@code slo.*} targets at the end of
 * each scenario. Reference: docs/stdlib/validation.md.
 */
package dev.faultline.measure;
