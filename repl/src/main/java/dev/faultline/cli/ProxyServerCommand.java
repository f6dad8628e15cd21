package dev.faultline.cli;

import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.FaultJournal;
import dev.faultline.fault.FaultLifecycle;
import dev.faultline.host.HostError;
import dev.faultline.run.ExitCode;
import dev.faultline.stdlib.net.NetLibrary;
import dev.faultline.stdlib.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code faultline proxy-server [--listen 127.0.0.1:8474]}: serves Toxiproxy's HTTP API over
 * Faultline's TCP fault proxy until Ctrl-C or SIGTERM, then reverts every toxic and closes every
 * proxy. Each toxic is a fault of a lifecycle with a fault journal, as in {@code faultline run}.
 * Exit 0 after a clean stop, 4 when a toxic could not be reverted, 2 for bad input.
 */
@Command(name = "proxy-server", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    description = "Serves a Toxiproxy-compatible HTTP API over Faultline's TCP fault proxy until Ctrl-C or SIGTERM.",
    footer = {"", "Existing Toxiproxy clients work unchanged against it. On Ctrl-C or SIGTERM every toxic is reverted and",
        "every proxy closed. Exit codes: 0 stopped cleanly, 2 bad input, 4 a revert failed.", "",
        "See docs/stdlib/toxiproxy.md."})
final class ProxyServerCommand implements Callable<Integer> {
  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8474",
      description = "Where the API listens (default: ${DEFAULT-VALUE}, Toxiproxy's port); port 0 picks a free one.")
  String listen;

  @Option(names = "--journal", paramLabel = "DIR",
      description = "The fault journal directory, where each toxic is recorded before it is injected (default: .faultline/journal).")
  Path journal;

  @Mixin
  CommonOptions common = new CommonOptions();

  private final Invocation io;
  /** Counted down by Ctrl-C or SIGTERM; tests count it down themselves. */
  final CountDownLatch stop = new CountDownLatch(1);

  ProxyServerCommand(Invocation io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    InetSocketAddress at;
    try {
      at = NetLibrary.parseAddress("--listen", listen);
    } catch (HostError e) {
      return bad(e.getMessage(), "e.g. --listen 127.0.0.1:8474");
    }
    Path dir = journal != null ? journal.toAbsolutePath().normalize() : FaultJournal.defaultDir();
    FaultJournal faultJournal = FaultJournal.forRun(dir);
    FaultLifecycle lifecycle = new FaultLifecycle(new FaultLifecycle.Observer() {
      @Override
      public void injected(ActiveFault fault) {
        say("injected: " + fault.fault().describe());
      }

      @Override
      public void reverted(ActiveFault fault, Duration took) {
        say("reverted: " + fault.fault().describe());
      }

      @Override
      public void revertFailed(ActiveFault fault, Throwable cause) {
        say("revert failed: " + fault.fault().describe() + ": " + cause);
      }
    }, Duration.ofSeconds(10), faultJournal);
    ToxiproxyServer server;
    try {
      server = ToxiproxyServer.start(at, lifecycle);
    } catch (IOException e) {
      lifecycle.close();
      return bad("cannot listen on " + listen + ": " + e.getMessage(), "use --listen 127.0.0.1:0 to let the system pick a free port");
    }
    Signal[] signals = {new Signal("INT"), new Signal("TERM")};
    sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[signals.length];
    for (int i = 0; i < signals.length; i++) {
      try {
        previous[i] = Signal.handle(signals[i], s -> stop.countDown());
      } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
        // Not on this platform: the shutdown hook below still stops the server.
      }
    }
    Thread hook = new Thread(() -> {
      stop.countDown();
      server.stop();
    }, "faultline-proxy-server-stop");
    if (io.ownsProcess()) Runtime.getRuntime().addShutdownHook(hook);
    say("toxiproxy-compatible API on " + server.url() + " (journal " + dir + "); Ctrl-C or SIGTERM stops it");
    boolean interrupted = false;
    while (true) {
      try {
        stop.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    say("stopping: reverting every toxic and closing every proxy");
    int failures = server.stop();
    lifecycle.close();
    for (int i = 0; i < signals.length; i++) {
      if (previous[i] != null) Signal.handle(signals[i], previous[i]);
    }
    if (io.ownsProcess()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or ran; it stops the same server, idempotently.
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (failures > 0) {
      say(failures + " toxic(s) could not be reverted; they are in the journal for 'faultline recover'");
      return ExitCode.REVERT_FAILED;
    }
    say("stopped; every toxic reverted");
    return 0;
  }

  private void say(String line) {
    io.out().println(line);
    io.out().flush();
  }

  private int bad(String message, String help) {
    io.err().println("error: " + message);
    io.err().println("  = help: " + help);
    io.err().flush();
    return ExitCode.BAD_INPUT;
  }
}
