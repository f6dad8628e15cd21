package dev.faultline.cli;

import dev.faultline.run.ExitCode;
import dev.faultline.source.Suggest;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The bare {@code faultline} command: wires the subcommands, and turns what goes wrong outside a
 * playbook into one line a person can act on. Usage mistakes print {@code error: …} and a pointer
 * to {@code --help} (exit 2); an unexpected exception prints {@code internal error: …} with a hint
 * to rerun with {@code --debug} (exit 2), and never a raw stack trace unless asked.
 */
@Command(name = "faultline", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Runs chaos-engineering playbooks: injects faults, checks expectations, and reverts every fault it injected.",
    footer = {"", "Exit codes: 0 passed, 1 a scenario failed, 2 bad input (nothing was run) or an internal error,",
        "            3 aborted, 4 a revert failed (faults may remain).",
        "", "Run 'faultline COMMAND --help' for a command's options."})
final class RootCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  private static final List<String> COMMANDS = List.of("run", "check", "list", "recover", "proxy-server", "repl");

  private final Invocation io;

  RootCommand(Invocation io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.err().println("error: no command given");
    io.err().print(spec.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF));
    io.err().flush();
    return ExitCode.BAD_INPUT;
  }

  /** Parses {@code args}, runs the chosen command and returns its exit code; never throws. */
  static int execute(String[] args, Invocation io) {
    boolean debug = List.of(args).contains("--debug");
    try {
      CommandLine cl = commandLine(io, args.length > 0 ? args[0] : "");
      return cl.execute(args);
    } catch (RuntimeException | Error e) {
      return internalError(io, e, debug);
    }
  }

  /**
   * The command line for {@code args}: when the first argument names a command, only that command
   * is set up. Rationale: picocli reads each command's annotations when it is added, and its
   * classes cannot be kept in the class-data sharing archive (they are Java 5 class files), so
   * every command set up costs start-up time; help and unknown commands still see them all.
   */
  static CommandLine commandLine(Invocation io, String first) {
    CommandLine cl = new CommandLine(new RootCommand(io));
    if (first.equals("run") || !COMMANDS.contains(first)) cl.addSubcommand("run", new RunCommand(io));
    if (first.equals("check") || !COMMANDS.contains(first)) cl.addSubcommand("check", new CheckCommand(io));
    if (first.equals("list") || !COMMANDS.contains(first)) cl.addSubcommand("list", new ListCommand(io));
    if (first.equals("recover") || !COMMANDS.contains(first)) cl.addSubcommand("recover", new RecoverCommand(io));
    if (first.equals("proxy-server") || !COMMANDS.contains(first)) cl.addSubcommand("proxy-server", new ProxyServerCommand(io));
    if (first.equals("repl") || !COMMANDS.contains(first)) cl.addSubcommand("repl", new ReplCommand(io));
    PrintWriter out = new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true);
    cl.setOut(out);
    cl.setErr(err);
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(io.colour(false) ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cl.setUsageHelpWidth(100);
    cl.setParameterExceptionHandler((ex, argv) -> usageError(io, ex));
    cl.setExecutionExceptionHandler((ex, line, parsed) -> internalError(io, ex, List.of(argv(parsed)).contains("--debug")));
    return cl;
  }

  private static String[] argv(CommandLine.ParseResult parsed) {
    return parsed == null ? new String[0] : parsed.originalArgs().toArray(new String[0]);
  }

  /** {@code error: unknown option '--sceanrio'} and where to read the usage; exit 2. */
  static int usageError(Invocation io, ParameterException ex) {
    String command = ex.getCommandLine().getCommandSpec().qualifiedName();
    String message = lowerFirst(ex.getMessage()).replace("option option", "option");
    String hint = null;
    int keyValue = message.indexOf("should be in KEY=VALUE format but was ");
    if (keyValue >= 0) {
      String given = message.substring(keyValue + "should be in KEY=VALUE format but was ".length());
      message = "-p needs NAME=VALUE, got '" + given + "'";
      hint = "write e.g. -p " + (given.isEmpty() ? "name" : given) + "=value";
    }
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String word = u.getUnmatched().get(0);
      List<String> candidates = new ArrayList<>(ex.getCommandLine().getCommandSpec().optionsMap().keySet());
      candidates.addAll(ex.getCommandLine().getSubcommands().keySet());
      String close = Suggest.didYouMean(word, candidates);
      message = (word.startsWith("-") ? "unknown option '" : "unexpected argument '") + word + "'";
      if (command.equals("faultline") && !word.startsWith("-")) message = "unknown command '" + word + "'";
      hint = close;
    }
    io.err().println("error: " + message);
    if (hint != null) io.err().println("  = help: " + hint);
    io.err().println("see '" + command + " --help' for the options");
    io.err().flush();
    return ExitCode.BAD_INPUT;
  }

  /** A bug, not a user mistake: one line and a hint, or the stack trace with {@code --debug}. */
  static int internalError(Invocation io, Throwable e, boolean debug) {
    io.out().flush();
    String what = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    io.err().println("internal error: " + what);
    if (debug) {
      e.printStackTrace(io.err());
    } else {
      io.err().println("  = help: this is a bug in faultline, not in the playbook; rerun with --debug to see the stack trace, and report it");
    }
    io.err().flush();
    return ExitCode.BAD_INPUT;
  }

  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) return "invalid arguments";
    if (s.length() > 1 && Character.isUpperCase(s.charAt(1))) return s; // an acronym
    return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  /** The same version line as the fast path in {@link Main}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Version.line()};
    }
  }
}
