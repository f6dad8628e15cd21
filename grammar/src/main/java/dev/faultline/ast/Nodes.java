package dev.faultline.ast;

import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every node below some roots, for passes that look for one kind of node anywhere (all the
 * assignments, all the calls) and would otherwise need a visitor of fifty methods. Iterative, so
 * deep trees cannot overflow the stack; order is unspecified. Stateless.
 */
public final class Nodes {
  private Nodes() {}

  /** Calls {@code visit} on each node, list and optional reachable from {@code roots}. */
  public static void walk(Collection<?> roots, Consumer<Object> visit) {
    Deque<Object> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      visit.accept(o);
      if (o instanceof Collection<?> c) {
        for (Object item : c) if (item != null) todo.push(item);
      } else if (o instanceof Optional<?> opt) {
        opt.ifPresent(todo::push);
      } else if (o instanceof Record r && (o instanceof Node)) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
          try {
            Object v = c.getAccessor().invoke(r);
            if (v instanceof Node || v instanceof Collection<?> || v instanceof Optional<?>) todo.push(v);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
          }
        }
      }
    }
  }
}
