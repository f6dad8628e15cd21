package dev.faultline.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code /metrics} in Prometheus's text format from a registry of its own, on a loopback
 * port (0 picks a free one), for as long as it is open: {@code faultline run --metrics-port N}.
 * Its {@link #metrics()} listener is what runs report to. Close it to free the port.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RunMetrics metrics = new RunMetrics(registry);
  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code /metrics} on {@code host:port}, on a daemon thread of its own.
   *
   * @param host the address to listen on ({@code 127.0.0.1})
   * @param port the port; 0 picks a free one
   * @return the running endpoint; close it to stop
   * @throws UncheckedIOException naming the address when it cannot be bound (taken, not local)
   */
  public static MetricsEndpoint start(String host, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "faultline-metrics");
      t.setDaemon(true);
      return t;
    });
    MetricsEndpoint endpoint = new MetricsEndpoint(server, executor);
    server.createContext("/metrics", endpoint::serve);
    server.setExecutor(executor);
    server.start();
    return endpoint;
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
      if (!ex.getRequestMethod().equals("HEAD")) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** {@return the listener to give runs}; its meters are the ones this endpoint serves */
  public RunMetrics metrics() {
    return metrics;
  }

  /** {@return the port it listens on}, the one picked when 0 was asked for */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@return the URL Prometheus scrapes}: {@code http://127.0.0.1:9464/metrics} */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port() + "/metrics";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    registry.close();
  }
}
