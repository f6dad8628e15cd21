package dev.faultline.check;

import dev.faultline.ast.Decl;
import dev.faultline.ast.TypeName;
import dev.faultline.ast.Unit;
import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.Signature;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Function;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the checker knows about a value before anything runs: a small lattice with {@link Kind#UNKNOWN}
 * at the top. Immutable.
 *
 * <p>Invariant: a type other than {@code UNKNOWN} is a promise about every value the expression can
 * take, so every problem reported from it is certain. When two paths disagree, {@link #join} widens;
 * a name that is ever assigned is {@code UNKNOWN} (the checker does not follow control flow).
 * Rationale: a checker that cries wolf is switched off; it says nothing when in doubt.
 */
final class StaticType {

  enum Kind {
    UNKNOWN, INT, FLOAT, NUMBER, STRING, BOOL, NULL, DURATION, PERCENT, SIZE, RATE, SEVERITY,
    LIST, MAP, FUNCTION, HOST, FAULT, NAMESPACE
  }

  static final StaticType UNKNOWN = new StaticType(Kind.UNKNOWN);
  static final StaticType INT = new StaticType(Kind.INT);
  static final StaticType FLOAT = new StaticType(Kind.FLOAT);
  static final StaticType NUMBER = new StaticType(Kind.NUMBER);
  static final StaticType STRING = new StaticType(Kind.STRING);
  static final StaticType BOOL = new StaticType(Kind.BOOL);
  static final StaticType NULL = new StaticType(Kind.NULL);
  static final StaticType DURATION = new StaticType(Kind.DURATION);
  static final StaticType PERCENT = new StaticType(Kind.PERCENT);
  static final StaticType SIZE = new StaticType(Kind.SIZE);
  static final StaticType RATE = new StaticType(Kind.RATE);
  static final StaticType SEVERITY = new StaticType(Kind.SEVERITY);
  static final StaticType LIST = new StaticType(Kind.LIST);
  static final StaticType MAP = new StaticType(Kind.MAP);
  static final StaticType FUNCTION = new StaticType(Kind.FUNCTION);
  static final StaticType FAULT = new StaticType(Kind.FAULT);

  final Kind kind;
  /** MAP: the complete set of keys when known (map literals, profile values), else null. */
  final Map<String, StaticType> keys;
  /** MAP: how messages name it ("slo" for a profile value), or null for "this map". */
  final String mapName;
  /** FUNCTION: the playbook fn, or the host signature, when known. */
  final Decl.Fn fn;
  final Signature signature;
  /** HOST: the Java class of the value. */
  final Class<?> hostClass;
  /** NAMESPACE: its dotted prefix. */
  final String namespace;

  private StaticType(Kind kind) {
    this(kind, null, null, null, null, null, null);
  }

  private StaticType(Kind kind, Map<String, StaticType> keys, String mapName, Decl.Fn fn, Signature signature,
      Class<?> hostClass, String namespace) {
    this.kind = kind;
    this.keys = keys == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    this.mapName = mapName;
    this.fn = fn;
    this.signature = signature;
    this.hostClass = hostClass;
    this.namespace = namespace;
  }

  static StaticType map(Map<String, StaticType> keys, String name) {
    return new StaticType(Kind.MAP, keys, name, null, null, null, null);
  }

  static StaticType fn(Decl.Fn fn) {
    return new StaticType(Kind.FUNCTION, null, null, fn, null, null, null);
  }

  static StaticType host(Signature signature) {
    return new StaticType(Kind.FUNCTION, null, null, null, signature, null, null);
  }

  static StaticType namespace(String prefix) {
    return new StaticType(Kind.NAMESPACE, null, null, null, null, null, prefix);
  }

  static StaticType hostValue(Class<?> type) {
    return new StaticType(Kind.HOST, null, null, null, null, type, null);
  }

  boolean isKnown() {
    return kind != Kind.UNKNOWN;
  }

  boolean is(Kind k) {
    return kind == k;
  }

  boolean isNumber() {
    return kind == Kind.INT || kind == Kind.FLOAT || kind == Kind.NUMBER;
  }

  /** The playbook's word with an article, as {@link Values#typeOf} says it at run time. */
  String word() {
    return switch (kind) {
      case UNKNOWN -> "a value";
      case INT, FLOAT, NUMBER -> "a number";
      case STRING -> "a string";
      case BOOL -> "a boolean";
      case NULL -> "null";
      case DURATION -> "a duration";
      case PERCENT -> "a percentage";
      case SIZE -> "a size";
      case RATE -> "a rate";
      case SEVERITY -> "a severity";
      case LIST -> "a list";
      case MAP -> "a map";
      case FUNCTION -> "a function";
      case HOST -> "a " + Values.hostTypeName(hostClass);
      case FAULT -> "a fault";
      case NAMESPACE -> "a namespace";
    };
  }

  /**
   * Runtime values standing for every value of this type, so that the evaluator's own rules
   * ({@code Arithmetic}, {@code Conversions}) can be asked what they would do. Empty when the
   * type has no faithful stand-in (unknown, host values, faults, namespaces).
   * Rationale: asking the runtime rules on samples keeps the checker and the evaluator in step
   * without a second copy of the unit table; no user code is evaluated.
   */
  List<Object> samples() {
    return switch (kind) {
      case INT -> List.of(2L);
      case FLOAT -> List.of(2.0);  // whole-valued: a double that may convert to an int is not refused
      case NUMBER -> List.of(2L, 2.0);
      case STRING -> List.of("s");
      case BOOL -> List.of(Boolean.TRUE);
      case NULL -> Collections.singletonList(null);
      case DURATION -> List.of(Duration.ofSeconds(1));
      case PERCENT -> List.of(new Percent(50));
      case SIZE -> List.of(new ByteSize(1000));
      case RATE -> List.of(new Rate(1));
      case SEVERITY -> List.of(Severity.P2);
      case LIST -> List.of(List.of());
      case MAP -> List.of(Map.of());
      case FUNCTION -> List.of(SAMPLE_FUNCTION);
      case UNKNOWN, HOST, FAULT, NAMESPACE -> List.of();
    };
  }

  private static final Function SAMPLE_FUNCTION = new Function() {
    public String name() { return "sample"; }
    public Object call(List<Object> positional, Map<String, Object> named, CallContext context) {
      throw new IllegalStateException("the checker never calls functions");
    }
  };

  /** The type of a runtime value (a sample's result, a constant). */
  static StaticType ofValue(Object v) {
    if (v == null) return NULL;
    if (v instanceof Long || v instanceof Integer) return INT;
    if (v instanceof Double) return FLOAT;
    if (v instanceof String) return STRING;
    if (v instanceof Boolean) return BOOL;
    if (v instanceof Duration) return DURATION;
    if (v instanceof Percent) return PERCENT;
    if (v instanceof ByteSize) return SIZE;
    if (v instanceof Rate) return RATE;
    if (v instanceof Severity) return SEVERITY;
    if (v instanceof List) return LIST;
    if (v instanceof Map) return MAP;
    if (v instanceof Function) return FUNCTION;
    if (v instanceof HostValue) return hostValue(v.getClass());
    if (v instanceof Fault) return FAULT;
    return UNKNOWN;
  }

  /** What a host function's declared Java return type promises, after {@code Conversions.fromJava}. */
  static StaticType ofJava(Class<?> type) {
    if (type == void.class || type == Void.class) return NULL;
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class
        || type == short.class || type == Short.class) return INT;
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) return FLOAT;
    if (type == String.class) return STRING;
    if (type == boolean.class || type == Boolean.class) return BOOL;
    if (type == Duration.class) return DURATION;
    if (type == Percent.class) return PERCENT;
    if (type == ByteSize.class) return SIZE;
    if (type == Rate.class) return RATE;
    if (type == Severity.class) return SEVERITY;
    if (List.class.isAssignableFrom(type)) return LIST;
    if (Map.class.isAssignableFrom(type)) return MAP;
    if (Fault.class.isAssignableFrom(type) && !HostValue.class.isAssignableFrom(type)) return FAULT;
    if (HostValue.class.isAssignableFrom(type)) return hostValue(type);
    return UNKNOWN;  // Object, Number, and anything else: the value decides
  }

  /** A param's declared type. {@code number} params keep a whole default as an int, so either. */
  static StaticType ofTypeName(TypeName t) {
    return switch (t) {
      case STRING -> STRING;
      case INT -> INT;
      case NUMBER -> NUMBER;
      case BOOL -> BOOL;
      case DURATION -> DURATION;
      case PERCENT -> PERCENT;
      case SIZE -> SIZE;
      case RATE -> RATE;
      case SEVERITY -> SEVERITY;
      case LIST -> LIST;
      case MAP -> MAP;
    };
  }

  static StaticType ofUnit(Unit unit) {
    return switch (unit.dimension()) {
      case DURATION -> DURATION;
      case PERCENTAGE -> PERCENT;
      case SIZE -> SIZE;
      case RATE -> RATE;
    };
  }

  /** Whether a value of this type is certainly acceptable where {@code expected} is declared. */
  boolean fits(StaticType expected) {
    if (!isKnown() || !expected.isKnown()) return true;
    if (expected.kind == Kind.NUMBER) return isNumber();
    if (kind == Kind.NUMBER) return expected.isNumber();
    return kind == expected.kind;
  }

  /** Whether two types may hold values of one kind: the same kind, or numbers of either sort. */
  boolean isLike(StaticType other) {
    return fits(other) || other.fits(this) || isNumber() && other.isNumber();
  }

  /** The least type covering both: numbers widen to NUMBER, anything else unlike to UNKNOWN. */
  static StaticType join(StaticType a, StaticType b) {
    if (a == null) return b;
    if (b == null) return a;
    if (a.equals(b)) return a;
    if (a.isNumber() && b.isNumber()) return NUMBER;
    if (a.kind == Kind.MAP && b.kind == Kind.MAP) return MAP;
    if (a.kind == Kind.FUNCTION && b.kind == Kind.FUNCTION) return FUNCTION;
    return UNKNOWN;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StaticType t)) return false;
    return kind == t.kind && Objects.equals(keys, t.keys) && Objects.equals(mapName, t.mapName) && fn == t.fn
        && Objects.equals(signature, t.signature) && hostClass == t.hostClass && Objects.equals(namespace, t.namespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, keys, mapName, namespace);
  }

  @Override
  public String toString() {
    return kind == Kind.MAP && keys != null ? "map" + new ArrayList<>(keys.keySet()) : kind.name().toLowerCase();
  }
}
