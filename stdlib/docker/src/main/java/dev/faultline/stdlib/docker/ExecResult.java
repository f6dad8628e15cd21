package dev.faultline.stdlib.docker;

import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.value.HostValue;

/** What a command run by {@code container.exec()} ended with. Immutable. */
@HostType(name = "exec_result", doc = "The exit code and output of a command run in a container.")
public final class ExecResult implements HostValue {
  private final long exitCode;
  private final String output;

  ExecResult(long exitCode, String output) {
    this.exitCode = exitCode;
    this.output = output;
  }

  @HostFunction(name = "exit_code", effect = Effect.PURE, doc = "The command's exit status.")
  public long exitCode() {
    return exitCode;
  }

  @HostFunction(name = "ok", effect = Effect.PURE, doc = "Whether the exit status is 0.")
  public boolean ok() {
    return exitCode == 0;
  }

  @HostFunction(name = "output", effect = Effect.PURE, doc = "Standard output and standard error, interleaved as written.")
  public String output() {
    return output;
  }

  @Override
  public String show() {
    return "exit " + exitCode + ": " + (output.length() > 60 ? output.substring(0, 57) + "…" : output).strip();
  }
}
