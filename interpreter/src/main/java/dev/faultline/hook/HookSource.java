package dev.faultline.hook;

import dev.faultline.ast.Decl;
import dev.faultline.source.Position;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One hook to load: its text and where it came from. {@code name} is what messages call the source
 * (the file as the user sees it, or the playbook for an inline hook); {@code file} is the hook's
 * file, absent for an inline hook; {@code firstLine} and {@code firstColumn} are where the text
 * starts in {@code name} (1 and 1 for a file), so that a line of the script maps to a line of that
 * file. {@code isolated}: run the hook in a child process that can be killed outright.
 */
public record HookSource(Decl.Hook decl, String name, Optional<Path> file, String text, int firstLine, int firstColumn,
    boolean isolated) {

  /** Where the hook statement stands in the playbook. */
  public Position at() {
    return decl.at();
  }

  /** Where script line {@code line}, column {@code column} (both from 1) lies in {@link #name}. */
  public Position position(int line, int column, int length) {
    int col = line == 1 ? firstColumn + column - 1 : column;
    return new Position(name, firstLine + line - 1, Math.max(1, col), Math.max(1, length));
  }
}
