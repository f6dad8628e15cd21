package dev.faultline.host;

import dev.faultline.value.Function;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A host function bound to the object it runs on: a library's global function, or a member of a
 * host value ({@code link.latency}). Binds playbook arguments to the Java parameters and invokes.
 */
public record HostCall(Signature signature, Object receiver) implements Function {

  @Override
  public String name() {
    return signature.simpleName();
  }

  @Override
  public Object call(List<Object> positional, Map<String, Object> named, CallContext context) {
    // Rationale: the checker refuses the calls it can see before the run; this refuses the rest (a
    // member of a value whose type it cannot know) at first use, before the function does anything.
    // An injector's capabilities are those of injecting: it is called only inside 'inject', just before.
    if (!signature.requires().isEmpty()) context.require(signature.requires(), signature.simpleName() + "()");
    List<Signature.Parameter> params = signature.params();
    String fn = signature.simpleName();
    if (positional.size() > params.size()) {
      throw new HostError(fn + "() takes at most " + params.size() + " argument" + (params.size() == 1 ? "" : "s")
          + ", got " + positional.size(), "usage: " + signature.synopsis());
    }
    Object[] args = new Object[params.size() + (signature.takesContext() ? 1 : 0)];
    boolean[] given = new boolean[params.size()];
    for (int i = 0; i < positional.size(); i++) {
      args[i] = Conversions.toJava(positional.get(i), params.get(i).type(), fn, params.get(i).name());
      given[i] = true;
    }
    for (var e : named.entrySet()) {
      int index = indexOf(params, e.getKey());
      if (index < 0) {
        List<String> names = params.stream().map(Signature.Parameter::name).toList();
        throw new HostError(fn + "() has no parameter '" + e.getKey() + "'",
            dev.faultline.source.Suggest.closest(e.getKey(), names).map(s -> "did you mean '" + s + "'?")
                .orElse("usage: " + signature.synopsis()));
      }
      if (given[index]) throw new HostError(fn + "() got '" + e.getKey() + "' twice", "usage: " + signature.synopsis());
      args[index] = Conversions.toJava(e.getValue(), params.get(index).type(), fn, e.getKey());
      given[index] = true;
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      if (given[i]) continue;
      Signature.Parameter p = params.get(i);
      if (p.isRequired()) missing.add(p.name());
      else args[i] = Conversions.toJava(p.defaultValue(), p.type(), fn, p.name());
    }
    if (!missing.isEmpty()) {
      throw new HostError(fn + "() is missing argument" + (missing.size() == 1 ? " '" : "s '") + String.join("', '", missing) + "'",
          "usage: " + signature.synopsis());
    }
    if (signature.takesContext()) args[args.length - 1] = context;
    if (signature.method() == null) return Conversions.fromJava(((Invocable) receiver).invoke(java.util.Arrays.asList(args), context));
    try {
      return Conversions.fromJava(signature.method().invoke(receiver, args));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new HostError(fn + "() failed: " + cause.getMessage(), null, cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("host function " + signature.name() + " is not accessible", e);
    }
  }

  private static int indexOf(List<Signature.Parameter> params, String name) {
    for (int i = 0; i < params.size(); i++) if (params.get(i).name().equals(name)) return i;
    return -1;
  }
}
