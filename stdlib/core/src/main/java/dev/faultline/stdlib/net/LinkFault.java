package dev.faultline.stdlib.net;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;

/**
 * One fault on a proxy link: a toxic added to the proxy while injected, or, for {@code down}, the
 * proxy's port closed. Both inject and revert are idempotent, and each fault is its own toxic
 * (identity), so reverting one leaves an equal one injected alongside.
 *
 * <p>{@link #undoRecord()} is empty: the fault lives in this process's proxy and ends with it, so
 * after a crash there is nothing left to undo and {@code recover} reports it as needing no action.
 */
final class LinkFault implements Fault {
  private final ProxyLink link;
  private final String kind;
  private final String what;
  /** Null for down(). */
  private final Toxic toxic;

  LinkFault(ProxyLink link, String kind, String what, Toxic toxic) {
    this.link = link;
    this.kind = kind;
    this.what = what;
    this.toxic = toxic;
  }

  @Override
  public String kind() {
    return "net." + kind;
  }

  @Override
  public String target() {
    return link.label();
  }

  @Override
  public String describe() {
    String scope = "";
    if (toxic != null) {
      scope = toxic.direction == Toxic.Direction.BOTH ? ", both directions" : ", " + toxic.direction.word() + " only";
      if (toxic.toxicity < 1.0) scope += ", " + dev.faultline.value.Values.decimal(toxic.toxicity * 100) + "% of connections";
    }
    return what + " on link " + link.label() + scope;
  }

  @Override
  public String plan() {
    return describe() + "; removed live, without dropping connections, when the scope ends";
  }

  @Override
  public void inject(CallContext context) {
    if (toxic == null) link.proxy().goDown();
    else link.proxy().add(toxic);
  }

  @Override
  public void revert(CallContext context) {
    if (toxic == null) link.proxy().comeUp();
    else link.proxy().remove(toxic);
  }

  @Override
  public String toString() {
    return describe();
  }
}
