package dev.faultline.check;

import dev.faultline.ast.Decl;
import dev.faultline.eval.CallText;
import dev.faultline.fault.Capability;
import dev.faultline.host.HostRegistry;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.Position;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, before anything runs, the calls that need a capability the run was not granted
 * ({@code --allow}, {@link dev.faultline.run.RunOptions.Builder#allow}). It reads the host
 * function of every call the {@link Checker} resolves, in the playbook and every file it imports,
 * and reports one error per missing capability, at its first call, naming the others in notes:
 *
 * <pre>
 * x.fl:7:14: error: file(...).replace() needs the 'fs' permission
 *    |
 *  7 |       inject file("config.yaml").replace("replicas: -1")
 *    |              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ changes files
 *    = note: file(...).delete() at x.fl:9:14 needs it too
 *    = help: run with --allow fs
 * </pre>
 *
 * <p>Calls inside scenarios that are not selected are not counted. Rationale: they do not run, and
 * an operator running the smoke scenarios should not have to grant what only the nightly ones need;
 * calls in fns, guards, rollback blocks and the setup always count, since any selected scenario may
 * reach them. A call whose function the checker cannot see (a member of a value of unknown type) is
 * refused at its first use instead, before it does anything, with the same words
 * ({@link dev.faultline.host.CallContext#require}). A dry run needs no permission and is not checked.
 *
 * <p>Stateless apart from the registry; thread-safe.
 */
public final class PermissionCheck {
  /** Rationale: a playbook may call one injector a hundred times; a few places show the pattern. */
  private static final int MAX_NOTES = 5;

  private static final Comparator<CallSite> ORDER = Comparator
      .comparing((CallSite s) -> s.at().file())
      .thenComparingInt(s -> s.at().line())
      .thenComparingInt(s -> s.at().column());

  private final HostRegistry registry;

  public PermissionCheck(HostRegistry registry) {
    this.registry = registry;
  }

  /** One error per capability that the selected scenarios and the setup need and {@code granted} lacks. */
  public List<Diagnostic> check(LoadedPlaybook playbook, Collection<Decl.Scenario> selected, Set<Capability> granted) {
    if (granted.containsAll(List.of(Capability.values()))) return List.of();
    List<CallSite> found = new ArrayList<>();
    new Checker(registry).check(playbook, found::add);

    List<Decl.Scenario> notRun = new ArrayList<>(playbook.scenarios());
    notRun.removeIf(s -> selected.stream().anyMatch(x -> x == s));
    Set<Position> skipped = CallText.index(notRun).keySet();

    // The same statement may be checked twice (a library imported along two paths): once is enough.
    Map<Position, CallSite> sites = new LinkedHashMap<>();
    for (CallSite s : found) if (!skipped.contains(s.at())) sites.putIfAbsent(s.at(), s);
    List<CallSite> ordered = sites.values().stream().sorted(ORDER).toList();

    Map<Capability, List<CallSite>> missing = new EnumMap<>(Capability.class);
    for (CallSite s : ordered) {
      for (Capability c : s.signature().requires()) {
        if (!granted.contains(c)) missing.computeIfAbsent(c, k -> new ArrayList<>()).add(s);
      }
    }
    List<Diagnostic> out = new ArrayList<>();
    missing.forEach((c, calls) -> out.add(refusal(c, calls)));
    return out;
  }

  private static Diagnostic refusal(Capability c, List<CallSite> calls) {
    CallSite first = calls.get(0);
    Diagnostic d = Diagnostic.error(first.at(), c.refusal(first.text())).withLabel(c.does());
    for (int i = 1; i < calls.size() && i <= MAX_NOTES; i++) {
      d = d.withNote(calls.get(i).text() + " at " + calls.get(i).at() + " needs it too");
    }
    int more = calls.size() - 1 - MAX_NOTES;
    if (more > 0) d = d.withNote("and " + more + (more == 1 ? " more call" : " more calls"));
    return d.withHelp("run with " + c.flag());
  }
}
