package dev.faultline.demoapp;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo-app/run lb --port 8080 --backends URL,URL}: runs the load balancer until SIGTERM. */
@Command(name = "lb", mixinStandardHelpOptions = true,
    description = "A round-robin HTTP load balancer on 127.0.0.1 that routes around backends that fail.")
public final class LoadBalancerCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--backends", paramLabel = "URL,URL", required = true, split = ",",
      description = "The backends, e.g. http://127.0.0.1:8081,http://127.0.0.1:8082.")
  List<URI> backends;

  @Option(names = "--health-path", paramLabel = "PATH", defaultValue = "/health/ready",
      description = "Checked on every backend every 500 ms; a backend is in rotation while it answers 200 (default ${DEFAULT-VALUE}).")
  String healthPath;

  @Option(names = "--no-failover", description = "Route strictly round-robin: a request that reaches a dead backend fails (502) instead of being sent to the next one, and health checks do not take backends out of rotation.")
  boolean noFailover;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadBalancerCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    LoadBalancer lb = LoadBalancer.start(port, backends, healthPath, !noFailover);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      lb.close();
      System.err.println("lb: stopped");
      stopped.countDown();
    }, "lb-shutdown"));
    System.out.println("listening 127.0.0.1:" + lb.port());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
