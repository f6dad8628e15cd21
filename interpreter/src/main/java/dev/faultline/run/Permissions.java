package dev.faultline.run;

import dev.faultline.ast.Playbook;
import dev.faultline.eval.CallText;
import dev.faultline.fault.Capability;
import dev.faultline.host.HostError;
import dev.faultline.source.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capabilities one run was granted, and the refusal at first use of a call that needs another.
 * The checker refuses what it can see before the run ({@code dev.faultline.check.PermissionCheck});
 * this refuses the rest, when the host function is about to run, in the same words: the call is
 * named from the playbook's text at its position. A dry run is granted everything, since it
 * touches nothing. Immutable apart from a lazily built index; thread-safe.
 */
public final class Permissions {
  private final Set<Capability> granted;
  private final LoadedPlaybook playbook;
  /** Call texts by position, built at the first refusal (refusals are rare; runs are not). */
  private volatile Map<Position, String> texts;

  Permissions(Set<Capability> granted, LoadedPlaybook playbook) {
    this.granted = granted.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(granted));
    this.playbook = playbook;
  }

  /**
   * {@return what {@code options} grant}: their {@code allowed} set, or everything in a dry run
   *
   * @param options the run's options
   * @param playbook the playbook, to name refused calls as written
   */
  public static Permissions of(RunOptions options, LoadedPlaybook playbook) {
    return new Permissions(options.dryRun() ? EnumSet.allOf(Capability.class) : options.allowed(), playbook);
  }

  /** {@return the capabilities granted} */
  public Set<Capability> granted() {
    return granted;
  }

  /**
   * Throws {@link HostError} for the first capability of {@code needed} not granted, naming the call
   * at {@code at} as the checker would ({@code file(...).replace()}), or as {@code fallback}.
   *
   * @param at the call's position
   * @param needed the capabilities the call needs
   * @param fallback the call's name when its text cannot be found
   * @throws HostError for a capability not granted
   */
  public void require(Position at, Set<Capability> needed, String fallback) {
    for (Capability c : Capability.values()) {
      if (needed.contains(c) && !granted.contains(c)) {
        throw new HostError(c.refusal(textAt(at, fallback)), "run with " + c.flag());
      }
    }
  }

  private String textAt(Position at, String fallback) {
    Map<Position, String> index = texts;
    if (index == null) {
      List<Playbook> files = new ArrayList<>();
      files.add(playbook.main());
      files.addAll(playbook.imports().values());
      index = CallText.index(files);
      texts = index;
    }
    return index.getOrDefault(at, fallback);
  }
}
