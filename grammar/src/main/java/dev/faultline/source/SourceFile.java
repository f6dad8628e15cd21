package dev.faultline.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text of one playbook with an index of its line starts, so that a {@link Position} can be
 * turned back into the line it points at. Immutable and safe to share between threads.
 */
public final class SourceFile {
  /** Rationale: a playbook is a runbook, not a data set; larger files are almost always a mistake. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private final String name;
  private final String text;
  private final int[] lineStarts;

  public SourceFile(String name, String text) {
    this.name = name;
    this.text = text;
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') lines++;
    }
    int[] starts = new int[lines];
    for (int i = 0, line = 1; i < text.length(); i++) {
      if (text.charAt(i) == '\n') starts[line++] = i + 1;
    }
    this.lineStarts = starts;
  }

  /**
   * Reads a playbook as UTF-8. Binary content, invalid UTF-8 and oversized files become a
   * {@link PlaybookError} that names the file, never an exception from the JDK.
   */
  public static SourceFile read(Path path, String displayName) {
    byte[] bytes;
    try {
      if (Files.isDirectory(path)) {
        throw new PlaybookError(Diagnostic.error(new Position(displayName, 0, 0, 0),
            "'" + displayName + "' is a directory, not a playbook").withHelp("pass a .fl file"));
      }
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw new PlaybookError(Diagnostic.error(new Position(displayName, 0, 0, 0),
            "file is too large for a playbook (" + size + " bytes, at most " + MAX_BYTES + ")")
            .withHelp("split it into files and use 'import'"));
      }
      bytes = Files.readAllBytes(path);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new PlaybookError(Diagnostic.error(new Position(displayName, 0, 0, 0),
          "no such file '" + displayName + "'").withHelp("check the path; it is relative to the current directory"));
    } catch (IOException e) {
      throw new PlaybookError(Diagnostic.error(new Position(displayName, 0, 0, 0),
          "cannot read '" + displayName + "': " + e.getMessage()));
    }
    return fromBytes(displayName, bytes);
  }

  /**
   * Decodes bytes strictly as UTF-8 and refuses NUL bytes, the mark of a binary file. Either
   * problem is reported at its line and column, so a single stray byte can be found.
   */
  public static SourceFile fromBytes(String name, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new PlaybookError(Diagnostic.error(placeOf(name, bytes, i),
            "this looks like a binary file, not a playbook (NUL byte at offset " + i + ")")
            .withHelp("playbooks are UTF-8 text files ending in .fl"));
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) result = decoder.flush(out);
    if (result.isError()) {
      int offset = in.position();
      throw new PlaybookError(Diagnostic.error(placeOf(name, bytes, offset),
          String.format("the file is not valid UTF-8 text (byte 0x%02x at offset %d)", bytes[offset] & 0xff, offset))
          .withHelp("save the playbook as UTF-8"));
    }
    String text = out.flip().toString();
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    return new SourceFile(name, text);
  }

  /** Line and column of a byte offset, counting code points by their UTF-8 lead bytes. */
  private static Position placeOf(String name, byte[] bytes, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        column = 1;
      } else if ((bytes[i] & 0xC0) != 0x80) {
        column++;
      }
    }
    return new Position(name, line, column, 1);
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  public int lineCount() {
    return lineStarts.length;
  }

  /** The text of a 1-based line without its line terminator; empty when out of range. */
  public String line(int line) {
    if (line < 1 || line > lineStarts.length) return "";
    int start = lineStarts[line - 1];
    int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') end--;
    return text.substring(start, Math.max(start, end));
  }

  /** Line and column (1-based) of a character offset. */
  public Position positionOf(int offset, int length) {
    int lo = 0;
    int hi = lineStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return new Position(name, lo + 1, offset - lineStarts[lo] + 1, length);
  }
}
