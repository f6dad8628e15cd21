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

  /**
   * Starts an interpreter's description: the core functions only, until libraries are added.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return the host functions, injectors and types playbooks can call through this interpreter}
   * Immutable: what {@code faultline doc}, the REPL's completion and the checker read.
   */
  public HostRegistry registry() {
    return registry;
  }

  /**
   * Parses a playbook file and the files it imports, and checks them.
   *
   * @param file the playbook; its imports resolve against its directory
   * @return the checked playbook, ready for {@link #plan}, {@link #start} or {@link #run(Path, RunOptions)}
   * @throws PlaybookError with every problem found (a missing file, parse and check errors), sorted by position
   */
  public LoadedPlaybook load(Path file) {
    return checked(loader.load(file));
  }

  /**
   * Like {@link #load(Path)} for playbook text held in memory.
   *
   * @param name the name diagnostics give the text (e.g. {@code "inline.fl"})
   * @param text the playbook's source; its imports resolve against the working directory
   * @return the checked playbook
   * @throws PlaybookError with every problem found
   */
  public LoadedPlaybook load(String name, String text) {
    return checked(loader.load(new SourceFile(name, text), Path.of("").toAbsolutePath()));
  }

  /**
   * Checks a parsed playbook again with this interpreter's functions: undefined names, arity, named
   * arguments, types and units. Parse errors were thrown when the playbook was loaded.
   *
   * @param playbook a playbook loaded by any interpreter
   * @return every problem found (warnings included), sorted by position; no error means it may run
   */
  public List<Diagnostic> check(LoadedPlaybook playbook) {
    return new Checker(registry).check(playbook);
  }

  private LoadedPlaybook checked(LoadedPlaybook playbook) {
    List<Diagnostic> problems = check(playbook).stream().filter(Diagnostic::isError).toList();
    if (!problems.isEmpty()) throw new PlaybookError(problems);
    return playbook;
  }

  /**
   * Loads, checks and runs a playbook on the calling thread, to its end; its hooks are closed when
   * the run is over. Every fault it injected has been reverted (or has failed to revert, which the
   * result lists) when this returns.
   *
   * @param file the playbook
   * @param options the selection, profile, params, permissions and safety settings of the run
   * @return what happened: scenarios, steps, events and the exit code
   * @throws PlaybookError before anything runs, for bad input: a parse or check error, an unknown
   *     scenario, tag, profile or param, a permission not granted, or faults of a dead run pending in
   *     the fault journal
   */
  public RunResult run(Path file, RunOptions options) {
    return runAndClose(load(file), options);
  }

  /**
   * Like {@link #run(Path, RunOptions)} for playbook text held in memory.
   *
   * @param name the name diagnostics and the report give the text
   * @param text the playbook's source
   * @param options the run's options
   * @return what happened
   * @throws PlaybookError before anything runs, for bad input
   */
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
   * The caller runs it with {@link PlaybookRun#execute()} and closes the playbook's hooks after.
   *
   * @param playbook a playbook from {@link #load(Path)}
   * @param options the run's options
   * @param extra listeners of this run only, after those given to the builder
   * @return the run, not started
   * @throws PlaybookError for bad options, a permission not granted, or faults of a dead run
   *     pending in the fault journal (not for a dry run)
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
   * Safe to call twice, and while other runs are going on.
   *
   * @param journalDir the fault journal's directory
   * @return per fault what was done, and whether anything is left
   */
  public static Recovery.Result recover(Path journalDir) {
    return Recovery.recover(journalDir);
  }

  /**
   * Like {@link #recover(Path)}, with the recoverers given instead of those on the class path.
   *
   * @param journalDir the fault journal's directory
   * @param recoverers those that know how to revert each kind of fault
   * @return per fault what was done, and whether anything is left
   */
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
   *
   * @param playbook a playbook from {@link #load(Path)}
   * @param options the options to check
   * @return the scenarios that would run, in order, with the profile and params resolved
   * @throws PlaybookError with every problem, when the run could not start
   */
  public Preflight.Plan plan(LoadedPlaybook playbook, RunOptions options) {
    Preflight.Plan plan = Preflight.resolve(playbook, options);
    if (!options.dryRun()) {  // Rationale: a dry run calls nothing that acts, so it needs no permission.
      List<Diagnostic> refused = new PermissionCheck(registry).check(playbook, plan.scenarios(), options.allowed());
      if (!refused.isEmpty()) throw new PlaybookError(refused);
    }
    return plan;
  }

  /** Collects libraries and listeners; not thread-safe, meant to be used once and dropped. */
  public static final class Builder {
    private final HostRegistry.Builder registry = HostRegistry.builder().library(new CoreLibrary());
    private final List<RunListener> listeners = new ArrayList<>();

    /**
     * Adds an object's {@code @HostFunction} and {@code @Injector} methods and its
     * {@code @HostType}s, read once here.
     *
     * @param library any object with annotated methods, often a {@link Library}
     * @return this builder
     * @throws IllegalStateException when an annotation is malformed (no doc, no {@code @Arg}, a default
     *     that is not a constant), a name is taken twice, or the object has no annotated method
     */
    public Builder library(Object library) {
      registry.library(library);
      return this;
    }

    /**
     * Adds every {@link Library} registered through {@link ServiceLoader} on the class path (the
     * standard library's areas, and any other jar that registers one).
     *
     * @return this builder
     */
    public Builder standardLibrary() {
      for (Library lib : ServiceLoader.load(Library.class, Faultline.class.getClassLoader())) {
        if (!(lib instanceof CoreLibrary)) registry.library(lib);
      }
      return this;
    }

    /**
     * Adds a listener told about every event of every run of the interpreter (a report, metrics).
     *
     * @param listener thread-safe; it must not throw
     * @return this builder
     */
    public Builder listener(RunListener listener) {
      listeners.add(listener);
      return this;
    }

    /**
     * {@return the interpreter} Immutable and thread-safe: it may run several playbooks at once.
     */
    public Faultline build() {
      return new Faultline(registry.build(), listeners);
    }
  }
}
