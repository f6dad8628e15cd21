package dev.faultline.stdlib.hooks;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.Values;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * A fault made by a hook's injector. {@link #inject} calls its JavaScript {@code inject(args,
 * faultline)}, which does the harm and returns an object with {@code revert()}; {@link #revert}
 * calls that. When the hook's context is gone (stopped for its limits, or stuck), the revert goes
 * to a fresh copy of the hook and its {@code recover(record)}, as {@code faultline recover} would.
 *
 * <p>The journal record ({@link #undoRecord}) holds the hook's source, the injector's name and its
 * arguments: enough to load the hook in another process and call {@code recover}. Thread-safe.
 */
final class HookFault implements Fault {
  /** The journal's kind for every hook fault; {@link HookRecoverer} handles it. */
  static final String KIND = "hook";
  /** Rationale: the journal keeps the source so that recover runs the code that injected; a huge file is kept by path only. */
  private static final int MAX_SOURCE_IN_RECORD = 256 * 1024;

  private final HookFunction fn;
  private final Map<String, Object> args;
  private volatile Value handle;
  private volatile boolean injectCalled;
  private volatile boolean reverted;
  /** Faults the hook injected through faultline.inject during this fault's inject, in order. */
  private final java.util.List<Fault> children = new java.util.concurrent.CopyOnWriteArrayList<>();

  HookFault(HookFunction fn, Map<String, Object> args) {
    this.fn = fn;
    this.args = args;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String target() {
    return fn.hook().name();
  }

  @Override
  public String describe() {
    StringBuilder b = new StringBuilder(fn.name()).append('(');
    boolean first = true;
    for (var e : args.entrySet()) {
      if (!first) b.append(", ");
      first = false;
      b.append(e.getKey()).append(": ").append(Values.showNested(e.getValue()));
    }
    return b.append(") from hook ").append(fn.hook().name()).toString();
  }

  /** The injector's {@code plan(args)} when it has one: what a dry run prints. */
  @Override
  public String plan() {
    String what = "plan of injector '" + fn.name() + "'";
    Object text = fn.hook().call(what, fn.time(), () -> {
      Value plan = fn.optional("plan");
      return plan == null ? null : JsValues.fromGuest(fn.hook().invoke(plan, fn.spec(), args), what);
    }, CallContext.detached());
    return text == null ? describe() : Values.show(text);
  }

  @Override
  public void inject(CallContext context) {
    String what = "injector '" + fn.name() + "'";
    injectCalled = true;
    handle = fn.hook().call(what, fn.time(), () -> {
      fn.hook().injecting(this);
      Value result;
      try {
        result = fn.hook().invoke(fn.body(), fn.spec(), args);
      } finally {
        fn.hook().injecting(null);
      }
      if (result == null || !result.hasMember("revert") || !result.getMember("revert").canExecute()) {
        throw new HostError(what + " must return an object with a revert() function, got " + result,
            "end inject with: return { revert() { …undo what inject did… } }");
      }
      return result;
    }, context);
  }

  @Override
  public void revert(CallContext context) throws Exception {
    if (reverted) return;
    Value h = handle;
    JsHook hook = fn.hook();
    if (h != null && hook.isAlive()) {
      hook.call("revert of injector '" + fn.name() + "'", fn.time(), () -> h.invokeMember("revert"), context);
    } else if (!recover(hook.isAlive() ? hook : hook.successor(), context) && h != null) {
      throw new HostError("cannot revert " + describe() + ": the hook's context was stopped and the injector has no"
          + " recover(record)", "undo it by hand; the fault journal keeps its record");
    }
    // An inject that threw before returning its handle, in a hook without recover(), is taken to have
    // undone its own partial work (docs/hooks.md, "Faults"): there is nothing here to call.
    revertChildren(context);
    reverted = true;
  }

  /** A fault the hook injected through faultline.inject while this one's inject ran. */
  void adopt(Fault child) {
    children.add(child);
  }

  /** Reverts the adopted faults, newest first; every one is tried, the first failure is thrown. */
  private void revertChildren(CallContext context) throws Exception {
    Exception first = null;
    for (int i = children.size() - 1; i >= 0; i--) {
      try {
        children.get(i).revert(context);
      } catch (Exception e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
    children.clear();
  }

  /** Calls {@code recover(record)} of this injector in {@code hook}; false when it has none. */
  private boolean recover(JsHook hook, CallContext context) {
    if (!injectCalled) return true;
    return recoverIn(hook, fn.name(), record(), context);
  }

  /** Calls injector {@code name}'s {@code recover(record)} in {@code hook}; false when it has none. */
  static boolean recoverIn(JsHook hook, String name, Map<String, Object> record, CallContext context) {
    HookFunction f = hook.function(name);
    if (f == null) throw new HostError("hook " + hook.name() + " no longer registers injector '" + name + "'");
    String what = "recover of injector '" + name + "'";
    return hook.call(what, f.time(), () -> {
      Value recover = f.optional("recover");
      if (recover == null) return false;
      hook.invoke(recover, f.spec(), record);
      return true;
    }, context);
  }

  /** What {@code recover(record)} receives: the injector's name and arguments. */
  Map<String, Object> record() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("injector", fn.name());
    r.put("args", args);
    r.put("hook", fn.hook().name());
    return r;
  }

  @Override
  public Map<String, Object> undoRecord() {
    Map<String, Object> r = new LinkedHashMap<>();
    var src = fn.hook().source();
    r.put("hook", src.name());
    r.put("file", src.file().map(p -> p.toString()).orElse(""));
    r.put("source", src.text().length() <= MAX_SOURCE_IN_RECORD ? src.text() : "");
    r.put("first_line", (long) src.firstLine());
    r.put("first_column", (long) src.firstColumn());
    r.put("injector", fn.name());
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) JsValues.toRecord(args);
    r.put("args", plain);
    return r;
  }
}
