package dev.faultline.stdlib.hooks;

import dev.faultline.host.CallContext;
import dev.faultline.host.Conversions;
import dev.faultline.host.HostError;
import dev.faultline.host.Invocable;
import dev.faultline.host.Signature;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * A probe or an injector a hook registered, as the playbook calls it. A probe runs its JavaScript
 * {@code run(args, faultline)} and returns its result; an injector only describes its fault
 * ({@link HookFault}), which the lifecycle then journals, injects and reverts. Thread-safe: the
 * JavaScript values it holds are touched on the hook thread only.
 */
final class HookFunction implements Invocable {
  private final JsHook hook;
  private final Signature signature;
  private final Value spec;
  private final Value body;
  private final Duration time;

  /** {@code body} bound to the spec, taking the arguments one by one: the probe's hot path. */
  private final Value caller;

  HookFunction(JsHook hook, Signature signature, Value spec, Value body, Duration time, Value caller) {
    this.hook = hook;
    this.signature = signature;
    this.spec = spec;
    this.body = body;
    this.time = time;
    this.caller = caller;
  }

  Signature signature() {
    return signature;
  }

  JsHook hook() {
    return hook;
  }

  String name() {
    return signature.name();
  }

  Duration time() {
    return time;
  }

  @Override
  public Object invoke(List<Object> args, CallContext context) {
    Map<String, Object> named = new LinkedHashMap<>();
    for (int i = 0; i < signature.params().size(); i++) named.put(signature.params().get(i).name(), args.get(i));
    if (signature.isInjector()) return new HookFault(this, named);
    String what = "probe '" + name() + "'";
    Object result = hook.call(what, time, () -> {
      Object[] guest = new Object[args.size()];  // on the hook thread, where host values get their handles
      for (int i = 0; i < guest.length; i++) guest[i] = JsValues.toGuest(args.get(i), 0);
      return JsValues.fromGuest(caller.execute(guest), what + "'s result");
    }, context);
    return checked(result, what);
  }

  /**
   * Rationale: a probe that declares {@code returns: "duration"} is typed by the checker as a
   * duration; a bare number coming back would be compared as if it were one, so it is an error.
   */
  private Object checked(Object result, String what) {
    Class<?> declared = signature.returnType();
    if (declared == Object.class || result == null) return result;
    try {
      return Conversions.toJava(result, declared, name(), "result");
    } catch (HostError e) {
      throw new HostError(what + " declares that it returns " + Conversions.describe(declared) + ", but returned "
          + Values.typeOf(result) + " (" + Values.showNested(result) + ")",
          declared == java.time.Duration.class ? "return faultline.duration(ms)" : "return " + Conversions.describe(declared));
    }
  }

  /** Calls one of the spec's optional functions ({@code plan}, {@code recover}) on the hook thread; null when absent. */
  Value optional(String member) {
    Value v = spec.getMember(member);
    return v == null || v.isNull() ? null : v;
  }

  Value spec() {
    return spec;
  }

  Value body() {
    return body;
  }
}
