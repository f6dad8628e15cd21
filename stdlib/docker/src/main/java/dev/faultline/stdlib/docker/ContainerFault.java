package dev.faultline.stdlib.docker;

import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A pause (reverted with unpause), stop or kill (reverted by starting the container again) of one
 * container or of a selection from a labelled group. Built by an injector without touching
 * anything; the containers are chosen once, on the first of {@link #undoRecord()} or
 * {@link #inject}, and from then on the fault acts on those containers only (by id). A selection
 * is checked against the run's blast radius in {@code inject}, before any container is touched.
 * Thread-safe.
 */
final class ContainerFault implements Fault {
  enum Op {
    PAUSE("docker.pause", "pause"), STOP("docker.stop", "stop"), KILL("docker.kill", "kill");

    final String kind;
    final String verb;

    Op(String kind, String verb) {
      this.kind = kind;
      this.verb = verb;
    }
  }

  /** The containers a fault acts on, and the group they were chosen from. */
  record Chosen(List<Engine.Seen> members, String group, int of, Long seed) {
    boolean isSelection() {
      return !group.isEmpty();
    }
  }

  /** Chooses the containers when the fault is first recorded; a HostError when it cannot. */
  interface Chooser {
    Chosen choose(Engine engine, Op op);

    /** How messages name the target before it is chosen. */
    String describe();
  }

  private final Engine engine;
  private final Op op;
  private final Chooser chooser;
  private final String signal;
  private final Duration grace;
  private final Duration timeout;
  private Map<String, Object> record;
  private Chosen chosen;
  /** Set before the first container is touched: from then on the fault may be in place. */
  private volatile boolean touched;

  ContainerFault(Engine engine, Op op, Chooser chooser, String signal, Duration grace, Duration timeout) {
    this.engine = engine;
    this.op = op;
    this.chooser = chooser;
    this.signal = signal;
    this.grace = grace;
    this.timeout = timeout;
  }

  private synchronized Map<String, Object> record() {
    if (record == null) {
      Chosen c = chooser.choose(engine, op);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("version", 1);
      r.put("kind", op.kind);
      List<Map<String, Object>> members = new ArrayList<>();
      for (Engine.Seen s : c.members()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        members.add(m);
      }
      r.put("containers", members);
      if (c.isSelection()) {
        r.put("group", c.group());
        r.put("of", c.of());
        r.put("seed", c.seed());
      }
      if (op == Op.KILL) r.put("signal", signal);
      r.put("timeout_ms", timeout.toMillis());
      chosen = c;
      record = Collections.unmodifiableMap(r);
    }
    return record;
  }

  private synchronized Chosen chosenIfTaken() {
    return chosen;
  }

  @Override
  public String kind() {
    return op.kind;
  }

  @Override
  public String target() {
    Chosen c = chosenIfTaken();
    return c == null ? chooser.describe() : names(c);
  }

  private static String names(Chosen c) {
    return c.members().stream().map(Engine.Seen::name).collect(Collectors.joining(", "));
  }

  @Override
  public String describe() {
    Chosen c = chosenIfTaken();
    String what = c == null ? chooser.describe()
        : c.isSelection() ? names(c) + " (" + c.members().size() + " of " + c.of() + " " + c.group() + ", seed " + c.seed() + ")"
        : "container " + names(c);
    return switch (op) {
      case PAUSE -> "pause " + what;
      case STOP -> "stop " + what + " (grace " + grace.toSeconds() + "s)";
      case KILL -> "kill " + what + " with SIG" + signal;
    };
  }

  @Override
  public String plan() {
    return describe() + (op == Op.PAUSE ? "; unpaused when the scope ends" : "; started again when the scope ends");
  }

  @Override
  public Map<String, Object> undoRecord() {
    return record();
  }

  @Override
  public void inject(CallContext context) throws Exception {
    record();
    Chosen c = chosenIfTaken();
    if (c.isSelection()) {
      context.blastRadius().check(c.members().size(), c.of(), c.group());
      context.log("chose " + names(c) + ": " + c.members().size() + " of " + c.of() + " " + c.group() + " (seed " + c.seed() + ")");
    }
    boolean again = touched;
    for (Engine.Seen s : c.members()) {
      context.checkInterrupted();
      if (again && alreadyDone(s)) continue; // injected twice: what the first inject did holds
      touched = true;
      switch (op) {
        case PAUSE -> {
          engine.pause(s.id());
          requireWithin(s, "paused", Engine.Seen::isPaused);
        }
        case STOP -> {
          engine.stop(s.id(), grace);
          requireWithin(s, "stopped", x -> !x.isRunning());
        }
        case KILL -> {
          engine.kill(s.id(), signal);
          if (signal.equals("KILL")) requireWithin(s, "gone after SIGKILL", x -> !x.isRunning());
        }
      }
    }
  }

  private boolean alreadyDone(Engine.Seen s) {
    return engine.find(s.id()).map(now -> op == Op.PAUSE ? now.isPaused() : !now.isRunning()).orElse(true);
  }

  private void requireWithin(Engine.Seen s, String what, java.util.function.Predicate<Engine.Seen> holds) {
    boolean ok = ContainerUndo.waitUntil(() -> engine.find(s.id()).map(holds::test).orElse(true), Duration.ofSeconds(10));
    if (!ok) throw new HostError("container " + s.name() + " is not " + what + " within 10s");
  }

  @Override
  public void revert(CallContext context) throws Exception {
    Map<String, Object> r;
    synchronized (this) {
      r = record;
    }
    if (r == null || !touched) return; // never chosen, or refused before any container was touched
    try {
      ContainerUndo.revert(engine, r, context::log);
    } catch (TargetChanged changed) {
      throw new HostError(changed.getMessage(), "check the group by hand: docker ps -a", changed);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
