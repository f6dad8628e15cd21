package dev.faultline.hook;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Loads the hooks a playbook and its libraries declare at their top level, with the first
 * {@link HookLoader} on the class path. The loader is looked up only when there is a hook, so that
 * a playbook without one never loads the JavaScript runtime. Problems (a missing file, a hook that
 * does not load) are collected as diagnostics; the hooks that did load are closed when any failed.
 */
public final class Hooks {
  private final Function<Path, String> displayName;
  private HookLoader loader;

  /** {@code displayName}: how messages show a file path (relative to the working directory when inside it). */
  public Hooks(Function<Path, String> displayName) {
    this.displayName = displayName;
  }

  /** The top-level hook statements of {@code file}, in order. */
  public static List<Decl.Hook> declaredIn(Playbook file) {
    return file.body().stream().filter(s -> s instanceof Decl.Hook).map(s -> (Decl.Hook) s).toList();
  }

  /**
   * Loads each hook of {@code file} (whose own path resolves relative hook paths against {@code dir}),
   * adding what it loads to {@code loaded}, the text of each hook file to {@code sources} (for
   * messages), and what went wrong to {@code problems}.
   */
  public void load(Playbook file, Path dir, Map<Decl.Hook, LoadedHook> loaded, Map<String, SourceFile> sources,
      List<Diagnostic> problems) {
    for (Decl.Hook hook : declaredIn(file)) {
      Optional<HookSource> source = source(hook, file, dir, sources, problems);
      if (source.isEmpty()) continue;
      HookLoader l = loader();
      if (l == null) {
        problems.add(Diagnostic.error(hook.at(), "JavaScript hooks are not available: no hook runtime on the class path")
            .withHelp("add the faultline-hooks module (dev.faultline:faultline-hooks) to the class path"));
        return;
      }
      try {
        loaded.put(hook, l.load(source.get()));
      } catch (PlaybookError e) {
        problems.addAll(e.diagnostics());
      }
    }
  }

  private Optional<HookSource> source(Decl.Hook hook, Playbook file, Path dir, Map<String, SourceFile> sources,
      List<Diagnostic> problems) {
    boolean isolated = !hook.mode().isEmpty();  // both modes run in a child process; see docs/hooks.md
    if (hook.isInline()) {
      String text = hook.source();
      return Optional.of(new HookSource(hook, file.file(), Optional.empty(), text, hook.sourceAt().line(),
          hook.sourceAt().column() + 3, isolated));
    }
    Path target = (dir == null ? Path.of(hook.source()) : dir.resolve(hook.source())).toAbsolutePath().normalize();
    String display = displayName.apply(target);
    if (!hook.source().endsWith(".js") && !hook.source().endsWith(".mjs")) {
      problems.add(Diagnostic.error(hook.sourceAt(), "a hook is a JavaScript file; '" + hook.source() + "' does not end in .js")
          .withHelp("name the file x.js, or write a small hook inline between triple quotes"));
      return Optional.empty();
    }
    if (!Files.isRegularFile(target)) {
      problems.add(Diagnostic.error(hook.sourceAt(), "cannot load hook '" + hook.source() + "': no such file")
          .withHelp("paths are relative to the file that declares the hook; looked for " + display));
      return Optional.empty();
    }
    try {
      String text = Files.readString(target, StandardCharsets.UTF_8);
      sources.put(display, new SourceFile(display, text));
      return Optional.of(new HookSource(hook, display, Optional.of(target), text, 1, 1, isolated));
    } catch (IOException e) {
      problems.add(Diagnostic.error(hook.sourceAt(), "cannot read hook '" + hook.source() + "': " + e.getMessage()));
      return Optional.empty();
    }
  }

  private HookLoader loader() {
    if (loader == null) {
      loader = ServiceLoader.load(HookLoader.class, Hooks.class.getClassLoader()).findFirst().orElse(null);
    }
    return loader;
  }

  /** Closes hooks, ignoring failures: used when a playbook that loaded some of them cannot be run. */
  public static void closeAll(Map<Decl.Hook, LoadedHook> hooks) {
    for (LoadedHook h : hooks.values()) {
      try {
        h.close();
      } catch (RuntimeException ignored) {
        // closing is best effort; the process ends soon after a playbook that does not load
      }
    }
  }
}
