package dev.faultline.eval;

import dev.faultline.ast.Decl;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.source.Suggest;
import dev.faultline.value.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A playbook {@code fn}: its declaration and the environment it closes over. */
public final class FnValue implements Function {
  private final Decl.Fn decl;
  private final Environment closure;
  private final Evaluator evaluator;

  FnValue(Decl.Fn decl, Environment closure, Evaluator evaluator) {
    this.decl = decl;
    this.closure = closure;
    this.evaluator = evaluator;
  }

  public Decl.Fn decl() {
    return decl;
  }

  @Override
  public String name() {
    return decl.name();
  }

  @Override
  public Object call(List<Object> positional, Map<String, Object> named, CallContext context) {
    return call(evaluator, positional, named);
  }

  /**
   * Calls the fn on {@code caller}, the evaluator of the thread that calls it.
   * Rationale: a guard's condition may call a fn; it must run on the guard's own evaluator (on the
   * monitor thread, with a context that refuses injection), never on the evaluator that declared
   * it, which belongs to the evaluating thread and is not thread-safe.
   */
  Object call(Evaluator caller, List<Object> positional, Map<String, Object> named) {
    var params = decl.params();
    if (positional.size() > params.size()) {
      throw new HostError(decl.name() + "() takes at most " + params.size() + " argument" + (params.size() == 1 ? "" : "s")
          + ", got " + positional.size(), null);
    }
    Environment env = closure.child();
    boolean[] given = new boolean[params.size()];
    for (int i = 0; i < positional.size(); i++) {
      env.define(params.get(i).name(), positional.get(i));
      given[i] = true;
    }
    List<String> names = params.stream().map(Decl.Fn.Parameter::name).toList();
    for (var e : named.entrySet()) {
      int index = names.indexOf(e.getKey());
      if (index < 0) {
        throw new HostError(decl.name() + "() has no parameter '" + e.getKey() + "'", Suggest.didYouMean(e.getKey(), names));
      }
      if (given[index]) throw new HostError(decl.name() + "() got '" + e.getKey() + "' twice", null);
      env.define(e.getKey(), e.getValue());
      given[index] = true;
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      if (given[i]) continue;
      var p = params.get(i);
      if (p.byDefault().isPresent()) env.define(p.name(), caller.eval(p.byDefault().get(), env));
      else missing.add(p.name());
    }
    if (!missing.isEmpty()) {
      throw new HostError(decl.name() + "() is missing argument" + (missing.size() == 1 ? " '" : "s '")
          + String.join("', '", missing) + "'", null);
    }
    return caller.callBody(this, env);
  }

  @Override
  public String toString() {
    return "<fn " + decl.name() + ">";
  }
}
