package dev.faultline.eval;

import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import java.util.List;
import java.util.Map;

/**
 * What a dry run has instead of a value it did not make: the result of an action it did not call
 * ({@code demo.service(name: "shop")}), of a probe it did not run, or anything computed from one
 * ({@code svc.url}, {@code r.status == 200}). It prints as {@code <planned: demo.service(name: "shop")>}.
 *
 * <p>Semantics, applied by the {@link Evaluator} (a real run never has one):
 * <ul>
 *   <li>a member, an index or a call of a placeholder is a placeholder: {@code svc.url};
 *   <li>an operator with a placeholder operand, and a host function given one as argument, give a
 *       placeholder: the value cannot be known, so it is not guessed;
 *   <li>a string with a placeholder inside is a placeholder that prints as that string, with the
 *       inner placeholders shown: it can be logged, but is never sent to a probe as a real URL;
 *   <li>a condition that is a placeholder is unknown: {@code expect} lists it as "would check",
 *       {@code if} and {@code decide} plan every branch that could be taken;
 *   <li>an injector called on a placeholder (or given one) plans a fault whose target is the
 *       placeholder's origin.
 * </ul>
 *
 * <p>{@link #origin()} is the placeholder of the call that was not made, which a derived one came
 * from: the target of a fault planned on {@code svc.outage(…)} is {@code demo.service(name: "shop")}.
 * Immutable.
 */
@HostType(name = "planned value", doc = "A value a dry run does not have: the result of an action it did not call or a probe it did not run.")
public final class Planned implements HostValue {
  private final String text;
  private final Planned origin;
  /** For a string with placeholders inside: what it prints as. Null for every other placeholder. */
  private final String shown;

  private Planned(String text, Planned origin, String shown) {
    this.text = text;
    this.origin = origin == null ? this : origin;
    this.shown = shown;
  }

  /** A placeholder for a call that was not made, or a value no call made: its own origin. */
  public static Planned of(String text) {
    return new Planned(text, null, null);
  }

  /** A placeholder computed from this one: {@code svc.url} from {@code svc}. */
  public Planned derived(String derivedText) {
    return new Planned(derivedText, origin, null);
  }

  /** A string that holds placeholders; it prints as {@code shown}. */
  static Planned string(String shown, Planned from) {
    return new Planned(shown, from.origin, shown);
  }

  /** The playbook's words for what it stands for: {@code svc.url}, {@code http.get(svc.health_url)}. */
  public String text() {
    return text;
  }

  public Planned origin() {
    return origin;
  }

  @Override
  public String show() {
    return shown != null ? shown : "<planned: " + text + ">";
  }

  @Override
  public String toString() {
    return show();
  }

  /** The first placeholder in a value, looking into lists and maps; null when there is none. */
  public static Planned in(Object value) {
    if (value instanceof Planned p) return p;
    if (value instanceof List<?> list) {
      for (Object item : list) {
        Planned p = in(item);
        if (p != null) return p;
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Object item : map.values()) {
        Planned p = in(item);
        if (p != null) return p;
      }
    }
    return null;
  }
}
