package dev.faultline.repl;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REPL's own commands, as typed at the prompt. A line is a command when it is exactly one of the
 * forms below, optionally written with a leading colon ({@code :faults}); anything else is a
 * statement of the language. Rationale: under stress people type {@code stop all}, not
 * {@code :stop-all}; the colon form is there for a session that defines a name such as
 * {@code faults} and still wants the command. Immutable.
 */
record Command(String word, String argument) {
  /** The command words, for completion. */
  static final List<String> WORDS = List.of("scenarios", "run", "step", "continue", "faults", "guards", "revert all",
      "stop all", "report", "help", "quit", "exit");

  private static final Pattern FORM = Pattern.compile(
      ":?(scenarios|continue|faults|guards|report|quit|exit|revert all|stop all)\\s*"
          + "|:?(run|step)(?:\\s+(\"[^\"]*\"|[^\\s\"]+))?\\s*"
          + "|:?(help)(?:\\s+([A-Za-z_][A-Za-z_0-9.]*|\"[^\"]*\"|revert all|stop all))?\\s*");

  /** The help the {@code help} command prints without an argument. */
  static final String HELP = """
      Type statements of the language (let, inject, expect, wait, await, log, decide…) or a command:

        scenarios          the playbook's scenarios and their steps
        run ID             runs scenario ID as 'faultline run' does (faults reverted when it ends)
        step ID            starts scenario ID paused before its first step
        step               runs the next step of the paused scenario, then pauses again
        continue           runs the rest of the paused scenario
        faults             active faults: what, where, since when, which scope owns them
        guards             each guard's state, last value and threshold
        revert all         reverts every active fault now, newest first
        stop all           stops everything: the paused scenario, every fault, background work
        report             writes the report so far (report.json) to the report directory
        help NAME          documentation of a function, injector or value (help http.get, help link)
        quit               reverts every active fault (asking first on a terminal) and exits

      A command may be written with a leading colon (:faults). Faults injected at the prompt stay
      active until reverted or the session ends; inside a step or scenario, or with 'for 30s', they
      follow their scope. Ctrl-C interrupts the running statement; Ctrl-D quits. Tab completes
      names, members after a dot, and named parameters inside a call. Details: docs/repl.md.""";

  /** The command {@code line} is, or empty when it is a statement. */
  static Optional<Command> parse(String line) {
    String text = line.strip();
    Matcher m = FORM.matcher(text);
    if (!m.matches()) return Optional.empty();
    if (m.group(1) != null) return Optional.of(new Command(m.group(1).replaceAll("\\s+", " "), null));
    if (m.group(2) != null) return Optional.of(new Command(m.group(2), unquote(m.group(3))));
    return Optional.of(new Command(m.group(4), unquote(m.group(5))));
  }

  /** A line that starts with a colon but is no command: what to say about it. */
  static Optional<String> unknown(String line) {
    String text = line.strip();
    if (!text.startsWith(":") || parse(text).isPresent()) return Optional.empty();
    return Optional.of("'" + text + "' is not a command; type 'help' for the list");
  }

  private static String unquote(String s) {
    if (s == null) return null;
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }
}
