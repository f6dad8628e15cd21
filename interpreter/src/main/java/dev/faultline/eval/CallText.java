package dev.faultline.eval;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Node;
import dev.faultline.ast.Playbook;
import dev.faultline.source.Position;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How messages name a call without its arguments, {@code file(...).replace()}, and how far an
 * expression reaches in its line. The permission check names calls this way before the run and at
 * first use alike, so that both say the same thing. Stateless.
 */
public final class CallText {
  private CallText() {}

  /**
   * {@code file(...).replace()} for a call, {@code svc.health_url} for a member read as a property.
   * Arguments become {@code (...)}: they can be long, and the permission is about the function.
   */
  public static String of(Expr e) {
    if (e instanceof Expr.Call c) return chain(c.callee()) + "()";
    return chain(e);
  }

  private static String chain(Expr e) {
    if (e instanceof Expr.Name n) return n.name();
    if (e instanceof Expr.Member m) return chain(m.target()) + "." + m.name();
    if (e instanceof Expr.Call c) return chain(c.callee()) + (c.args().isEmpty() ? "()" : "(...)");
    if (e instanceof Expr.Index i) return chain(i.target()) + "[...]";
    if (e instanceof Expr.Str s) return dev.faultline.value.Values.showNested(s.value());
    return "(...)";
  }

  /**
   * The whole of an expression on its line. A member's own position marks only its name (so that
   * "no member" points at it); this reaches back to the start of its target, without recursion.
   */
  public static Position extent(Expr e) {
    if (!(e instanceof Expr.Member last)) return e.at();
    Expr first = last;
    while (first instanceof Expr.Member m) first = m.target();
    Position start = first.at();
    Position end = last.at();
    if (!start.file().equals(end.file()) || start.line() != end.line() || end.column() < start.column()) return end;
    return new Position(start.file(), start.line(), start.column(), end.column() + end.length() - start.column());
  }

  /**
   * Every call and member under {@code roots} (files, declarations, any nodes) by its position, named
   * as {@link #of} names it: how a run finds the words for a call it refuses at first use. Walks
   * the tree without recursion.
   */
  public static Map<Position, String> index(Collection<?> roots) {
    Map<Position, String> out = new HashMap<>();
    Deque<Object> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (o instanceof Expr.Call || o instanceof Expr.Member) out.putIfAbsent(((Expr) o).at(), of((Expr) o));
      if (o instanceof Collection<?> c) {
        for (Object item : c) if (item != null) todo.push(item);
      } else if (o instanceof Optional<?> opt) {
        opt.ifPresent(todo::push);
      } else if (o instanceof Record r && (o instanceof Node || o instanceof Playbook)) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
          try {
            Object v = c.getAccessor().invoke(r);
            if (v instanceof Node || v instanceof Collection<?> || v instanceof Optional<?>) todo.push(v);
          } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), ex);
          }
        }
      }
    }
    return out;
  }
}
