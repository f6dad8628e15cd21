package dev.faultline.repl;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jline.reader.LineReader;

/**
 * Where the session's output goes: the terminal, above the prompt when the user is typing
 * (JLine's {@code printAbove}, so that an event never garbles the line being edited), and the
 * transcript, without colours. Thread-safe: events arrive from timer and guard threads. Its monitor
 * is the lock of terminal output: the {@link StatusLine} draws under it too.
 */
final class Console {
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

  private final LineReader reader;
  private final Transcript transcript;
  private final boolean colour;

  Console(LineReader reader, Transcript transcript, boolean colour) {
    this.reader = reader;
    this.transcript = transcript;
    this.colour = colour;
  }

  boolean colour() {
    return colour;
  }

  /** Prints text (one or more lines, a trailing newline is dropped), above the prompt when one is shown. */
  void println(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    synchronized (this) {
      reader.printAbove(colour ? body : ANSI.matcher(body).replaceAll(""));
      for (String line : body.split("\n", -1)) transcript.line(ANSI.matcher(line).replaceAll(""));
    }
  }

  /** {@code text} in bold red, when colours are on. */
  String alarm(String text) {
    return colour ? "\u001b[1;31m" + text + "\u001b[0m" : text;
  }

  String bold(String text) {
    return colour ? "\u001b[1m" + text + "\u001b[0m" : text;
  }

  /** A stream whose complete lines go to {@link #println}: the run's terminal printer writes to it. */
  PrintStream stream() {
    return new PrintStream(new OutputStream() {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        if (b == '\n') {
          Console.this.println(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b);
        }
      }
    }, true, StandardCharsets.UTF_8);
  }
}
