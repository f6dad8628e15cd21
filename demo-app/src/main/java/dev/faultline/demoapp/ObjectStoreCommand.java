package dev.faultline.demoapp;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo-app/run store --port 9000 --dir DIR}: runs the object store until SIGTERM. */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "An S3-like object store on 127.0.0.1: PUT/GET/HEAD/DELETE /{key}, ETag = MD5 of the content.")
public final class ObjectStoreCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000", description = "Port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Directory holding the objects, one file each (created if missing).")
  Path dir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ObjectStoreCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ObjectStore store = ObjectStore.start(port, dir);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      store.close();
      System.err.println("store: stopped");
      stopped.countDown();
    }, "store-shutdown"));
    // The first line on stdout says where it listens: with --port 0 that is how a caller learns the port.
    System.out.println("listening 127.0.0.1:" + store.port());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
