package dev.faultline.guard;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Expr;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.eval.Environment;
import dev.faultline.eval.EvalError;
import dev.faultline.eval.Evaluator;
import dev.faultline.fault.BlastRadius;
import dev.faultline.fault.RollbackStrategy;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import dev.faultline.value.Percent;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The playbook's settings that bound a run, read once before the setup runs (after params and the
 * profile are bound): {@code max_duration} of the run, {@code max_blast_radius} (the selected
 * profile's {@code max_blast_radius} wins over the playbook's), and {@code rollback_strategy}
 * (the command line's {@code --rollback} wins). Also the rule that a production profile needs a
 * guard. Immutable.
 */
public record Limits(Optional<MaxDuration> maxDuration, BlastRadius blastRadius, RollbackStrategy strategy) {

  /** A {@code max_duration} and where it is set. */
  public record MaxDuration(Duration limit, Position at) {}

  public static final Limits NONE = new Limits(Optional.empty(), BlastRadius.UNLIMITED, RollbackStrategy.ALWAYS);

  /** Reads the settings at the top of {@code main}, evaluating them in {@code globals}. */
  public static Limits read(Playbook main, Optional<Decl.Profile> profile, Optional<RollbackStrategy> override,
      Evaluator evaluator, Environment globals) {
    Optional<MaxDuration> maxDuration = maxDuration(main.body(), evaluator, globals);
    BlastRadius radius = BlastRadius.UNLIMITED;
    RollbackStrategy strategy = RollbackStrategy.ALWAYS;
    for (Stmt s : main.body()) {
      if (!(s instanceof Decl.Setting d)) continue;
      if (d.name().equals("max_blast_radius")) {
        radius = BlastRadius.of(percent(evaluator.eval(d.value(), globals), d.value()), "the playbook's max_blast_radius");
      } else if (d.name().equals("rollback_strategy")) {
        strategy = strategy(d.value());
      }
    }
    if (profile.isPresent()) {
      for (Decl.Profile.Entry e : profile.get().entries()) {
        if (e.path().equals(List.of("max_blast_radius"))) {
          radius = BlastRadius.of(percent(evaluator.eval(e.value(), globals), e.value()),
              "max_blast_radius in profile '" + profile.get().name() + "'");
        }
      }
    }
    return new Limits(maxDuration, radius, override.orElse(strategy));
  }

  /** The {@code max_duration} among {@code body}'s own statements (a playbook's or a scenario's). */
  public static Optional<MaxDuration> maxDuration(List<Stmt> body, Evaluator evaluator, Environment scope) {
    for (Stmt s : body) {
      if (s instanceof Decl.Setting d && d.name().equals("max_duration")) {
        Object v = evaluator.eval(d.value(), scope);
        if (!(v instanceof Duration limit) || limit.isNegative() || limit.isZero()) {
          throw EvalError.at(d.value().at(), "'max_duration' needs a positive duration, got "
              + (v == null ? "null" : Values.typeOf(v) + " (" + Values.showNested(v) + ")"), null);
        }
        return Optional.of(new MaxDuration(limit, d.at()));
      }
    }
    return Optional.empty();
  }

  private static Percent percent(Object v, Expr at) {
    if (v instanceof Percent p && p.points() >= 0 && p.points() <= 100) return p;
    throw EvalError.at(at.at(), "'max_blast_radius' needs a percentage between 0% and 100%, got "
        + (v == null ? "null" : Values.typeOf(v) + " (" + Values.showNested(v) + ")"), null);
  }

  /** {@code rollback_strategy always}: a bare word or a string, never evaluated. */
  private static RollbackStrategy strategy(Expr value) {
    String word = value instanceof Expr.Name n ? n.name() : value instanceof Expr.Str s ? s.value() : "";
    try {
      return RollbackStrategy.parse(word);
    } catch (IllegalArgumentException e) {
      throw EvalError.at(value.at(), "unknown rollback strategy '" + word + "'", "choose always, on_failure or never");
    }
  }

  /**
   * Whether a playbook has anything for a {@link GuardMonitor} to watch: a guard, or a
   * {@code max_duration} at its top level or directly in a scenario.
   */
  public static boolean needsMonitor(Playbook main) {
    for (Stmt s : main.body()) {
      if (s instanceof Decl.Guard || s instanceof Decl.Setting d && d.name().equals("max_duration")) return true;
      if (s instanceof Decl.Scenario sc) {
        for (Stmt t : sc.body().stmts()) if (t instanceof Decl.Setting d && d.name().equals("max_duration")) return true;
      }
    }
    return false;
  }

  /**
   * In a profile marked {@code production}, a playbook without any guard does not run.
   * Rationale: in production nobody may be watching closely enough to stop an experiment by hand;
   * a guard is what stops it, within a second, when the system suffers.
   */
  public static Optional<Diagnostic> productionNeedsGuard(Playbook main, Optional<Decl.Profile> profile) {
    if (profile.isEmpty() || !profile.get().isProduction()) return Optional.empty();
    for (Stmt s : main.body()) if (s instanceof Decl.Guard) return Optional.empty();
    Decl.Profile p = profile.get();
    Position at = p.at().withLength("profile".length());
    return Optional.of(Diagnostic.error(at, "profile '" + p.name() + "' is marked production, and this playbook has no guard")
        .withLabel("production profile")
        .withNote("in a production profile a playbook runs only with a guard that can stop it")
        .withHelp("add a guard at the top level, e.g. guard \"service healthy\" every 1s { svc.health.ok } else abort P1"
            + ", or choose another profile with --env"));
  }
}
