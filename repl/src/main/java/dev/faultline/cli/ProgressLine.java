package dev.faultline.cli;

import dev.faultline.report.Event;
import dev.faultline.report.RunListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live bottom line of {@code faultline run} on a terminal: the scenario and step running, the
 * time since the run started, the faults in place and the guards' state, redrawn about once a
 * second. Everything printed goes through {@link #out()}, which wipes the line before other output
 * and draws it again after, so step lines never mix with it. Off on a pipe or a dumb terminal,
 * where the step lines alone are printed. Thread-safe.
 */
final class ProgressLine implements RunListener, AutoCloseable {
  private static final String CLEAR = "\r\033[K";

  private final PrintStream terminal;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService timer;
  private boolean shown;
  private boolean atLineStart = true;
  private String scenario = "";
  private String step = "";
  private int faults;
  private String guards = "guards ok";
  private volatile java.util.function.Supplier<String> extra = () -> null;

  ProgressLine(PrintStream terminal, boolean tick) {
    this.terminal = terminal;
    this.out = new PrintStream(new Wiping(), true, StandardCharsets.UTF_8);
    if (tick) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "faultline-progress");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleAtFixedRate(this::draw, 200, 1000, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /** A further segment, read at each redraw (the run's background traffic); null when it has nothing to say. */
  void extra(java.util.function.Supplier<String> segment) {
    extra = segment;
  }

  /** Where the run's output goes: through here, so that the line is wiped first. */
  PrintStream out() {
    return out;
  }

  @Override
  public synchronized void on(Event e) {
    switch (e.type()) {
      case SCENARIO_STARTED -> {
        scenario = e.scenario() == null ? "" : e.scenario();
        step = "";
      }
      case STEP_STARTED -> step = e.step() == null ? "" : e.step();
      case SCENARIO_ENDED -> step = "";
      case FAULT_INJECTED -> faults++;
      case FAULT_REVERTED -> faults = Math.max(0, faults - 1);
      case GUARD_BREACHED -> guards = "guard '" + e.data().getOrDefault("name", "?") + "' BREACHED";
      case LIMIT_EXCEEDED -> guards = "limit '" + e.data().getOrDefault("name", "?") + "' EXCEEDED";
      default -> { }
    }
  }

  /** The line's text now. */
  synchronized String text() {
    double seconds = (System.nanoTime() - start) / 1e9;
    StringBuilder b = new StringBuilder("▶ ");
    b.append(scenario.isEmpty() ? "setting up" : scenario);
    if (!step.isEmpty()) b.append(" › ").append(step);
    b.append(String.format(Locale.ROOT, " · %.0fs · ", seconds));
    b.append(faults == 1 ? "1 fault in place" : faults + " faults in place").append(" · ").append(guards);
    String more;
    try {
      more = extra.get();
    } catch (RuntimeException e) {
      more = null;
    }
    if (more != null && !more.isEmpty()) b.append(" · ").append(more);
    return b.toString();
  }

  /** Draws the line when the cursor is at the start of an empty line. */
  synchronized void draw() {
    if (!atLineStart) return;
    terminal.print(CLEAR + text());
    terminal.flush();
    shown = true;
  }

  private synchronized void wipe() {
    if (shown) {
      terminal.print(CLEAR);
      shown = false;
    }
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
    synchronized (this) {
      wipe();
      terminal.flush();
    }
  }

  /** Output that wipes the line before it and lets it be drawn again after a full line. */
  private final class Wiping extends OutputStream {
    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len == 0) return;
      synchronized (ProgressLine.this) {
        wipe();
        terminal.write(b, off, len);
        atLineStart = b[off + len - 1] == '\n';
      }
    }

    @Override
    public void flush() throws IOException {
      terminal.flush();
    }
  }
}
