package dev.faultline.run;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.hook.LoadedHook;
import dev.faultline.host.HostRegistry;
import dev.faultline.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed playbook with every file it imports, keyed by the import statement that names them,
 * the text of each file for messages, and the hooks it loaded, keyed by their hook statement.
 * Immutable (the hooks themselves are thread-safe).
 *
 * @param main the playbook file's syntax tree
 * @param imports each imported library file, by the import statement that names it
 * @param sources the text of every file, by its display name, for diagnostics
 * @param hooks each loaded hook, by its hook statement
 */
public record LoadedPlaybook(Playbook main, Map<Decl.Import, Playbook> imports, Map<String, SourceFile> sources,
    Map<Decl.Hook, LoadedHook> hooks) {

  /**
   * Copies the maps.
   *
   * @param main the playbook file's syntax tree
   * @param imports each imported library file, by the import statement that names it
   * @param sources the text of every file, by its display name, for diagnostics
   * @param hooks each loaded hook, by its hook statement
   */
  public LoadedPlaybook {
    imports = Map.copyOf(imports);
    sources = Map.copyOf(sources);
    hooks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hooks));
  }

  /**
   * A playbook without hooks.
   *
   * @param main the playbook file's syntax tree
   * @param imports each imported library file, by its import statement
   * @param sources the text of every file, by its display name
   */
  public LoadedPlaybook(Playbook main, Map<Decl.Import, Playbook> imports, Map<String, SourceFile> sources) {
    this(main, imports, sources, Map.of());
  }

  /**
   * Frees the hooks' contexts, threads and child processes; their functions fail afterwards. For
   * whoever loaded the playbook, once its last run is over. Idempotent.
   */
  public void closeHooks() {
    dev.faultline.hook.Hooks.closeAll(hooks);
  }

  /** {@return every function the hooks registered}, in the order of the hooks and of their registration */
  public List<HostRegistry.Bound> hookFunctions() {
    List<HostRegistry.Bound> out = new ArrayList<>();
    for (LoadedHook h : hooks.values()) out.addAll(h.functions());
    return out;
  }

  /** {@return the playbook's name}: the one after {@code playbook}, or its file's */
  public String name() {
    return main.name().orElse(main.file());
  }

  /** {@return the scenarios declared at the playbook's top level}, in order */
  public List<Decl.Scenario> scenarios() {
    List<Decl.Scenario> out = new ArrayList<>();
    for (Stmt s : main.body()) if (s instanceof Decl.Scenario sc) out.add(sc);
    return out;
  }

  /** {@return the params the playbook declares}, in order */
  public List<Decl.Param> params() {
    List<Decl.Param> out = new ArrayList<>();
    for (Stmt s : main.body()) if (s instanceof Decl.Param p) out.add(p);
    return out;
  }

  /** {@return the profiles the playbook declares}, in order */
  public List<Decl.Profile> profiles() {
    List<Decl.Profile> out = new ArrayList<>();
    for (Stmt s : main.body()) if (s instanceof Decl.Profile p) out.add(p);
    return out;
  }

  /** {@return the playbook's {@code description}, if it has one} */
  public Optional<String> description() {
    for (Stmt s : main.body()) if (s instanceof Decl.Description d) return Optional.of(d.text());
    return Optional.empty();
  }
}
