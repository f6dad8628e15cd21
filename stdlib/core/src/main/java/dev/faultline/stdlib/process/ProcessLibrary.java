package dev.faultline.stdlib.process;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Values;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Process faults: {@code process(pid)} and {@code process(command: …)} name a local process, whose
 * injectors stop it (SIGSTOP / SIGCONT) or kill it (and restart it on revert); {@code spawn()} starts
 * one owned by the calling scope. Linux only ({@code /proc}). Stateless; the constructor does nothing.
 */
public final class ProcessLibrary implements Library {

  @HostFunction(name = "process", effect = Effect.PURE, doc = "Names a local process by PID, or by its exact command line"
      + " (arguments joined by single spaces, as `ps -o args` shows them). Naming touches nothing: readers (pid,"
      + " command, running, state) look at it, injectors (stop, kill) act on it.")
  public ProcessTarget process(
      @Arg(name = "pid", doc = "the process ID", byDefault = "null") Long pid,
      @Arg(name = "command", doc = "the exact command line, e.g. \"sleep 60\"; exactly one process must run it",
          byDefault = "null") String command) {
    if ((pid == null) == (command == null)) {
      throw new HostError("process() needs either a pid or a command, not " + (pid == null ? "neither" : "both"),
          "e.g. process(1234) or process(command: \"bin/magdb --port 8080\")");
    }
    if (pid != null) {
      if (pid < 1) throw new HostError("process() needs a positive pid, got " + pid);
      return ProcessTarget.byPid(pid);
    }
    if (command.isBlank()) throw new HostError("process() needs a command line, got an empty string");
    return ProcessTarget.byCommand(command.strip());
  }

  @HostFunction(name = "spawn", effect = Effect.ACTION, requires = Capability.EXEC, doc = "Starts a command (split into"
      + " words like a shell does, without running one) in the working directory, input and output to /dev/null, and"
      + " returns its process. It is ended (SIGTERM, then SIGKILL) when the playbook, scenario or step that started it"
      + " ends.")
  public ProcessTarget spawn(
      @Arg(name = "command", doc = "the command line, e.g. \"sleep 60\"; quotes group words") String command,
      CallContext ctx) {
    ProcFs.requireProc();
    List<String> argv = words(command);
    if (argv.isEmpty()) throw new HostError("spawn() needs a command, got " + Values.showNested(command));
    Process p;
    try {
      p = new ProcessBuilder(argv)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new HostError("spawn(): cannot run '" + argv.get(0) + "': " + reason(e));
    }
    Identity id = Identity.of(p.pid()).orElse(new Identity(p.pid(), -1, ProcFs.bootId(), String.join(" ", argv)));
    Spawned spawned = new Spawned(id);
    ctx.own(spawned, id.show());
    ctx.log("started " + id.show());
    return ProcessTarget.spawned(spawned);
  }

  private static String reason(IOException e) {
    String m = String.valueOf(e.getMessage());
    int at = m.indexOf("error=");
    return at >= 0 ? m.substring(at) : m;
  }

  /**
   * Splits a command line into words: blanks separate, '…' and "…" group, a backslash escapes the
   * next character outside single quotes. No variables, globs or operators: nothing runs a shell.
   */
  public static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') quote = 0;
        else w.append(c);
      } else if (quote == '"') {
        if (c == '"') quote = 0;
        else if (c == '\\' && i + 1 < line.length()) w.append(line.charAt(++i));
        else w.append(c);
      } else if (Character.isWhitespace(c)) {
        if (inWord) out.add(w.toString());
        w.setLength(0);
        inWord = false;
      } else {
        inWord = true;
        if (c == '\'' || c == '"') quote = c;
        else if (c == '\\' && i + 1 < line.length()) w.append(line.charAt(++i));
        else w.append(c);
      }
    }
    if (quote != 0) throw new HostError("spawn(): unclosed " + quote + " in " + Values.showNested(line));
    if (inWord) out.add(w.toString());
    return out;
  }
}
