package dev.faultline.cli;

import dev.faultline.embed.Faultline;
import dev.faultline.run.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline check FILE…}: parses and checks each file, runs nothing. Prints every problem of
 * a file and {@code error: N problems in FILE; nothing was run}, or {@code FILE: ok}. Exit 2 when
 * any file has a problem. Library files (meant for {@code import}) may be checked too.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    description = "Parses and checks playbooks without running anything.",
    footer = {"", "Exit codes: 0 every file is fine, 2 a file has problems."})
final class CheckCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Playbooks or library files to check.")
  List<String> files;

  @Mixin
  CommonOptions common = new CommonOptions();

  private final Invocation io;

  CheckCommand(Invocation io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Faultline faultline = Playbooks.interpreter();
    int exit = ExitCode.PASSED;
    for (String file : files) {
      Playbooks.Loaded loaded = Playbooks.load(io, common, faultline, file, false);
      if (!loaded.ok()) {
        exit = ExitCode.BAD_INPUT;
        continue;
      }
      long warnings = faultline.check(loaded.playbook()).stream().filter(d -> !d.isError()).count();
      io.out().println(Problems.displayName(Path.of(file)) + ": ok"
          + (warnings == 0 ? "" : " (" + warnings + (warnings == 1 ? " warning)" : " warnings)")));
      io.out().flush();
    }
    return exit;
  }
}
