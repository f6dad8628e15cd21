package dev.faultline.stdlib.probe;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;

/** What one command probe saw. Immutable; a command that cannot start or times out is a result with {@code error}. */
@HostType(name = "command_result", doc = "The result of command(): exit_code, ok, stdout, stderr, latency and error.")
public final class CommandResult implements HostValue {
  private final String command;
  private final long exitCode;
  private final String stdout;
  private final String stderr;
  private final Duration latency;
  private final String error;

  CommandResult(String command, long exitCode, String stdout, String stderr, Duration latency, String error) {
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.latency = latency;
    this.error = error;
  }

  @HostFunction(name = "exit_code", effect = Effect.PURE, doc = "The exit code; -1 when the command did not start or was killed at its timeout.")
  public long exitCode() {
    return exitCode;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the command ran and exited with 0.")
  public boolean ok() {
    return error.isEmpty() && exitCode == 0;
  }

  @HostFunction(name = "stdout", effect = Effect.PURE, doc = "What it wrote to standard output (at most 1 MiB).")
  public String stdout() {
    return stdout;
  }

  @HostFunction(name = "stderr", effect = Effect.PURE, doc = "What it wrote to standard error (at most 1 MiB).")
  public String stderr() {
    return stderr;
  }

  @HostFunction(name = "output", effect = Effect.PURE, doc = "Standard output without the trailing newline: what `$(…)` gives in a shell.")
  public String output() {
    return stdout.endsWith("\n") ? stdout.substring(0, stdout.length() - 1) : stdout;
  }

  @HostFunction(name = "latency", effect = Effect.PURE, doc = "From start to exit (or to the timeout).")
  public Duration latency() {
    return latency;
  }

  @HostFunction(name = "error", effect = Effect.PURE, doc = "Why it did not run to its end (cannot start, timed out); empty when it exited by itself.")
  public String error() {
    return error;
  }

  @HostFunction(name = "command", effect = Effect.PURE, doc = "The command line that was run.")
  public String command() {
    return command;
  }

  @Override
  public String show() {
    return "command_result " + (error.isEmpty() ? "exit " + exitCode : "failed (" + error + ")") + " from '" + command + "' in "
        + Values.show(latency);
  }
}
