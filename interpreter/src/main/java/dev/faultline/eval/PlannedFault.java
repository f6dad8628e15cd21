package dev.faultline.eval;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;

/**
 * A fault a dry run can only name: its injector was called on a placeholder, or given one, so the
 * injector's own description cannot be built. It is never injected.
 */
record PlannedFault(String call, String targetText) implements Fault {
  @Override
  public String describe() {
    return call;
  }

  @Override
  public String target() {
    return targetText;
  }

  @Override
  public String kind() {
    return "planned";
  }

  @Override
  public void inject(CallContext context) {
    throw new IllegalStateException("a planned fault is never injected: " + call);
  }

  @Override
  public void revert(CallContext context) {
    // Never injected, so there is nothing to undo.
  }
}
