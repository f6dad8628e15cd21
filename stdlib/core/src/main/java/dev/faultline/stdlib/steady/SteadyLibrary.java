package dev.faultline.stdlib.steady;

import dev.faultline.eval.ExpectFailed;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Function;
import dev.faultline.value.Values;
import java.time.Duration;

/**
 * Steady state: {@code hypothesis()} takes a baseline, {@code steady_state()} makes it the steady
 * state the run checks before a scenario's faults and after its rollback. Stateless.
 */
public final class SteadyLibrary implements Library {
  /** Rationale: a baseline is a handful of samples; thousands would be a load test, which traffic() is for. */
  static final long MAX_SAMPLES = 1000;

  public SteadyLibrary() {}

  @HostFunction(name = "hypothesis", effect = Effect.PROBE, doc = "Takes a steady-state baseline: calls `check` (a function"
      + " returning figures: numbers, quantities, booleans, strings, probe results, or a map of them) `samples` times and keeps"
      + " the median of each quantity. Validate against it later with validate() or steady_state().")
  public Hypothesis hypothesis(
      @Arg(name = "name", doc = "what the steady state is, e.g. \"checkout answers fast\"") String name,
      @Arg(name = "check", doc = "a function called with no arguments that returns the figures") Function check,
      @Arg(name = "samples", doc = "how many samples the baseline takes", byDefault = "5") long samples,
      @Arg(name = "every", doc = "the pause between samples", byDefault = "100ms") Duration every,
      @Arg(name = "tolerance", doc = "how far a quantity may move: a percentage of the baseline, a quantity of the figure's kind,"
          + " or a map from figure names (full or last part, or \"default\") to those", byDefault = "50%") Object tolerance,
      @Arg(name = "severity", doc = "the severity of a deviation: P1 to P4, or a map from figure names to severities", byDefault = "P3")
      Object severity,
      CallContext ctx) {
    requireSamples("hypothesis", samples, every);
    return new Hypothesis(name, check, samples, every, tolerance, severity, ctx);
  }

  @HostFunction(name = "steady_state", effect = Effect.PROBE, doc = "Makes a hypothesis the steady state: it is checked now"
      + " (a deviation fails the step), and again after the rollback of the scenario it is declared in, or, declared in the"
      + " playbook's setup, before the faults and after the rollback of every scenario. A deviation then fails the scenario.")
  public void steadyState(
      @Arg(name = "hypothesis", doc = "the hypothesis, from hypothesis()") Hypothesis hypothesis,
      CallContext ctx) {
    Validation now = hypothesis.validate(1, Duration.ZERO, "when declared");
    if (!now.ok()) throw new ExpectFailed(ctx.at(), "steady state \"" + hypothesis.name() + "\" does not hold: " + now.message());
    ctx.measurements().steadyState(hypothesis);
  }

  static void requireSamples(String fn, long samples, Duration every) {
    if (samples < 1 || samples > MAX_SAMPLES) throw new HostError(fn + "() needs 'samples' from 1 to " + MAX_SAMPLES + ", got " + samples);
    if (every.isNegative()) throw new HostError(fn + "() needs 'every' of 0 or more, got " + Values.show(every));
  }
}
