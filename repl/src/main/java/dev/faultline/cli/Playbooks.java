package dev.faultline.cli;

import dev.faultline.embed.Faultline;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookLoader;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loading and checking a playbook for the commands: parse errors, import errors and the checker's
 * errors all end as {@link Problems#badInput}; warnings are printed and the playbook is returned.
 */
final class Playbooks {
  private Playbooks() {}

  /** A playbook ready to run or list, or the exit code that says why not. */
  record Loaded(LoadedPlaybook playbook, int exitCode) {
    boolean ok() {
      return playbook != null;
    }
  }

  static Faultline interpreter() {
    return Faultline.builder().standardLibrary().build();
  }

  /**
   * Parses {@code file} with its imports and checks it. With {@code needsPlaybook}, a file without a
   * {@code playbook "name" { … }} block (empty, or a library meant for {@code import}) is refused.
   */
  static Loaded load(Invocation io, CommonOptions common, Faultline faultline, String file, boolean needsPlaybook) {
    Path path = Path.of(file);
    String display = Problems.displayName(path);
    LoadedPlaybook playbook;
    try {
      playbook = new PlaybookLoader().load(path);
    } catch (PlaybookError e) {
      return new Loaded(null, Problems.badInput(io, common, display, e, Map.of()));
    }
    List<Diagnostic> found = faultline.check(playbook);
    if (found.stream().anyMatch(Diagnostic::isError)) {
      return new Loaded(null, Problems.badInput(io, common, display, found, playbook.sources()));
    }
    Problems.print(io, common, found, playbook.sources());
    if (needsPlaybook && playbook.main().isLibrary()) {
      Position at = new Position(display, 0, 0, 0);
      boolean empty = playbook.main().body().isEmpty();
      Diagnostic d = Diagnostic.error(at, empty ? "the file is empty; there is nothing to run"
              : "this file holds no 'playbook \"name\" { … }' block, so there is nothing to run")
          .withHelp(empty ? "a playbook starts with 'playbook \"name\" {' and holds scenarios"
              : "a file without one is a library: 'import' it from a playbook");
      return new Loaded(null, Problems.badInput(io, common, display, List.of(d), playbook.sources()));
    }
    return new Loaded(playbook, 0);
  }
}
