package dev.faultline.demoapp;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/** {@code demo-app/run api …}: runs the API until SIGTERM, then shuts it down gracefully. */
public final class ApiCommand {
  private ApiCommand() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ApiConfig());
    ApiConfig config;
    try {
      cli.parseArgs(args);
      if (cli.isUsageHelpRequested()) {
        cli.usage(System.out);
        return;
      }
      if (cli.isVersionHelpRequested()) {
        System.out.println("faultline demo-app api");
        return;
      }
      config = cli.getCommand();
      config.validate();
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      System.err.println("api: " + e.getMessage());
      cli.usage(new PrintWriter(System.err, true));
      System.exit(2);
      return;
    }
    run(config);
  }

  private static void run(ApiConfig config) {
    DemoApi api;
    try {
      api = DemoApi.start(config);
    } catch (java.io.IOException e) {
      System.err.println("api: cannot listen on 127.0.0.1:" + config.port() + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      api.close();
      System.err.println("api: stopped");
      stopped.countDown();
    }, "api-shutdown"));
    // The first line on stdout says where it listens: with --port 0 that is how a caller learns the port.
    System.out.println("listening 127.0.0.1:" + api.port());
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
