package dev.faultline.repl;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Status;

/**
 * The live bottom line of the terminal: short texts from its segments ({@code 2 faults active},
 * {@code guards ok}, and whatever else is plugged in, such as running traffic), joined by
 * {@code " | "} and refreshed once a second by JLine's {@link Status}, which redraws it without
 * touching the line being edited. Off on a dumb terminal or a pipe: {@link #start} then returns an
 * instance that does nothing.
 *
 * <p>Segments are suppliers of a short text, or of null to show nothing; they are called on the
 * refresh thread and must be quick and never block (read a counter, never call a probe). A segment
 * that throws is shown as {@code ?}. Thread-safe.
 */
final class StatusLine implements AutoCloseable {
  private final List<Supplier<String>> segments = new CopyOnWriteArrayList<>();
  private final Status status;
  private final ScheduledExecutorService refresher;
  /** Runs a drawing of the status so that it never interleaves with other output (see {@link #start}). */
  private final java.util.function.Consumer<Runnable> painter;
  private volatile String shown = "";

  private StatusLine(Status status, java.util.function.Consumer<Runnable> painter) {
    this.status = status;
    this.painter = painter;
    this.refresher = status == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "faultline-status");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A status line on {@code terminal} when it can show one and {@code enabled}; otherwise one that
   * is off. {@code painter} runs each drawing where no other output can interleave with it: inside
   * the line reader while it reads, under the lock of the session's other output otherwise (see
   * {@link Console}). Rationale: drawing the status moves the cursor and the scroll region; a line
   * printed in the middle of that lands in the wrong place or is erased.
   */
  static StatusLine start(Terminal terminal, boolean enabled, java.util.function.Consumer<Runnable> painter) {
    Status status = null;
    if (enabled && !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
      status = Status.getStatus(terminal, true);
    }
    StatusLine line = new StatusLine(status, painter);
    if (line.refresher != null) line.refresher.scheduleWithFixedDelay(line::refresh, 0, 1, TimeUnit.SECONDS);
    return line;
  }

  boolean isOn() {
    return status != null;
  }

  /** Adds a segment at the end of the line; see the class comment for what a segment may do. */
  void add(Supplier<String> segment) {
    segments.add(Objects.requireNonNull(segment));
  }

  /** The text the segments give now. */
  String text() {
    StringBuilder b = new StringBuilder();
    for (Supplier<String> s : segments) {
      String part;
      try {
        part = s.get();
      } catch (RuntimeException e) {
        part = "?";
      }
      if (part == null || part.isEmpty()) continue;
      if (b.length() > 0) b.append(" | ");
      b.append(part);
    }
    return b.toString();
  }

  /** Redraws now when the text changed (after a command that changes what it shows). */
  void refresh() {
    if (status == null) return;
    try {
      String text = text();
      if (text.equals(shown)) return;
      shown = text;
      painter.accept(() -> status.update(List.of(new AttributedString(text, AttributedStyle.INVERSE))));
    } catch (RuntimeException e) {
      // Rationale: the status line is a convenience; it never stops the session.
    }
  }

  @Override
  public void close() {
    if (status == null) return;
    refresher.shutdownNow();
    try {
      painter.accept(() -> {
        status.update(List.of());
        status.close();
      });
    } catch (RuntimeException ignored) {
      // The terminal may be gone (SIGHUP).
    }
  }
}
