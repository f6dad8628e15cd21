package dev.faultline.cli;

import dev.faultline.fault.FaultJournal;
import dev.faultline.fault.JournalRecord;
import dev.faultline.fault.Recovery;
import dev.faultline.run.ExitCode;
import dev.faultline.run.RunOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code faultline run} says about the fault journal: it refuses to start while the journal
 * lists faults of a run that died, and after a run it names the faults it could not revert, which
 * stay in the journal for {@code faultline recover}.
 */
final class JournalNotes {
  private JournalNotes() {}

  /**
   * Exit code 2 and a message naming {@code faultline recover}, or 0 when the run may start.
   * Rationale: the faults of a dead run may still be in place; a new run on top of them would
   * measure them too, and could clash with their reverts.
   */
  static int refuseWhileDeadRunsPending(Invocation io, RunOptions options) {
    Path dir = options.journalDir().orElseGet(FaultJournal::defaultDir);
    Recovery.Result pending = Recovery.pending(dir);
    if (pending.clean()) return 0;
    io.out().flush();
    io.err().println("error: " + pending.pendingSummary());
    io.err().println("  = help: run '" + recoverCommand(dir) + "' to revert them, then run this again");
    io.err().println("nothing was run");
    io.err().flush();
    return ExitCode.BAD_INPUT;
  }

  /** After a run: the faults it could not revert that another process can still revert. */
  static void leftInJournal(Invocation io, FaultJournal journal) {
    if (journal == null) return;
    List<JournalRecord> left = journal.remaining().stream().filter(r -> !r.inProcess()).toList();
    if (left.isEmpty()) return;
    io.out().flush();
    io.err().println("warning: " + left.size() + (left.size() == 1 ? " fault" : " faults")
        + " could not be reverted and stay in the fault journal " + journal.dir());
    for (JournalRecord r : left) io.err().println("  #" + r.fault() + " " + r.description());
    io.err().println("  = help: fix the cause, then run '" + recoverCommand(journal.dir()) + "' to revert "
        + (left.size() == 1 ? "it" : "them"));
    io.err().flush();
  }

  /** {@code faultline recover}, with {@code --journal DIR} unless the journal is the default one. */
  static String recoverCommand(Path dir) {
    return dir.equals(FaultJournal.defaultDir()) ? "faultline recover" : "faultline recover --journal " + dir;
  }
}
