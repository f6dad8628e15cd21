package dev.faultline.junit;

import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import org.junit.platform.commons.PreconditionViolationException;

/** Run options from the words of an annotation: params as {@code name=value}, permission names. */
final class Options {
  private Options() {}

  static RunOptions.Builder from(FaultlinePlaybook a) {
    RunOptions.Builder b = RunOptions.builder();
    for (String p : a.params()) {
      int eq = p.indexOf('=');
      if (eq <= 0) throw new PreconditionViolationException("@FaultlinePlaybook param '" + p + "' must read name=value");
      b.param(p.substring(0, eq).strip(), p.substring(eq + 1));
    }
    try {
      b.allow(Capability.parse(String.join(",", a.allow())));
    } catch (IllegalArgumentException e) {
      throw new PreconditionViolationException("@FaultlinePlaybook allow: " + e.getMessage());
    }
    if (!a.env().isBlank()) b.env(a.env());
    if (a.tags().length > 0) b.tag(a.tags());
    return b;
  }
}
