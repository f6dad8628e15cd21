package dev.faultline.embed;

import dev.faultline.check.Checker;
import dev.faultline.check.PermissionCheck;
import dev.faultline.eval.CoreLibrary;
import dev.faultline.fault.FaultJournal;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.fault.Recovery;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Library;
import dev.faultline.report.RunListener;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookLoader;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.Preflight;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The public entry point: an interpreter with its host functions, able to check and run
 * playbooks. Build one with {@link #builder()}; it is immutable and may run several playbooks,
 * one after another or at once. It never prints and never calls {@code System.exit}.
 *
 * <pre>{@code
 * Faultline faultline = Faultline.builder().standardLibrary().library(new MyInjectors()).build();
 * RunResult result = faultline.run(Path.of("playbooks/quickstart.fl"), RunOptions.defaults());
 * }</pre>
 *
 * <p>Bad input (a parse or check error, an unknown scenario or parameter) throws
 * {@link PlaybookError} before anything runs; failures during the run are in the {@link RunResult}.
 */
public final class Faultline {
  private final HostRegistry registry;
  private final List<RunListener> listeners;
  private final PlaybookLoader loader = new PlaybookLoader();

  private Faultline(HostRegistry registry, List<RunListener> listeners) {
    this.registry = registry;
    this.listeners = List.copyOf(listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  public HostRegistry registry() {
    return registry;
  }

  /** Parses a file and its imports and checks them; throws {@link PlaybookError} with every problem. */
  public LoadedPlaybook load(Path file) {
    return checked(loader.load(file));
  }

  /** Like {@link #load(Path)} for playbook text; imports resolve against the working directory. */
  public LoadedPlaybook load(String name, String text) {
    return checked(loader.load(new SourceFile(name, text), Path.of("").toAbsolutePath()));
  }

  /** Every problem the checker finds; empty when the playbook may run. Parse errors are thrown. */
  public List<Diagnostic> check(LoadedPlaybook playbook) {
    return new Checker(registry).check(playbook);
  }

  private LoadedPlaybook checked(LoadedPlaybook playbook) {
    List<Diagnostic> problems = check(playbook).stream().filter(Diagnostic::isError).toList();
    if (!problems.isEmpty()) throw new PlaybookError(problems);
    return playbook;
  }

  /** Loads, checks and runs a playbook; its hooks are closed when the run is over. */
  public RunResult run(Path file, RunOptions options) {
    return runAndClose(load(file), options);
  }

  public RunResult run(String name, String text, RunOptions options) {
    return runAndClose(load(name, text), options);
  }

  /** Rationale: a hook holds a JavaScript context and a thread (or a child process); an application that runs many playbooks must not keep them. */
  private RunResult runAndClose(LoadedPlaybook playbook, RunOptions options) {
    try {
      return start(playbook, options).execute();
    } finally {
      playbook.closeHooks();
    }
  }

  /**
   * Prepares a run without starting it, so that the caller can {@link PlaybookRun#cancel} it from
   * another thread. Options are checked here: unknown scenarios, tags, profiles and params throw, and
   * so do calls that need a capability the options do not grant ({@link RunOptions.Builder#allow}).
   */
  public PlaybookRun start(LoadedPlaybook playbook, RunOptions options, RunListener... extra) {
    plan(playbook, options);
    // A dry run touches nothing, so faults a dead run left behind do not stop it.
    if (!options.dryRun()) refuseWhileDeadRunsPending(options.journalDir().orElseGet(FaultJournal::defaultDir));
    List<RunListener> all = new ArrayList<>(listeners);
    all.addAll(List.of(extra));
    return new PlaybookRun(playbook, registry, options, all);
  }

  /**
   * Reverts what the fault journal in {@code journalDir} still lists of runs whose process has
   * died, with the {@link dev.faultline.fault.FaultRecoverer}s registered through ServiceLoader;
   * runs still alive are left alone. What {@code faultline recover} does; see docs/recovery.md.
   */
  public static Recovery.Result recover(Path journalDir) {
    return Recovery.recover(journalDir);
  }

  /** Like {@link #recover(Path)}, with the recoverers given instead of those on the class path. */
  public static Recovery.Result recover(Path journalDir, List<FaultRecoverer> recoverers) {
    return Recovery.recover(journalDir, recoverers);
  }

  /**
   * Rationale: a new run on top of faults a dead run may have left in place would measure the old
   * faults, and its own reverts could clash with theirs. So a run does not start until they are
   * recovered. Faults of dead runs that acted only inside their own process are dropped here.
   */
  private static void refuseWhileDeadRunsPending(Path journalDir) {
    Recovery.Result pending = Recovery.pending(journalDir);
    if (pending.clean()) return;
    throw new PlaybookError(Diagnostic.error(Preflight.COMMAND_LINE, pending.pendingSummary())
        .withHelp("revert them with 'faultline recover --journal " + pending.dir() + "' (or Faultline.recover), then run again"));
  }


  /**
   * Checks options against a playbook without running it: the selection, profile and params, then
   * the permissions the selected scenarios and the setup need (every missing one reported at once;
   * a dry run needs none).
   */
  public Preflight.Plan plan(LoadedPlaybook playbook, RunOptions options) {
    Preflight.Plan plan = Preflight.resolve(playbook, options);
    if (!options.dryRun()) {  // Rationale: a dry run calls nothing that acts, so it needs no permission.
      List<Diagnostic> refused = new PermissionCheck(registry).check(playbook, plan.scenarios(), options.allowed());
      if (!refused.isEmpty()) throw new PlaybookError(refused);
    }
    return plan;
  }

  /** Collects libraries and listeners. */
  public static final class Builder {
    private final HostRegistry.Builder registry = HostRegistry.builder().library(new CoreLibrary());
    private final List<RunListener> listeners = new ArrayList<>();

    /** Adds an object's {@code @HostFunction} and {@code @Injector} methods. */
    public Builder library(Object library) {
      registry.library(library);
      return this;
    }

    /** Adds every {@link Library} on the class path (the standard library's areas). */
    public Builder standardLibrary() {
      for (Library lib : ServiceLoader.load(Library.class, Faultline.class.getClassLoader())) {
        if (!(lib instanceof CoreLibrary)) registry.library(lib);
      }
      return this;
    }

    public Builder listener(RunListener listener) {
      listeners.add(listener);
      return this;
    }

    public Faultline build() {
      return new Faultline(registry.build(), listeners);
    }
  }
}
