package dev.faultline.repl;

import dev.faultline.embed.Faultline;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/** Runs a whole REPL session in this JVM on a JLine terminal over piped streams: the input is a script. */
final class Scripted {
  private Scripted() {}

  /** What a session printed, and how it ended. */
  record Session(String output, ReplSession.Ended ended, ReplSession session) {}

  static Session run(String playbookText, String script, Path tmp, RunOptions.Builder options) throws IOException {
    return run(playbookText, script, tmp, options, dev.faultline.report.ReportFormat.parse(dev.faultline.report.ReportFormat.DEFAULTS));
  }

  static Session run(String playbookText, String script, Path tmp, RunOptions.Builder options,
      java.util.Set<dev.faultline.report.ReportFormat> formats) throws IOException {
    Faultline faultline = Faultline.builder().standardLibrary().build();
    LoadedPlaybook playbook = faultline.load("gameday.fl", playbookText == null ? "playbook \"repl\" { }" : playbookText);
    RunOptions opts = options.journalDir(tmp.resolve("journal")).watchdog(false).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB,
        new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
      ReplSession.Settings settings = new ReplSession.Settings(tmp.resolve("report"), tmp.resolve("history"), false, false,
          false, false, false);
      ReplSession session = ReplSession.builder(faultline, playbook, opts, terminal, settings).reportFormats(formats).start();
      ReplSession.Ended ended = session.run();
      terminal.flush();
      return new Session(out.toString(StandardCharsets.UTF_8), ended, session);
    }
  }

  static Session run(String playbookText, String script, Path tmp) throws IOException {
    return run(playbookText, script, tmp, RunOptions.builder());
  }
}
