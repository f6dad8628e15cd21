package dev.faultline.junit;

import dev.faultline.embed.Faultline;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.platform.commons.PreconditionViolationException;

/** Finds the interpreter a test class asks for, or the standard library's (built once per class loader). */
final class Interpreters {
  private static volatile Faultline standard;
  private static final ConcurrentMap<Class<?>, Faultline> BY_CLASS = new ConcurrentHashMap<>();

  private Interpreters() {}

  static Faultline of(Class<?> testClass) {
    return BY_CLASS.computeIfAbsent(testClass, Interpreters::find);
  }

  private static Faultline find(Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (!f.isAnnotationPresent(FaultlineInterpreter.class)) continue;
        requireStatic(f.getModifiers(), f.toString());
        try {
          f.setAccessible(true);
          return require(f.get(null), f.toString());
        } catch (IllegalAccessException e) {
          throw new PreconditionViolationException("cannot read " + f, e);
        }
      }
      for (Method m : k.getDeclaredMethods()) {
        if (!m.isAnnotationPresent(FaultlineInterpreter.class)) continue;
        requireStatic(m.getModifiers(), m.toString());
        try {
          m.setAccessible(true);
          return require(m.invoke(null), m.toString());
        } catch (ReflectiveOperationException e) {
          throw new PreconditionViolationException("cannot call " + m, e);
        }
      }
    }
    return standard();
  }

  static Faultline standard() {
    Faultline f = standard;
    if (f == null) {
      synchronized (Interpreters.class) {
        if (standard == null) standard = Faultline.builder().standardLibrary().build();
        f = standard;
      }
    }
    return f;
  }

  private static void requireStatic(int modifiers, String what) {
    if (!Modifier.isStatic(modifiers)) throw new PreconditionViolationException("@FaultlineInterpreter " + what + " must be static");
  }

  private static Faultline require(Object value, String what) {
    if (value instanceof Faultline f) return f;
    throw new PreconditionViolationException("@FaultlineInterpreter " + what + " must give a dev.faultline.embed.Faultline, gave " + value);
  }
}
