package dev.faultline.cli;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.FaultJournal;
import dev.faultline.fault.Recovery;
import dev.faultline.run.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code faultline recover [--journal DIR]}: reverts what the fault journal still lists of runs
 * whose process died (SIGKILL, a crash, a power loss), with the recoverers on the class path, and
 * prints one line per fault. Runs still alive are listed and left alone. Exit 0 when the journal
 * holds nothing of a dead run afterwards, 1 when something remains, 2 for bad input.
 */
@Command(name = "recover", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    description = "Reverts the faults that a run which died left in the fault journal.",
    footer = {"", "Exit codes: 0 nothing of a dead run is left in the journal, 1 something is left (a revert failed,",
        "            a fault needs a manual revert, a record is unreadable), 2 bad input.",
        "", "See docs/recovery.md."})
final class RecoverCommand implements Callable<Integer> {
  @Option(names = "--journal", paramLabel = "DIR", description = "The fault journal directory (default: .faultline/journal).")
  Path journal;

  @Mixin
  CommonOptions common = new CommonOptions();

  private final Invocation io;

  RecoverCommand(Invocation io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Path dir = journal != null ? journal.toAbsolutePath().normalize() : FaultJournal.defaultDir();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      io.err().println("error: the journal '" + dir + "' is not a directory");
      io.err().println("  = help: give the journal directory with --journal DIR");
      io.err().flush();
      return ExitCode.BAD_INPUT;
    }
    Recovery.Result result = Faultline.recover(dir);
    io.out().println("journal: " + dir);
    for (String line : result.lines()) io.out().println(line);
    io.out().flush();
    return result.clean() ? 0 : 1;
  }
}
