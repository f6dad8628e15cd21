package dev.faultline.stdlib.service;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.stdlib.process.ProcessLibrary;
import dev.faultline.stdlib.process.ProcessTarget;
import dev.faultline.stdlib.process.ProcessUndo;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A local component under a lifecycle manager, named by {@code service(…)}: how it starts, which
 * process it is (by exact command line, so it is found again after a restart), how it stops and how
 * to tell that it is healthy. Actions ({@code start}, {@code restart}, {@code shutdown}) act at once
 * and return how long the component took to be healthy; injectors ({@code crash}, {@code stop}) are
 * the process faults of {@link ProcessTarget}, journaled and reverted like them (a crash is
 * reverted by running the start command). Thread-safe.
 */
@HostType(name = "service", doc = "A local component named by service(…): start, restart or shut it down, crash it (SIGKILL) or freeze it (SIGSTOP), and time it back to healthy.")
public final class ServiceTarget implements HostValue {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final String name;
  private final String start;
  private final String command;
  private final String stop;
  private final Health health;
  private final Duration timeout;
  private final ProcessLibrary processes = new ProcessLibrary();

  ServiceTarget(String name, String start, String command, String stop, Health health, Duration timeout) {
    this.name = name;
    this.start = start;
    this.command = command;
    this.stop = stop;
    this.health = health;
    this.timeout = timeout;
  }

  private ProcessTarget process() {
    return processes.process(null, command);
  }

  // ------------------------------------------------------------ readers

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The name given to service().")
  public String name() {
    return name;
  }

  @HostFunction(name = "command", effect = Effect.PURE, doc = "The command line of its process, as it is looked for.")
  public String command() {
    return command;
  }

  @HostFunction(name = "running", effect = Effect.PROBE, doc = "Whether its process runs (not stopped, not gone).")
  public boolean running() {
    return process().running();
  }

  @HostFunction(name = "pid", effect = Effect.PROBE, doc = "The PID of its process now.")
  public long pid() {
    return process().pid();
  }

  @HostFunction(name = "state", effect = Effect.PROBE, doc = "Its process's state: \"running\", \"sleeping\", \"stopped\", … or \"gone\".")
  public String state() {
    return process().state();
  }

  @HostFunction(name = "healthy", effect = Effect.PROBE, doc = "Whether its process runs and its health check passes (the"
      + " URL answers 2xx within 1s, or the function returns true). Use it with await: `await app.healthy within 30s`.")
  public boolean healthy(CallContext ctx) {
    return health.check(running(), ctx);
  }

  // ------------------------------------------------------------ actions

  @HostFunction(name = "start", effect = Effect.ACTION, requires = Capability.EXEC, doc = "Starts the component (unless its"
      + " process runs) and waits until it is healthy; returns how long that took. A component started so belongs to the"
      + " playbook, scenario or step that started it, and is shut down when that scope ends.")
  public Duration startNow(CallContext ctx) {
    long t0 = System.nanoTime();
    if (!running()) {
      Process launched = launch(start, "start");
      ctx.own(this::shutdownQuietly, "service " + name);
      awaitHealthy(launched, t0, ctx);
    } else {
      awaitHealthy(null, t0, ctx);
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @HostFunction(name = "restart", effect = Effect.ACTION, requires = Capability.EXEC, doc = "Shuts the component down (as"
      + " shutdown() does), starts it again and waits until it is healthy; returns the time from the start of the"
      + " restart to healthy: what its clients saw as downtime.")
  public Duration restart(CallContext ctx) {
    long t0 = System.nanoTime();
    shutdownNow();
    Process launched = launch(start, "start");
    awaitHealthy(launched, t0, ctx);
    ctx.log("restarted service " + name);
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  @HostFunction(name = "shutdown", effect = Effect.ACTION, requires = Capability.EXEC, doc = "Stops the component"
      + " gracefully now: its stop command, or SIGTERM; SIGKILL when its process is still there 5s later. Not a fault:"
      + " nothing starts it again.")
  public void shutdown() {
    shutdownNow();
  }

  // ------------------------------------------------------------ injectors

  @Injector(name = "crash", requires = Capability.EXEC, doc = "Kills its process with SIGKILL, as a crash would. Reverted"
      + " by running the start command and waiting until its process runs again (the same fault as"
      + " process.kill(restart: …)); with restart false nothing is started, for a supervisor to do it.")
  public Fault crash(
      @Arg(name = "restart", doc = "whether the revert starts it again", byDefault = "true") boolean restart,
      @Arg(name = "timeout", doc = "how long the revert waits for its process; default: the service's timeout",
          byDefault = "null") Duration wait) {
    return process().kill("KILL", restart ? start : "", wait == null ? timeout : wait);
  }

  @Injector(name = "stop", requires = Capability.EXEC, doc = "Freezes its process with SIGSTOP, as a hung component"
      + " would be; reverted with SIGCONT.")
  public Fault stop() {
    return process().stop();
  }

  // ------------------------------------------------------------ lifecycle

  private Process launch(String shell, String what) {
    try {
      return ProcessUndo.launch(shell, System.getProperty("user.dir"));
    } catch (IOException e) {
      throw new HostError("cannot " + what + " service " + name + " with '" + shell + "': " + e.getMessage());
    }
  }

  /** Waits until healthy, failing early when the start command exits with an error and nothing runs. */
  private void awaitHealthy(Process launched, long t0, CallContext ctx) {
    long end = t0 + timeout.toNanos();
    while (true) {
      if (healthy(ctx)) return;
      if (launched != null && !launched.isAlive() && launched.exitValue() != 0 && !running()) {
        throw new HostError("service " + name + " did not start: '" + start + "' exited with status " + launched.exitValue(),
            "run it by hand to see why");
      }
      if (System.nanoTime() - end > 0) {
        throw new HostError("service " + name + " is not healthy (" + health.describe() + ") within " + Values.show(timeout)
            + " of starting; its process is " + state());
      }
      ctx.sleep(POLL);
    }
  }

  /** The stop command or SIGTERM, then SIGKILL after the grace; waits until no process runs its command line. */
  private void shutdownNow() {
    try {
      if (!stop.isEmpty()) {
        Process p = ProcessUndo.launch(stop, System.getProperty("user.dir"));
        if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly();
      }
      ProcessTarget p = process();
      if (p.state().equals("gone")) return;
      long pid = p.pid();
      ProcessUndo.signal(pid, "TERM");
      ProcessUndo.signal(pid, "CONT"); // a stopped process acts on SIGTERM only once it runs
      if (gone(p, GRACE)) return;
      ProcessUndo.signal(pid, "KILL");
      if (!gone(p, GRACE)) throw new HostError("service " + name + " (PID " + pid + ") is still there after SIGKILL");
    } catch (IOException e) {
      throw new HostError("cannot shut down service " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.faultline.host.Interrupted("interrupted");
    }
  }

  private static boolean gone(ProcessTarget p, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - end < 0) {
      if (p.state().equals("gone")) return true;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return p.state().equals("gone");
      }
    }
    return p.state().equals("gone");
  }

  private void shutdownQuietly() {
    shutdownNow();
  }

  @Override
  public String show() {
    return "service " + name;
  }
}
