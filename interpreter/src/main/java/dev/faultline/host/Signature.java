package dev.faultline.host;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * A host function as data: its name, documentation, parameters and result, read once from the
 * annotations. The checker uses it for arity, unknown named arguments and units; {@code faultline
 * doc} and REPL help print it. Immutable. {@code method} is null for a function that is not a Java
 * method (a JavaScript hook's; see {@link Invocable}).
 */
public record Signature(
    String name, String doc, Kind kind, List<Parameter> params, Class<?> returnType,
    boolean takesContext, Method method, Effect effect, java.util.Set<dev.faultline.fault.Capability> requires) {

  public enum Kind { FUNCTION, INJECTOR }

  public Signature {
    params = List.copyOf(params);
    requires = java.util.Set.copyOf(requires);
  }

  /**
   * One parameter. {@code defaultValue} is the parsed default (which may be {@code null}) when
   * {@code hasDefault}, and {@code defaultText} the playbook text it came from.
   */
  public record Parameter(String name, String doc, Class<?> type, boolean hasDefault, Object defaultValue, String defaultText) {
    public boolean isRequired() {
      return !hasDefault;
    }

    /** The default when it is not null. */
    public Optional<Object> byDefault() {
      return Optional.ofNullable(defaultValue);
    }
  }

  public boolean isInjector() {
    return kind == Kind.INJECTOR;
  }

  /** The last segment of a dotted name: {@code container} for {@code docker.container}. */
  public String simpleName() {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  public long requiredCount() {
    return params.stream().filter(Parameter::isRequired).count();
  }

  public Optional<Parameter> param(String paramName) {
    return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
  }

  /** {@code latency(delay: duration, jitter: duration = 0ms)}. */
  public String synopsis() {
    StringBuilder b = new StringBuilder(simpleName()).append('(');
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      if (i > 0) b.append(", ");
      b.append(p.name()).append(": ").append(Conversions.typeWord(p.type()));
      if (!p.isRequired()) b.append(" = ").append(p.defaultText());
    }
    return b.append(')').toString();
  }
}
