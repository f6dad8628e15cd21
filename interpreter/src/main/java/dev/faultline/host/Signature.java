package dev.faultline.host;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * A host function as data: its name, documentation, parameters and result, read once from the
 * annotations. The checker uses it for arity, unknown named arguments and units; {@code faultline
 * doc} and REPL help print it. Immutable. {@code method} is null for a function that is not a Java
 * method (a JavaScript hook's; see {@link Invocable}).
 *
 * @param name the full name, dotted for a namespace
 * @param doc what the function does
 * @param kind a function or an injector
 * @param params the parameters in order, without the trailing {@link CallContext}
 * @param returnType the Java result type
 * @param takesContext whether the method's last parameter is a {@link CallContext}
 * @param method the Java method, or null for an {@link Invocable}
 * @param effect what calling it does to the world
 * @param requires the capabilities the call (or the injection) needs
 */
public record Signature(
    String name, String doc, Kind kind, List<Parameter> params, Class<?> returnType,
    boolean takesContext, Method method, Effect effect, java.util.Set<dev.faultline.fault.Capability> requires) {

  /** Whether a signature is a function's, called for its value, or an injector's, used with {@code inject}. */
  public enum Kind {
    /** A {@link HostFunction}. */
    FUNCTION,
    /** An {@link Injector}: returns a fault. */
    INJECTOR
  }

  /**
   * Copies the lists and sets.
   *
   * @param name the full name, dotted for a namespace
   * @param doc what the function does
   * @param kind a function or an injector
   * @param params the parameters in order, without the trailing {@link CallContext}
   * @param returnType the Java result type
   * @param takesContext whether the method's last parameter is a {@link CallContext}
   * @param method the Java method, or null for an {@link Invocable}
   * @param effect what calling it does to the world
   * @param requires the capabilities the call (or the injection) needs
   */
  public Signature {
    params = List.copyOf(params);
    requires = java.util.Set.copyOf(requires);
  }

  /**
   * One parameter. {@code defaultValue} is the parsed default (which may be {@code null}) when
   * {@code hasDefault}, and {@code defaultText} the playbook text it came from.
   *
   * @param name the name for named arguments
   * @param doc what it means
   * @param type the Java type it is converted to
   * @param hasDefault whether it may be left out
   * @param defaultValue the parsed default, or null
   * @param defaultText the default as written in {@link Arg#byDefault()}
   */
  public record Parameter(String name, String doc, Class<?> type, boolean hasDefault, Object defaultValue, String defaultText) {
    /** {@return whether a call must give it} */
    public boolean isRequired() {
      return !hasDefault;
    }

    /** {@return the default, when there is one and it is not null} */
    public Optional<Object> byDefault() {
      return Optional.ofNullable(defaultValue);
    }
  }

  /** {@return whether this is an injector's signature} */
  public boolean isInjector() {
    return kind == Kind.INJECTOR;
  }

  /** {@return the last segment of the dotted name}: {@code container} for {@code docker.container} */
  public String simpleName() {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  /** {@return how many parameters a call must give} */
  public long requiredCount() {
    return params.stream().filter(Parameter::isRequired).count();
  }

  /**
   * {@return the parameter of that name, or empty}
   *
   * @param paramName a parameter's name
   */
  public Optional<Parameter> param(String paramName) {
    return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
  }

  /** {@return the call's shape for help}: {@code latency(delay: duration, jitter: duration = 0ms)} */
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
