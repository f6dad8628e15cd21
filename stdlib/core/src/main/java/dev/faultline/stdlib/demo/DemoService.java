package dev.faultline.stdlib.demo;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running demo HTTP service on 127.0.0.1, as playbooks hold it. It is a practice target, not
 * product code: the endpoints are in {@link DemoEndpoints}.
 *
 * <p>Lifecycle: started by {@link #start}, stopped by {@link #stop} (or {@link #close}, which the
 * owning scope calls when it ends); stopping closes the listening socket, so the port is free
 * again once it returns. Thread-safe: requests are served on the service's own small pool.
 */
@HostType(name = "service", doc = "A demo HTTP service on 127.0.0.1 started by demo.service(); it stops when the scope that started it ends.")
public final class DemoService implements HostValue, AutoCloseable {
  /** Rationale: enough for a few concurrent slow requests; a demo needs no more. */
  private static final int WORKERS = 8;
  private static final String HOST = "127.0.0.1";

  static {
    // The JDK server writes a response's headers and body as two TCP segments; with Nagle's
    // algorithm the body then waits for the client's delayed ACK, adding ~40 ms to every request
    // on a kept-alive connection. Rationale: a latency demo must not measure that. The property is
    // the JDK's own switch, read once when its first server starts; a value set by the embedding
    // application is left alone.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final String name;
  private final HttpServer server;
  private final ExecutorService workers;
  private final int port;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** Active outages, newest first; the newest one decides the status served. */
  private final Deque<Outage> outages = new ConcurrentLinkedDeque<>();

  private DemoService(String name, HttpServer server, ExecutorService workers) {
    this.name = name;
    this.server = server;
    this.workers = workers;
    this.port = server.getAddress().getPort();
  }

  /**
   * Binds {@code port} on 127.0.0.1 (0 picks a free one) and starts serving.
   *
   * @throws HostError when the port is taken or cannot be bound
   */
  public static DemoService start(String name, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(HOST), port), 0);
    } catch (BindException e) {
      throw new HostError("port " + port + " on " + HOST + " is in use", "use port: 0 to let the system pick a free port");
    } catch (IOException e) {
      throw new HostError("could not start demo service '" + name + "' on " + HOST + ":" + port + ": " + e.getMessage());
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
      Thread t = new Thread(r, "demo-" + name + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    DemoService service = new DemoService(name, server, workers);
    server.createContext("/", new DemoEndpoints(service));
    server.setExecutor(workers);
    server.start();
    return service;
  }

  // ------------------------------------------------------------ members seen from playbooks

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The base URL, e.g. http://127.0.0.1:41234 (no trailing slash).")
  public String url() {
    return "http://" + HOST + ":" + port;
  }

  @HostFunction(name = "port", effect = Effect.PURE, doc = "The port the service listens on.")
  public int port() {
    return port;
  }

  @HostFunction(name = "name", effect = Effect.PURE, doc = "The name given to demo.service().")
  public String name() {
    return name;
  }

  @HostFunction(name = "health_url", effect = Effect.PURE, doc = "The URL of the health endpoint: url + \"/health\".")
  public String healthUrl() {
    return url() + "/health";
  }

  @HostFunction(name = "requests", effect = Effect.PURE, doc = "How many requests the service has answered so far.")
  public long requests() {
    return requests.get();
  }

  @HostFunction(name = "running", effect = Effect.PURE, doc = "Whether the service is still running.")
  public boolean running() {
    return running.get();
  }

  @HostFunction(name = "stop", effect = Effect.ACTION, doc = "Stops the service now and frees its port; stopping twice is harmless.")
  public void stop() {
    if (!running.compareAndSet(true, false)) return;
    server.stop(0);
    // Wakes handlers sleeping in /api/slow so that no thread outlives the service.
    workers.shutdownNow();
  }

  @Injector(name = "outage", doc = "Makes every endpoint answer `status` (the health endpoint with {\"status\": \"down\"})"
      + " until the fault is reverted.")
  public Fault outage(
      @Arg(name = "status", doc = "the HTTP status every endpoint answers during the outage", byDefault = "503") int status) {
    if (status < 200 || status > 599) {
      throw new HostError("outage() needs a status from 200 to 599, got " + status);
    }
    return new Outage(this, status);
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String show() {
    return "service '" + name + "' at " + url() + (running() ? "" : " (stopped)");
  }

  // ------------------------------------------------------------ for the endpoints

  void counted() {
    requests.incrementAndGet();
  }

  /** The status an outage imposes, or 0 when the service is healthy. */
  int outageStatus() {
    Outage newest = outages.peekFirst();
    return newest == null ? 0 : newest.status();
  }

  /**
   * An injected outage. Inject and revert are idempotent, and each outage is its own marker
   * (identity, not value), so reverting one leaves an overlapping one in place.
   */
  static final class Outage implements Fault {
    private final DemoService service;
    private final int status;

    Outage(DemoService service, int status) {
      this.service = service;
      this.status = status;
    }

    int status() {
      return status;
    }

    @Override
    public String describe() {
      return "outage of demo service '" + service.name + "': every endpoint answers " + status;
    }

    @Override
    public String target() {
      return service.url();
    }

    @Override
    public String kind() {
      return "demo.outage";
    }

    @Override
    public void inject(CallContext context) {
      synchronized (service.outages) {
        if (service.outages.stream().noneMatch(o -> o == this)) service.outages.addFirst(this);
      }
    }

    @Override
    public void revert(CallContext context) {
      service.outages.removeIf(o -> o == this);
    }
  }
}
