package dev.faultline.host;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Stmt;
import dev.faultline.eval.Literals;
import dev.faultline.fault.Fault;
import dev.faultline.parse.PlaybookParser;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host functions one interpreter can call, read from annotated library objects. Built once
 * by {@link Builder} and immutable afterwards; two interpreters never share a registry's libraries.
 *
 * <p>Global functions come from {@link HostFunction} / {@link Injector} methods of library objects;
 * a dotted name puts a function in a namespace ({@code docker.container}). Members of host values
 * come from their class, cached per class in a {@link ClassValue} (immutable tables only).
 */
public final class HostRegistry {
  private final Map<String, Bound> functions;
  private final Set<String> namespaces;

  /**
   * A global function with the library object it runs on.
   *
   * @param signature the function's name, parameters, effect and the method behind it
   * @param receiver the library object the method is called on
   */
  public record Bound(Signature signature, Object receiver) {}

  private HostRegistry(Map<String, Bound> functions) {
    this.functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    Set<String> ns = new TreeSet<>();
    for (String name : functions.keySet()) {
      int dot = name.indexOf('.');
      while (dot > 0) {
        ns.add(name.substring(0, dot));
        dot = name.indexOf('.', dot + 1);
      }
    }
    this.namespaces = Collections.unmodifiableSet(ns);
  }

  /** {@return an empty builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Looks a global function up.
   *
   * @param qualifiedName its full, possibly dotted, name ({@code sleep}, {@code docker.container})
   * @return the function, or empty
   */
  public Optional<Bound> function(String qualifiedName) {
    return Optional.ofNullable(functions.get(qualifiedName));
  }

  /** {@return every global function by its full name}, in registration order; unmodifiable */
  public Map<String, Bound> functions() {
    return functions;
  }

  /**
   * This registry with {@code extra} functions added (a playbook's hooks); a name this registry
   * already has keeps its first meaning (the checker reports the clash at the hook). Immutable.
   *
   * @param extra the functions to add
   * @return a new registry, or this one when there is nothing to add
   */
  public HostRegistry with(java.util.Collection<Bound> extra) {
    if (extra.isEmpty()) return this;
    Map<String, Bound> all = new LinkedHashMap<>(functions);
    for (Bound b : extra) all.putIfAbsent(b.signature().name(), b);
    return new HostRegistry(all);
  }

  /** {@return every namespace prefix}: {@code docker}, {@code postgres} */
  public Set<String> namespaces() {
    return namespaces;
  }

  /**
   * {@return whether a name is a namespace prefix of some function}
   *
   * @param prefix a name, possibly dotted ({@code docker}, {@code k8s.pod})
   */
  public boolean isNamespace(String prefix) {
    return namespaces.contains(prefix);
  }

  /** {@return the names visible at the top level}: undotted functions and first namespace segments */
  public Set<String> globalNames() {
    Set<String> names = new TreeSet<>();
    for (String n : functions.keySet()) {
      int dot = n.indexOf('.');
      names.add(dot < 0 ? n : n.substring(0, dot));
    }
    return names;
  }

  /**
   * {@return the direct members of a namespace}: {@code container} and {@code containers} for {@code docker}
   *
   * @param namespace a namespace prefix
   */
  public Set<String> membersOf(String namespace) {
    Set<String> names = new TreeSet<>();
    String prefix = namespace + ".";
    for (String n : functions.keySet()) {
      if (n.startsWith(prefix)) {
        String rest = n.substring(prefix.length());
        int dot = rest.indexOf('.');
        names.add(dot < 0 ? rest : rest.substring(0, dot));
      }
    }
    return names;
  }

  /**
   * {@return the name, doc and members of a host value class}; {@code null} for classes without
   * {@link HostType}. Read once per class and cached.
   *
   * @param type a class, usually one implementing {@link dev.faultline.value.HostValue}
   */
  public static HostTypeInfo typeInfo(Class<?> type) {
    return TYPES.get(type);
  }

  private static final ClassValue<HostTypeInfo> TYPES = new ClassValue<>() {
    @Override
    protected HostTypeInfo computeValue(Class<?> type) {
      HostType ann = findHostType(type);
      if (ann == null) return null;
      Map<String, Signature> members = new LinkedHashMap<>();
      for (Method m : type.getMethods()) {
        Signature s = signatureOf(m, "");
        if (s != null) members.putIfAbsent(s.name(), s);
      }
      return new HostTypeInfo(ann.name(), ann.doc(), members);
    }
  };

