package dev.faultline.cli;

import dev.faultline.run.ExitCode;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the problems that stop a playbook before it runs (parse, import, check and option
 * errors), every one of them, then one line that says how many and that nothing was run.
 */
final class Problems {
  private Problems() {}

  /**
   * Renders {@code problems} to standard error and returns {@link ExitCode#BAD_INPUT}.
   * {@code known} holds the files already read; other files named by a problem are read to quote them.
   */
  static int badInput(Invocation io, CommonOptions common, String file, List<Diagnostic> problems, Map<String, SourceFile> known) {
    print(io, common, problems, known);
    long errors = problems.stream().filter(Diagnostic::isError).count();
    io.err().println("error: " + errors + (errors == 1 ? " problem" : " problems") + " in " + file + "; nothing was run");
    io.err().flush();
    return ExitCode.BAD_INPUT;
  }

  static int badInput(Invocation io, CommonOptions common, String file, PlaybookError e, Map<String, SourceFile> known) {
    return badInput(io, common, file, e.diagnostics(), known);
  }

  /** Renders diagnostics (errors and warnings) to standard error, sorted by place. */
  static void print(Invocation io, CommonOptions common, List<Diagnostic> diagnostics, Map<String, SourceFile> known) {
    if (diagnostics.isEmpty()) return;
    Map<String, SourceFile> sources = new HashMap<>(known);
    for (Diagnostic d : diagnostics) {
      String name = d.at().file();
      if (!d.at().isKnown() || sources.containsKey(name)) continue;
      Path path = Path.of(name);
      if (!Files.isRegularFile(path)) continue;
      try {
        sources.put(name, SourceFile.read(path, name));
      } catch (PlaybookError unreadable) {
        // The problem is still printed, only without the quoted line.
      }
    }
    var renderer = new DiagnosticRenderer(sources, common.shortErrors(), io.colour(common.noColor));
    io.err().print(renderer.renderAll(diagnostics));
    io.err().flush();
  }

  /** The file as messages name it: relative to the working directory when inside it, as the loader does. */
  static String displayName(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }
}
