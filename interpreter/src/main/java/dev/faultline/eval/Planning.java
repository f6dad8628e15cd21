package dev.faultline.eval;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Stmt;
import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.Fault;
import dev.faultline.host.Effect;
import dev.faultline.host.HostCall;
import dev.faultline.host.Signature;
import dev.faultline.source.Position;
import dev.faultline.value.Function;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@link Evaluator}'s statements and calls in a dry run: what they do instead of waiting,
 * injecting, judging or touching anything. One per evaluator, only in a dry run; it works on the
 * evaluator's thread and its current scope.
 *
 * <p>The rules, in the order a playbook meets them:
 * <ul>
 *   <li>A host function runs when it is PURE, or PROBE under {@code --dry-run=probes}, and has no
 *       placeholder among its arguments. Otherwise it is not called: it is listed ({@code call},
 *       {@code probe}) unless PURE, and a {@link Planned} placeholder stands for its result.
 *       An injector always runs when it can (it only describes a fault); given a placeholder, its
 *       fault is named from the call instead.
 *   <li>{@code inject} plans the fault through {@link PlanMode#plan}: nothing is injected, and the
 *       handle it yields is never active.
 *   <li>{@code wait}, {@code await} and {@code measure} never wait. {@code await} whose condition
 *       is already true yields 0s, as a real run would; otherwise it is listed and yields a
 *       placeholder, since any figure would be made up and would then decide branches and checks.
 *   <li>{@code expect} is listed, never raised: "would check" when its condition is unknown,
 *       "would fail" when it is known to be false. {@code abort} and {@code revert} are listed.
 *   <li>{@code if} and {@code decide} with an unknown condition plan every branch that could be
 *       taken: both sides of an {@code if}; each {@code when} arm in order until one is known to
 *       be true, and {@code else} unless one was. A known condition takes its branch as in a real
 *       run. A loop over an unknown list, or repeated an unknown number of times, is planned once.
 * </ul>
 * Rationale: a dry run shows every path the playbook could take and never ends early, so that one
 * reading of its output covers the whole plan; only a mistake in the playbook stops a step.
 */
final class Planning {
  private final Evaluator ev;
  private final RunContext run;
  private final PlanMode plan;

  Planning(Evaluator ev, RunContext run, PlanMode plan) {
    this.ev = ev;
    this.run = run;
    this.plan = plan;
  }

  // ------------------------------------------------------------ calls

  /**
   * What stands in for calling {@code fn}, or null to call it. {@code site} is the call, or the
   * member read as a property, in the playbook.
   */
  Object instead(Position at, Expr site, Function fn, List<Object> positional, Map<String, Object> named) {
    if (!(fn instanceof HostCall call)) return null;  // a playbook fn runs: its statements are planned one by one
    Signature sig = call.signature();
    String text = text(site);
    Planned arg = Planned.in(positional);
    if (arg == null) arg = Planned.in(named);
    if (sig.isInjector()) return arg == null ? null : new PlannedFault(text, targetOf(call.receiver()));
    Effect effect = sig.effect();
    boolean runs = effect == Effect.PURE || effect == Effect.PROBE && plan.runsProbes();
    if (runs && arg == null) {
      if (effect == Effect.PROBE) plan.list(at, "probe", text + " - run, as --dry-run=probes asks");
      return null;
    }
    if (effect == Effect.PURE) return arg.derived(text);
    String why;
    if (!runs) why = effect == Effect.PROBE ? "not run; --dry-run=probes runs probes" : "not called in a dry run";
    else why = "not run: it needs " + arg.show() + ", which a dry run does not have";
    plan.list(at, effect == Effect.PROBE ? "probe" : "call", text + " - " + why);
    return Planned.of(text);
  }

  private static String targetOf(Object receiver) {
    return receiver instanceof HostValue h ? h.show() : "";
  }

  // ------------------------------------------------------------ faults

  /** {@code inject}: plans the fault {@code value} (a fault, or a placeholder for one). */
  Object inject(Expr.Inject e, Object value) {
    Fault fault;
    if (value instanceof Planned p) {
      fault = new PlannedFault(p.text(), p.origin() == p ? "" : p.origin().show());
    } else if (value instanceof Fault f) {
      fault = f;
    } else {
      throw EvalError.at(e.fault().at(), "'inject' needs a fault, got " + Evaluator.describe(value),
          "call an injector, e.g. 'inject link.latency(500ms)'");
    }
    Object forDuration = null;
    if (e.duration().isPresent()) {
      Expr d = e.duration().get();
      forDuration = ev.eval(d);
      if (!(forDuration instanceof Planned)) forDuration = ev.durationOf(forDuration, d, "inject … for");
    }
    return plan.plan(fault, forDuration, e.at());
  }

  void revert(Stmt.Revert s) {
    if (s.target().isEmpty()) {
      plan.list(s.at(), "revert", "would revert every fault injected so far");
      return;
    }
    Object target = ev.eval(s.target().get());
    List<?> handles = target instanceof List<?> list ? list : List.of(target == null ? Literals.NULL : target);
    StringBuilder what = new StringBuilder();
    for (Object h : handles) {
      String one;
      if (h instanceof ActiveFault f) one = f.fault().plan();
      else if (h instanceof Planned p) one = p.show();
      else throw EvalError.at(s.target().get().at(), "'revert' needs a fault from 'inject', got "
          + Evaluator.describe(Literals.unwrap(h)), "write 'let f = inject …' and then 'revert f', or 'revert all'");
      if (what.length() > 0) what.append("; ");
      what.append(one);
    }
    plan.list(s.at(), "revert", "would revert " + (what.length() == 0 ? "nothing" : what));
  }

  // ------------------------------------------------------------ time

  void waitFor(Stmt.Wait s) {
    Object d = ev.eval(s.duration());
    if (!(d instanceof Planned)) ev.durationOf(d, s.duration(), "wait");
    plan.list(s.at(), "wait", Values.show(d) + " - not waited in a dry run");
  }

  Object await(Expr.Await e) {
    Object limit = ev.eval(e.within());
    if (!(limit instanceof Planned)) ev.durationOf(limit, e.within(), "await … within");
    if (e.every().isPresent()) {
      Object every = ev.eval(e.every().get());
      if (!(every instanceof Planned) && (ev.durationOf(every, e.every().get(), "await … every").isZero())) {
        throw EvalError.at(e.every().get().at(), "'every' needs a positive duration", null);
      }
    }
    String text = text(e.condition());
    Object now = ev.test(e.condition(), "await");
    if (Boolean.TRUE.equals(now)) {
      plan.list(e.at(), "await", text + " is true already: yields 0s");
      return Duration.ZERO;
    }
    plan.list(e.at(), "await", "would poll " + text + " for up to " + Values.show(limit)
        + (Boolean.FALSE.equals(now) ? " (false now)" : "") + " - not waited in a dry run");
    return Planned.of("time until " + text);
  }

  Object measure(Expr.Measure e) {
    plan.list(e.at(), "measure", "times the statements below in a real run - not timed in a dry run");
    ev.executeBlock(e.body(), ev.environment().child());
    return Planned.of("measure { … }");
  }

  // ------------------------------------------------------------ checks

  void expect(Stmt.Expect s) {
    Expr cond = s.condition();
    String text = text(cond);
    Object held;
    String detail = "";
    if (cond instanceof Expr.Binary b && b.op().isComparison()) {
      Object l = ev.eval(b.left());
      Object r = ev.eval(b.right());
      if (l instanceof Planned || r instanceof Planned) {
        held = Planned.of(text);
      } else {
        held = Values.isTrue(ev.apply(b, l, r));
        detail = Values.showNested(l) + " " + b.op().symbol() + " " + Values.showNested(r);
      }
    } else if (cond instanceof Expr.Within w) {
      Object v = ev.eval(w.value());
      Object target = ev.eval(w.target());
      Object tolerance = ev.eval(w.tolerance());
      if (v instanceof Planned || target instanceof Planned || tolerance instanceof Planned) {
        held = Planned.of(text);
      } else {
        held = ev.within(w, v, target, tolerance);
        detail = text(w.value()) + " was " + Values.showNested(v);
      }
    } else {
      held = ev.test(cond, "expect");
    }
    if (held instanceof Planned) {
      plan.list(s.at(), "expect", "would check: " + text);
    } else if ((Boolean) held) {
      run.expectation(s.at(), text, true, detail);
      plan.list(s.at(), "expect", "holds: " + text + (detail.isEmpty() ? "" : " (" + detail + ")"));
    } else {
      String message = s.message().isPresent() ? Values.show(ev.eval(s.message().get()))
          : text + (detail.isEmpty() ? "" : " (" + detail + ")");
      plan.list(s.at(), "expect", "would fail: " + message);
    }
  }

  void abort(Stmt.Abort s) {
    Aborted a = ev.aborted(s);
    plan.list(s.at(), "abort", "would abort " + a.severity().name() + ": " + a.getMessage());
  }

  // ------------------------------------------------------------ branches

  void bothBranches(Stmt.If s, Planned condition) {
    plan.list(s.at(), "if", text(s.condition()) + " is not known in a dry run: every branch is planned");
    ev.executeBlock(s.then(), ev.environment().child());
    s.orElse().ifPresent(ev::execute);
  }

  void decide(Stmt.Decide s) {
    boolean open = false;  // an earlier arm's condition is unknown, so a later arm could be taken too
    for (int i = 0; i < s.arms().size(); i++) {
      Stmt.Decide.When arm = s.arms().get(i);
      Object c = ev.test(arm.condition(), "when");
      String text = text(arm.condition());
      if (c instanceof Planned) {
        plan.list(arm.at(), "decide", "could take: when " + text);
        ev.executeAction(arm.action());
        open = true;
      } else if ((Boolean) c) {
        if (open) plan.list(arm.at(), "decide", "could take: when " + text);
        else run.decision(arm.at(), i, text);
        ev.executeAction(arm.action());
        return;
      }
    }
    if (s.orElse().isPresent()) {
      if (open) plan.list(s.orElse().get().at(), "decide", "could take: else");
      else run.decision(s.orElse().get().at(), -1, "else");
      ev.executeAction(s.orElse().get());
    } else if (open) {
      plan.list(s.at(), "decide", "could take no arm");
    } else {
      run.decision(s.at(), -2, "no arm matched");
    }
  }

  void loopOnce(Stmt.For s, Planned items) {
    plan.list(s.at(), "for", "each item of " + items.text() + " is not known in a dry run: the body is planned once");
    Environment scope = ev.environment().child();
    scope.define(s.variable(), items.derived("an item of " + items.text()));
    ev.executeBlock(s.body(), scope);
  }

  void repeatOnce(Stmt.Repeat s, Planned count) {
    plan.list(s.at(), "repeat", count.text() + " times is not known in a dry run: the body is planned once");
    ev.executeBlock(s.body(), ev.environment().child());
  }

  /** The expression as the playbook writes it. */
  private String text(Expr e) {
    return run.sourceText(CallText.extent(e));
  }
}
