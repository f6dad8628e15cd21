package dev.faultline.fault;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A kind of side effect a playbook may have, granted by the operator ({@code --allow exec,fs}) or
 * the embedding application. A host function names the capabilities it needs; using one that was
 * not granted is an error before anything is injected. A dry run needs none.
 */
public enum Capability {
  /** Running commands and signalling processes. */
  EXEC,
  /** Changing, creating or deleting files. */
  FS,
  /** Acting on Docker containers. */
  DOCKER,
  /** Acting on databases (holding connections, terminating backends, stopping servers). */
  DB,
  /** Opening listening ports (fault proxies, servers). */
  NET;

  /** {@return the word {@code --allow} takes}: {@code exec}, {@code fs} */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@return the command-line flag that grants it}: {@code --allow fs} */
  public String flag() {
    return "--allow " + word();
  }

  /**
   * The headline of a refusal, the same before the run and at first use:
   * {@code file(...).replace() needs the 'fs' permission}.
   *
   * @param what the call refused, as the playbook wrote it
   * @return the headline
   */
  public String refusal(String what) {
    return what + " needs the '" + word() + "' permission";
  }

  /** {@return what the capability lets a playbook do}, in a few words, for the label under a refused call */
  public String does() {
    return switch (this) {
      case EXEC -> "runs commands or signals processes";
      case FS -> "changes files";
      case DOCKER -> "acts on Docker containers";
      case DB -> "acts on a database";
      case NET -> "opens listening ports";
    };
  }

  /**
   * Reads a list of capabilities as {@code --allow} takes it.
   *
   * @param list comma-separated words ({@code exec,fs}), or {@code all}
   * @return the capabilities named; empty for an empty list
   * @throws IllegalArgumentException naming a word that is no capability
   */
  public static Set<Capability> parse(String list) {
    Set<Capability> out = EnumSet.noneOf(Capability.class);
    for (String raw : list.split(",")) {
      String w = raw.strip().toLowerCase(Locale.ROOT);
      if (w.isEmpty()) continue;
      if (w.equals("all")) return EnumSet.allOf(Capability.class);
      boolean found = false;
      for (Capability c : values()) {
        if (c.word().equals(w)) {
          out.add(c);
          found = true;
        }
      }
      if (!found) throw new IllegalArgumentException("unknown permission '" + raw.strip() + "'; permissions are exec, fs, docker, db, net and all");
    }
    return out;
  }
}
