package dev.faultline.stdlib.fs;

import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.Values;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * One fault on one file: replace, append, corrupt, delete or chmod. Built by a {@link FileTarget}
 * injector without touching the disk; the file's state is recorded once, on the first of
 * {@link #undoRecord()} (which the journal calls before injecting) or {@link #inject}, and the
 * revert restores it from that record alone, exactly as {@link FileRecoverer} does in another
 * process. Thread-safe: the record is taken under the object's lock.
 */
final class FileFault implements Fault {
  private final Path path;
  private final FileUndo.Change change;
  private FileUndo.Prepared prepared;

  FileFault(Path path, FileUndo.Change change) {
    this.path = path;
    this.change = change;
  }

  /** The record, taken now if it was not yet. */
  private synchronized FileUndo.Prepared prepared() {
    if (prepared == null) prepared = FileUndo.snapshot(path, change);
    return prepared;
  }

  private synchronized FileUndo.Prepared preparedIfTaken() {
    return prepared;
  }

  @Override
  public String kind() {
    return change.op().kind;
  }

  @Override
  public String target() {
    return path.toString();
  }

  @Override
  public String describe() {
    return switch (change.op()) {
      case REPLACE -> "replace the content of " + path + " with " + preview(change.text());
      case APPEND -> "append " + preview(change.text()) + " to " + path;
      case CORRUPT -> "corrupt " + change.length() + " byte" + (change.length() == 1 ? "" : "s") + " of " + path
          + " (seed " + change.seed() + offset() + ")";
      case DELETE -> "delete " + path;
      case CHMOD -> "set the permissions of " + path + " to " + FileUndo.octal(change.mode());
    };
  }

  @Override
  public String plan() {
    return describe() + "; restored byte for byte, with its permissions and mtime, when the scope ends";
  }

  private String offset() {
    FileUndo.Prepared p = preparedIfTaken();
    return p == null || !p.record().containsKey("offset") ? "" : ", at offset " + p.record().get("offset");
  }

  private static String preview(byte[] text) {
    String s = new String(text, StandardCharsets.UTF_8);
    String shown = s.length() <= 40 ? s : s.substring(0, 37) + "…";
    return Values.showNested(shown) + " (" + text.length + " byte" + (text.length == 1 ? "" : "s") + ")";
  }

  @Override
  public Map<String, Object> undoRecord() {
    return prepared().record();
  }

  @Override
  public void inject(CallContext context) throws Exception {
    FileUndo.apply(prepared());
  }

  /**
   * Restores the recorded state. A file changed by someone else meanwhile is left alone: this
   * throws a {@link HostError} whose cause is {@link TargetChanged}, and the fault is reported as
   * not reverted. Rationale: clobbering a file another process or person just wrote could destroy
   * work that is not ours to undo; the journal keeps the record, original content included.
   */
  @Override
  public void revert(CallContext context) throws Exception {
    FileUndo.Prepared p = preparedIfTaken();
    if (p == null) return; // never recorded, so never touched
    try {
      FileUndo.restore(p.record());
    } catch (TargetChanged changed) {
      throw new HostError(changed.getMessage(), "check the file by hand; the original is in this fault's journal record", changed);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
