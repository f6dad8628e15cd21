package dev.faultline.check;

import dev.faultline.host.HostRegistry;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.source.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds every mistake that can be found before anything runs, in one pass, sorted by position.
 * TODO(#3): names, arity, named arguments, types and units.
 */
public final class Checker {
  private final HostRegistry registry;

  public Checker(HostRegistry registry) {
    this.registry = registry;
  }

  public List<Diagnostic> check(LoadedPlaybook playbook) {
    return new ArrayList<>();
  }
}
