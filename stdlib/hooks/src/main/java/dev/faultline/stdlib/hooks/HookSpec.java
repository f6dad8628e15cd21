package dev.faultline.stdlib.hooks;

import dev.faultline.fault.Fault;
import dev.faultline.host.Conversions;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.graalvm.polyglot.Value;

/**
 * Reads the spec object a hook registers ({@code {doc, params, inject, plan, recover}} for an
 * injector, {@code {doc, params, returns, run}} for a probe) into a {@link HookFunction} with its
 * {@link Signature}. A mistake in the spec is a {@link HostError} that the loader shows at the
 * registering line. Runs on the hook thread while the hook loads. Stateless.
 */
final class HookSpec {
  private HookSpec() {}

  static HookFunction read(JsHook hook, String kind, String name, Value spec) {
    boolean injector = kind.equals("injector");
    String doc = string(spec, "doc", name);
    if (doc == null || doc.isBlank()) {
      throw new HostError(kind + " '" + name + "' has no doc", "give it one: doc: \"what it does, in a sentence\"");
    }
    List<Signature.Parameter> params = params(name, spec.getMember("params"));
    String body = injector ? "inject" : "run";
    Value fn = spec.getMember(body);
    if (fn == null || !fn.canExecute()) {
      throw new HostError(kind + " '" + name + "' has no " + body + " function",
          injector ? "write inject(args, faultline) { …do the harm…; return { revert() { …undo it… } } }"
              : "write run(args, faultline) { return …the measurement… }");
    }
    for (String optional : injector ? List.of("plan", "recover") : List.<String>of()) {
      Value v = spec.getMember(optional);
      if (v != null && !v.isNull() && !v.canExecute()) throw new HostError(kind + " '" + name + "': '" + optional + "' must be a function");
    }
    Class<?> returns = Object.class;
    if (!injector) {
      String word = string(spec, "returns", name);
      if (word != null) returns = type(name, "its result", word);
    } else {
      returns = Fault.class;
    }
    Duration time = hook.limits().time();
    Value timeout = spec.getMember("timeout");
    if (timeout != null && !timeout.isNull()) {
      Object t = JsValues.fromGuest(timeout, kind + " '" + name + "' timeout");
      if (!(t instanceof Duration d) || d.isNegative() || d.isZero()) {
        throw new HostError(kind + " '" + name + "': timeout must be a positive duration", "write timeout: faultline.duration(30000)");
      }
      time = d;
    }
    // An injector only describes its fault when called (pure); injecting it is what acts.
    Signature sig = new Signature(name, doc, injector ? Signature.Kind.INJECTOR : Signature.Kind.FUNCTION, params, returns,
        false, null, injector ? Effect.PURE : Effect.PROBE, Set.of());
    return new HookFunction(hook, sig, spec, fn, time, hook.caller(fn, spec, params.stream().map(Signature.Parameter::name).toList()));
  }

  private static String string(Value spec, String member, String fn) {
    Value v = spec.getMember(member);
    if (v == null || v.isNull()) return null;
    if (!v.isString()) throw new HostError("'" + fn + "': '" + member + "' must be a string");
    return v.asString();
  }

  /** {@code params: { url: "string", count: "int = 3" }}: names in order, a type word, a default in playbook syntax. */
  private static List<Signature.Parameter> params(String fn, Value params) {
    List<Signature.Parameter> out = new ArrayList<>();
    if (params == null || params.isNull()) return out;
    if (!params.hasMembers() || params.hasArrayElements()) {
      throw new HostError("'" + fn + "': params must be an object such as { url: \"string\", count: \"int = 3\" }");
    }
    for (String p : params.getMemberKeys()) {
      Value decl = params.getMember(p);
      if (!decl.isString()) {
        throw new HostError("'" + fn + "': parameter '" + p + "' must be declared by a string such as \"duration = 500ms\"");
      }
      String text = decl.asString();
      int eq = text.indexOf('=');
      String word = (eq < 0 ? text : text.substring(0, eq)).strip();
      Class<?> type = type(fn, "parameter '" + p + "'", word);
      if (eq < 0) {
        out.add(new Signature.Parameter(p, word, type, false, null, ""));
        continue;
      }
      String byDefault = text.substring(eq + 1).strip();
      Object value;
      try {
        value = HostRegistry.parseDefault(fn, p, byDefault);
        if (value != null) value = Conversions.toJava(value, type, fn, p);
      } catch (IllegalStateException | HostError e) {
        throw new HostError("'" + fn + "': the default of parameter '" + p + "' is not " + Conversions.describe(type)
            + " written as in a playbook: '" + byDefault + "'", "write e.g. \"duration = 500ms\", \"string = \\\"GET\\\"\", \"int = 3\"");
      }
      out.add(new Signature.Parameter(p, word, type, true, value, byDefault));
    }
    return out;
  }

  private static Class<?> type(String fn, String what, String word) {
    Class<?> t = JsValues.TYPES.get(word);
    if (t == null) {
      throw new HostError("'" + fn + "': unknown type '" + word + "' for " + what,
          "types are " + String.join(", ", JsValues.TYPES.keySet()));
    }
    return t;
  }
}
