package dev.faultline.stdlib.service;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Values;
import java.time.Duration;

/**
 * Local components under a lifecycle manager: {@code service("magdb", start: …, health: …)} names
 * one by how it starts, which process it is and how to tell that it is healthy. Stateless.
 */
public final class ServiceLibrary implements Library {

  @HostFunction(name = "service", effect = Effect.PURE, doc = "Names a local component by how it starts (a shell command),"
      + " the command line of its process, how it stops and how to tell that it is healthy. Naming touches nothing:"
      + " start(), restart() and shutdown() act at once, crash() and stop() are faults.")
  public ServiceTarget service(
      @Arg(name = "name", doc = "the component's name, for messages") String name,
      @Arg(name = "start", doc = "a shell command that starts it, run detached in the working directory") String start,
      @Arg(name = "process", doc = "the exact command line of its process; empty: the start command's words",
          byDefault = "\"\"") String process,
      @Arg(name = "stop", doc = "a shell command that stops it gracefully; empty: SIGTERM to its process", byDefault = "\"\"") String stop,
      @Arg(name = "health", doc = "an http:// URL that answers 2xx when it is healthy, or a function returning true;"
          + " null: its process runs", byDefault = "null") Object health,
      @Arg(name = "timeout", doc = "how long starting may take until it is healthy", byDefault = "30s") Duration timeout) {
    if (name.isBlank()) throw new HostError("service() needs a name, got an empty string");
    if (start.isBlank()) throw new HostError("service() needs a 'start' command, got an empty string");
    if (timeout.isNegative() || timeout.isZero()) throw new HostError("service() needs a positive 'timeout', got " + Values.show(timeout));
    String command = process.isBlank() ? String.join(" ", start.strip().split("\\s+")) : process.strip();
    return new ServiceTarget(name, start.strip(), command, stop.strip(), Health.of(health), timeout);
  }
}
