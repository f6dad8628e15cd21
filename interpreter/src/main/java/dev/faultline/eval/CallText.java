package dev.faultline.eval;

import dev.faultline.ast.Expr;
import dev.faultline.ast.Playbook;
import dev.faultline.source.Position;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

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
    dev.faultline.ast.Nodes.walk(roots, o -> {
      if (o instanceof Expr.Call || o instanceof Expr.Member) out.putIfAbsent(((Expr) o).at(), of((Expr) o));
    });
    return out;
  }
}
