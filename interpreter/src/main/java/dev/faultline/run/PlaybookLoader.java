package dev.faultline.run;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.hook.Hooks;
import dev.faultline.hook.LoadedHook;
import dev.faultline.parse.PlaybookParser;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a playbook and, transitively, the library files it imports. Import paths are relative to
 * the importing file. A cycle, a missing file or an imported file that is itself a playbook is an
 * error at the import statement. Every parse error of every file is collected.
 */
public final class PlaybookLoader {
  private final PlaybookParser parser = new PlaybookParser();

  /**
   * {@return the playbook in {@code file} with its imports and hooks}, not yet checked
   *
   * @param file the playbook file; imports resolve against its directory
   * @throws dev.faultline.source.PlaybookError with every problem: a missing file, parse errors, bad imports
   */
  public LoadedPlaybook load(Path file) {
    String display = displayName(file);
    SourceFile source = SourceFile.read(file, display);
    return load(source, file.toAbsolutePath().getParent());
  }

  /**
   * Loads playbook text; imports resolve against {@code baseDir}.
   *
   * @param source the playbook's text and name
   * @param baseDir the directory imports are relative to
   * @return the playbook with its imports and hooks, not yet checked
   * @throws dev.faultline.source.PlaybookError with every problem
   */
  public LoadedPlaybook load(SourceFile source, Path baseDir) {
    Map<String, SourceFile> sources = new HashMap<>();
    Map<Decl.Import, Playbook> imports = new HashMap<>();
    List<Diagnostic> problems = new ArrayList<>();
    sources.put(source.name(), source);
    Playbook main = parser.parse(source);
    resolve(main, baseDir, new LinkedHashSet<>(List.of(source.name())), sources, imports, problems);
    Map<Decl.Hook, LoadedHook> hooks = new LinkedHashMap<>();
    if (problems.isEmpty()) loadHooks(main, baseDir, imports, hooks, sources, problems);
    if (!problems.isEmpty()) {
      Hooks.closeAll(hooks);
      throw new PlaybookError(problems);
    }
    return new LoadedPlaybook(main, imports, sources, hooks);
  }

  private void resolve(Playbook unit, Path dir, Set<String> chain, Map<String, SourceFile> sources,
      Map<Decl.Import, Playbook> imports, List<Diagnostic> problems) {
    for (Decl.Import imp : importsOf(unit.body())) {
      Path target = (dir == null ? Path.of(imp.path()) : dir.resolve(imp.path())).normalize();
      String display = displayName(target);
      if (chain.contains(display)) {
        problems.add(Diagnostic.error(imp.at(), "import cycle: " + String.join(" -> ", chain) + " -> " + display)
            .withHelp("move what both files need into a third file"));
        continue;
      }
      if (!Files.isRegularFile(target)) {
        problems.add(Diagnostic.error(imp.at(), "cannot import '" + imp.path() + "': no such file")
            .withHelp("paths are relative to the importing file; looked for " + display));
        continue;
      }
      try {
        SourceFile src = SourceFile.read(target, display);
        sources.put(display, src);
        Playbook lib = parser.parse(src);
        if (!lib.isLibrary()) {
          problems.add(Diagnostic.error(imp.at(), "'" + imp.path() + "' is a playbook, not a library")
              .withHelp("an imported file holds only 'let', 'fn' and 'import' at its top level"));
          continue;
        }
        imports.put(imp, lib);
        Set<String> next = new LinkedHashSet<>(chain);
        next.add(display);
        resolve(lib, target.getParent(), next, sources, imports, problems);
      } catch (PlaybookError e) {
        problems.addAll(e.diagnostics());
      }
    }
  }

  /**
   * Loads the hooks of the playbook and of every library, once parsing found nothing wrong.
   * Rationale: a hook runs code when it loads; a playbook that does not even parse runs none.
   */
  private static void loadHooks(Playbook main, Path baseDir, Map<Decl.Import, Playbook> imports,
      Map<Decl.Hook, LoadedHook> hooks, Map<String, SourceFile> sources, List<Diagnostic> problems) {
    boolean any = !Hooks.declaredIn(main).isEmpty() || imports.values().stream().anyMatch(l -> !Hooks.declaredIn(l).isEmpty());
    if (!any) return;  // and no class of the hook runtime is loaded
    Hooks loader = new Hooks(PlaybookLoader::displayName);
    loader.load(main, baseDir, hooks, sources, problems);
    Set<String> seen = new java.util.HashSet<>();
    for (Playbook lib : imports.values()) {
      if (seen.add(lib.file())) loader.load(lib, Path.of(lib.file()).toAbsolutePath().getParent(), hooks, sources, problems);
    }
  }

  private static List<Decl.Import> importsOf(List<Stmt> body) {
    List<Decl.Import> out = new ArrayList<>();
    for (Stmt s : body) if (s instanceof Decl.Import i) out.add(i);
    return out;
  }

  /** Paths inside the working directory are shown relative to it, as the user typed them. */
  static String displayName(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }
}
