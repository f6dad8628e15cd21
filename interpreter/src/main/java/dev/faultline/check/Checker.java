package dev.faultline.check;

import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.host.HostRegistry;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds every mistake that can be found before anything runs, in one pass, sorted by position:
 * names (undefined, defined twice, did-you-mean), calls (arity, named arguments, argument types,
 * injectors outside {@code inject}), types and units, placement of declarations, profiles that do
 * not match, and the same in every imported library. Nothing is evaluated.
 *
 * <p>Start reading at {@link StmtChecker} (scopes, order of evaluation, statements), then
 * {@link ExprChecker} (names, calls, operators), {@link StaticType} and {@link UnitRules} (what is
 * known of a value and how units mix), {@link Placement} and {@link Profiles}. The checker mirrors
 * the evaluator's rules and words, and says nothing when in doubt. Stateless and thread-safe: each
 * call checks on a thread of its own.
 */
public final class Checker {
  /**
   * Rationale: the parser admits nesting 200 levels deep and operator chains of any length, and the
   * checker recurses with the tree; a thread of its own with a large stack keeps a caller's small
   * stack (an application server's worker, a test runner) out of the question.
   */
  private static final long STACK_BYTES = 64L << 20;

  private final HostRegistry registry;

  public Checker(HostRegistry registry) {
    this.registry = registry;
  }

  public List<Diagnostic> check(LoadedPlaybook playbook) {
    return check(playbook, site -> {});
  }

  /**
   * Like {@link #check(LoadedPlaybook)}, and tells {@code calls} every host function call it
   * resolves, on the checking thread (the permission check reads them; see {@link PermissionCheck}).
   */
  public List<Diagnostic> check(LoadedPlaybook playbook, Consumer<CallSite> calls) {
    List<List<Diagnostic>> result = new ArrayList<>(1);
    Throwable[] failure = new Throwable[1];
    Thread worker = new Thread(null, () -> {
      try {
        result.add(checkHere(playbook, calls));
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "faultline-checker", STACK_BYTES);
    worker.setDaemon(true);
    try {
      worker.start();
    } catch (OutOfMemoryError noThread) {
      return checkHere(playbook, calls);  // no thread to be had: check here, and a very deep playbook gets a diagnostic
    }
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;  // the check is short and holds no resources: finish it, then pass the interrupt on
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (failure[0] instanceof RuntimeException re) throw re;
    if (failure[0] instanceof Error err) throw err;
    if (failure[0] != null) throw new IllegalStateException("the checker failed", failure[0]);
    return result.get(0);
  }

  private List<Diagnostic> checkHere(LoadedPlaybook playbook, Consumer<CallSite> calls) {
    List<Playbook> files = new ArrayList<>();
    files.add(playbook.main());
    files.addAll(playbook.imports().values());
    Problems problems = new Problems(playbook.sources());
    HostRegistry withHooks = registry.with(playbook.hookFunctions());
    hookClashes(playbook, problems);
    try {
      new StmtChecker(playbook, withHooks, problems, assignedNames(files), calls).run();
    } catch (StackOverflowError deep) {
      problems.error(playbook.main().at(), "the playbook nests too deeply to check", "split deep expressions with 'let'");
    }
    return problems.all().stream().distinct().sorted(DiagnosticRenderer.ORDER).toList();
  }

  /**
   * A hook function named like a built-in one, or like another hook's. Rationale: the built-in
   * keeps its meaning (a hook cannot silently replace {@code http.get}), so the hook's would never run.
   */
  private void hookClashes(LoadedPlaybook playbook, Problems problems) {
    java.util.Map<String, dev.faultline.hook.LoadedHook> first = new java.util.HashMap<>();
    playbook.hooks().forEach((decl, hook) -> {
      for (HostRegistry.Bound b : hook.functions()) {
        String name = b.signature().name();
        if (registry.function(name).isPresent()) {
          problems.error(decl.sourceAt(), "hook " + hook.name() + " registers '" + name + "', which is a built-in function",
              "choose another name, e.g. one in a namespace of your own: 'myteam." + b.signature().simpleName() + "'");
        } else if (first.containsKey(name) && first.get(name) != hook) {
          problems.error(decl.sourceAt(), "hook " + hook.name() + " registers '" + name + "', which hook "
              + first.get(name).name() + " registers too", "choose another name for one of them");
        } else {
          first.put(name, hook);
        }
      }
    });
  }

  /**
   * Every name some assignment changes, in any file. Walks the tree without recursion: records'
   * components, lists and optionals, whatever the node kind.
   */
  static Set<String> assignedNames(Collection<Playbook> files) {
    Set<String> names = new HashSet<>();
    dev.faultline.ast.Nodes.walk(files, o -> {
      if (o instanceof Stmt.Assign a) names.add(a.name());
    });
    return names;
  }
}
