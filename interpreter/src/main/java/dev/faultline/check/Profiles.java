package dev.faultline.check;

import dev.faultline.ast.Decl;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The playbook's profiles seen together: each must define the same dotted keys with values of the
 * same kind, since {@code --env} picks one and the rest of the playbook reads {@code slo.failover}
 * whichever it is. Also gives the type of each profile root ({@code slo} is a map whose keys are
 * known), so that {@code slo.failovr} is caught. Confined to the checking thread.
 */
final class Profiles {
  /**
   * A profile's limit, not a value the playbook reads: it may be set in one profile only.
   * Rationale: the strictest environment sets a limit the others need not repeat.
   */
  static final String BLAST_RADIUS = "max_blast_radius";

  private final Problems problems;

  Profiles(Problems problems) {
    this.problems = problems;
  }

  /** Where a profile defines one dotted key, and the value's type. */
  private record Definition(Decl.Profile profile, Decl.Profile.Entry entry, StaticType type) {}

  /**
   * Checks the profiles and returns the type of each root name they define, in order.
   * {@code types} gives each entry's value type, already checked by the caller.
   */
  Map<String, StaticType> check(List<Decl.Profile> profiles, Map<Decl.Profile.Entry, StaticType> types) {
    Map<String, Decl.Profile> byName = new LinkedHashMap<>();
    Decl.Profile firstDefault = null;
    List<Decl.Profile> distinct = new ArrayList<>();
    for (Decl.Profile p : profiles) {
      Position at = problems.nameAt(p.at(), p.name());
      Decl.Profile earlier = byName.get(p.name());
      if (earlier != null) {
        problems.add(Diagnostic.error(at, "profile '" + p.name() + "' is declared twice")
            .withNote("profile '" + p.name() + "' is first declared at " + earlier.at()));
        continue;
      }
      byName.put(p.name(), p);
      distinct.add(p);
      if (p.isDefault()) {
        if (firstDefault != null) {
          // Rationale: --env would silently fall back to whichever comes first.
          problems.add(Diagnostic.error(at, "profile '" + p.name() + "' is marked default, but so is '"
              + firstDefault.name() + "'")
              .withNote("profile '" + firstDefault.name() + "' is marked default at " + firstDefault.at())
              .withHelp("only one profile may be the default"));
        } else {
          firstDefault = p;
        }
      }
    }

    // Every key any profile defines, with its first definition; each profile's own keys.
    Map<String, Definition> anywhere = new LinkedHashMap<>();
    Map<Decl.Profile, Map<String, Definition>> own = new HashMap<>();
    for (Decl.Profile p : distinct) {
      Map<String, Definition> keys = new LinkedHashMap<>();
      for (Decl.Profile.Entry e : p.entries()) {
        String key = e.dotted();
        Definition d = new Definition(p, e, types.getOrDefault(e, StaticType.UNKNOWN));
        if (keys.containsKey(key)) {
          problems.add(Diagnostic.error(e.at(), "profile '" + p.name() + "' sets '" + key + "' twice")
              .withNote("'" + key + "' is first set at " + keys.get(key).entry().at()));
          continue;
        }
        keys.put(key, d);
        anywhere.putIfAbsent(key, d);
      }
      own.put(p, keys);
    }

    for (Decl.Profile p : distinct) {
      Map<String, Definition> keys = own.get(p);
      for (Definition d : anywhere.values()) {
        String key = d.entry().dotted();
        Definition mine = keys.get(key);
        if (mine == null && key.equals(BLAST_RADIUS)) continue;
        if (mine == null) {
          // Rationale: a key missing from one profile fails only when that --env is chosen, often in production.
          Position at = problems.nameAt(p.at(), p.name());
          problems.add(Diagnostic.error(at, "profile '" + p.name() + "' does not define '" + key + "'")
              .withLabel("'" + key + "' missing")
              .withNote("profile '" + d.profile().name() + "' defines it at " + d.entry().at()));
        } else if (mine != d && !mine.type().is(StaticType.Kind.NULL) && !d.type().is(StaticType.Kind.NULL)
            && !mine.type().isLike(d.type())) {
          // Rationale: code reading the key is checked against all profiles at once; kinds must agree.
          problems.add(Diagnostic.error(mine.entry().value().at(), "'" + key + "' is " + mine.type().word() + " in profile '"
              + p.name() + "' but " + d.type().word() + " in profile '" + d.profile().name() + "'")
              .withNote("profile '" + d.profile().name() + "' sets it at " + d.entry().at()));
        }
      }
    }
    return roots(distinct, own);
  }

  /** A node of the tree the dotted keys make: a value, or a map of further nodes. */
  private static final class Node {
    final Map<String, Node> children = new LinkedHashMap<>();
    StaticType value;
  }

  private static Map<String, StaticType> roots(List<Decl.Profile> profiles, Map<Decl.Profile, Map<String, Definition>> own) {
    Node top = new Node();
    for (Decl.Profile p : profiles) {
      for (Definition d : own.get(p).values()) {
        Node n = top;
        for (String segment : d.entry().path()) n = n.children.computeIfAbsent(segment, k -> new Node());
        n.value = StaticType.join(n.value, d.type());
      }
    }
    Map<String, StaticType> out = new LinkedHashMap<>();
    top.children.forEach((name, node) -> out.put(name, typeOf(node, name)));
    return out;
  }

  private static StaticType typeOf(Node n, String dotted) {
    if (n.children.isEmpty()) return n.value == null ? StaticType.UNKNOWN : n.value;
    if (n.value != null) return StaticType.UNKNOWN;  // a value in one profile, a map in another
    Map<String, StaticType> keys = new LinkedHashMap<>();
    n.children.forEach((name, child) -> keys.put(name, typeOf(child, dotted + "." + name)));
    return StaticType.map(keys, dotted);
  }
}