  private static HostType findHostType(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      HostType ann = c.getAnnotation(HostType.class);
      if (ann != null) return ann;
    }
    return null;
  }

  /** Reads one annotated method; null when it carries neither annotation. */
  static Signature signatureOf(Method m, String prefix) {
    HostFunction fn = m.getAnnotation(HostFunction.class);
    Injector inj = m.getAnnotation(Injector.class);
    if (fn == null && inj == null) return null;
    String name = prefix + (fn != null ? fn.name() : inj.name());
    String doc = fn != null ? fn.doc() : inj.doc();
    if (doc.isBlank()) throw new IllegalStateException("host function " + name + " has no doc");
    if (inj != null && !Fault.class.isAssignableFrom(m.getReturnType())) {
      throw new IllegalStateException("injector " + name + " must return a Fault");
    }
    if (!Modifier.isPublic(m.getModifiers())) throw new IllegalStateException(name + " must be public");
    m.setAccessible(true);
    List<Signature.Parameter> params = new ArrayList<>();
    Parameter[] ps = m.getParameters();
    boolean takesContext = false;
    for (int i = 0; i < ps.length; i++) {
      if (ps[i].getType() == CallContext.class) {
        if (i != ps.length - 1) throw new IllegalStateException(name + ": CallContext must be the last parameter");
        takesContext = true;
        continue;
      }
      Arg a = ps[i].getAnnotation(Arg.class);
      if (a == null) throw new IllegalStateException(name + ": parameter " + i + " has no @Arg");
      boolean hasDefault = !a.byDefault().isEmpty();
      Object byDefault = hasDefault ? parseDefault(name, a.name(), a.byDefault()) : null;
      params.add(new Signature.Parameter(a.name(), a.doc(), ps[i].getType(), hasDefault, byDefault, a.byDefault()));
    }
    // An injector only describes its fault: building it is pure; injecting is what needs permission.
    Effect effect = inj != null ? Effect.PURE : fn.effect();
    var requires = java.util.EnumSet.noneOf(dev.faultline.fault.Capability.class);
    requires.addAll(java.util.List.of(fn != null ? fn.requires() : inj.requires()));
    return new Signature(name, doc, inj != null ? Signature.Kind.INJECTOR : Signature.Kind.FUNCTION,
        params, m.getReturnType(), takesContext, m, effect, requires);
  }

  /**
   * Reads a parameter's default written in playbook syntax.
   *
   * @param function the function's name, for the message
   * @param param the parameter's name, for the message
   * @param text the default ({@code "0ms"}, {@code "\"GET\""}, {@code "null"})
   * @return the constant's value
   * @throws IllegalStateException when the text does not parse or is not a constant
   */
  public static Object parseDefault(String function, String param, String text) {
    try {
      var unit = new PlaybookParser().parseStatements(new SourceFile("<default of " + function + "." + param + ">", text));
      if (unit.body().size() == 1 && unit.body().get(0) instanceof Stmt.ExprStmt e) {
        Expr expr = e.expr();
        return Literals.unwrap(Literals.constant(expr).orElseThrow(() ->
            new IllegalStateException(function + "." + param + ": default '" + text + "' is not a constant")));
      }
    } catch (PlaybookError e) {
      throw new IllegalStateException(function + "." + param + ": default '" + text + "' does not parse: " + e.getMessage());
    }
    throw new IllegalStateException(function + "." + param + ": default '" + text + "' is not one expression");
  }

  /** Collects libraries; {@link #build()} reads their annotations once. */
  public static final class Builder {
    private final Map<String, Bound> functions = new LinkedHashMap<>();

    /**
     * Adds every {@link HostFunction} and {@link Injector} method of {@code library}.
     *
     * @param library the object the methods run on
     * @return this builder
     * @throws IllegalStateException when a method is malformed, a name is registered twice, or the
     *     object has no annotated method
     */
    public Builder library(Object library) {
      int before = functions.size();
      for (Method m : library.getClass().getMethods()) {
        Signature s = signatureOf(m, "");
        if (s == null) continue;
        if (functions.containsKey(s.name())) {
          throw new IllegalStateException("host function '" + s.name() + "' is registered twice");
        }
        functions.put(s.name(), new Bound(s, library));
      }
      if (functions.size() == before) {
        throw new IllegalStateException(library.getClass().getName() + " has no @HostFunction or @Injector method");
      }
      return this;
    }

    /** {@return the registry, immutable} */
    public HostRegistry build() {
      return new HostRegistry(functions);
    }
  }
}
