package dev.faultline.repl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The session's transcript, {@code transcript.txt} in the report directory: each input with the
 * time it was entered ({@code [14:02:07] faultline> inject link.latency(200ms)}), then everything
 * the session printed, events included, in order. Written as the session goes and flushed after
 * each line, so that it survives even a killed process. Thread-safe. A transcript that cannot be
 * written is reported once and then ignored: it must never stop the session.
 */
final class Transcript implements AutoCloseable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Path file;
  private BufferedWriter writer;
  private String problem;

  private Transcript(Path file, BufferedWriter writer, String problem) {
    this.file = file;
    this.writer = writer;
    this.problem = problem;
  }

  /** Opens {@code dir/transcript.txt}, making the directory; a failure is kept for {@link #problem}. */
  static Transcript open(Path dir) {
    Path file = dir.resolve("transcript.txt");
    try {
      Files.createDirectories(dir);
      return new Transcript(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      return new Transcript(file, null, "could not write the transcript to " + file + ": " + e.getMessage());
    }
  }

  Path file() {
    return file;
  }

  /** Why the transcript could not be written, or null. */
  synchronized String problem() {
    return problem;
  }

  synchronized void input(String prompt, String text) {
    String stamp = "[" + LocalTime.now().format(TIME) + "] ";
    String pad = " ".repeat(stamp.length() + prompt.length());
    String[] lines = text.split("\n", -1);
    StringBuilder b = new StringBuilder(stamp).append(prompt).append(lines[0]);
    for (int i = 1; i < lines.length; i++) b.append('\n').append(pad).append(lines[i]);
    line(b.toString());
  }

  synchronized void line(String text) {
    if (writer == null) return;
    try {
      writer.write(text);
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      problem = "could not write the transcript to " + file + ": " + e.getMessage();
      closeQuietly();
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (writer == null) return;
    try {
      writer.close();
    } catch (IOException ignored) {
      // Every line was flushed as it was written.
    }
    writer = null;
  }
}
