package dev.faultline.junit;

import dev.faultline.fault.Capability;
import dev.faultline.run.RunOptions;
import java.util.Arrays;
import java.util.Locale;
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
    b.allow(Arrays.stream(a.allow()).map(Options::capability).toList());
    if (!a.env().isBlank()) b.env(a.env());
    if (a.tags().length > 0) b.tag(a.tags());
    return b;
  }

  static Capability capability(String word) {
    try {
      return Capability.valueOf(word.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new PreconditionViolationException("unknown permission '" + word + "'; known: "
          + String.join(", ", Arrays.stream(Capability.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
    }
  }
}
