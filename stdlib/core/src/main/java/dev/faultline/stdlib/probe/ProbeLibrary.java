package dev.faultline.stdlib.probe;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Interrupted;
import dev.faultline.host.Library;
import dev.faultline.source.PlaybookError;
import dev.faultline.stdlib.http.HttpLibrary;
import dev.faultline.stdlib.http.Json;
import dev.faultline.stdlib.process.ProcessLibrary;
import dev.faultline.value.Function;
import dev.faultline.value.Values;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes beyond HTTP and TCP: {@code command()} (an exit code and its output, needs {@code --allow
 * exec}), {@code prometheus.query()} (a PromQL instant query against the Prometheus HTTP API), and
 * {@code probe()}, the generic wrapper any probe-like host function satisfies.
 *
 * <p>As with the HTTP probes, a target that does not answer is a result with {@code ok} false and
 * an {@code error}, never a failed step; every sample is reported to the run's measurements
 * (event {@code probe}). Threading: stateless but for one lazily created HTTP client, thread-safe.
 */
public final class ProbeLibrary implements Library {
  /** Rationale: a probe reads a status, not a log file; a runaway command must not fill the heap. */
  static final int MAX_OUTPUT = 1 << 20;

  private final Object clientLock = new Object();
  private HttpClient client;

  public ProbeLibrary() {}

  private HttpClient client() {
    synchronized (clientLock) {
      if (client == null) client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      return client;
    }
  }

  // ------------------------------------------------------------ probe

  @HostFunction(name = "probe", effect = Effect.PROBE, doc = "Runs a check and records it in the report as a named probe:"
      + " `check` is a function called with no arguments (a `fn`), or a value already computed (e.g. db.ping()). The outcome"
      + " is the value's `ok` member, or the value itself when it is true or false, or else true; the latency is the value's"
      + " `latency` member, or how long the call took. An error in the check is a failed probe, not a failed step.")
  public ProbeResult probe(
      @Arg(name = "name", doc = "the probe's name in the report") String name,
      @Arg(name = "check", doc = "a function to call, or a result to record") Object check,
      CallContext ctx) {
    long start = System.nanoTime();
    Object value;
    try {
      value = check instanceof Function f ? f.call(List.of(), Map.of(), ctx) : check;
    } catch (HostError | PlaybookError e) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String why = e instanceof PlaybookError pe ? pe.first().message() : e.getMessage();
      ctx.measurements().probed(name, false, took, why, ctx.at());
      return new ProbeResult(name, false, took, null, why);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Duration latency = Members.read(value, "latency").orElse(null) instanceof Duration d ? d : took;
    boolean ok;
    if (value instanceof Boolean b) ok = b;
    else ok = !(Members.read(value, "ok").orElse(Boolean.TRUE) instanceof Boolean b) || b;
    String detail = Members.read(value, "error").orElse("") instanceof String s ? s : "";
    ctx.measurements().probed(name, ok, latency, detail, ctx.at());
    return new ProbeResult(name, ok, latency, value, detail);
  }

  // ------------------------------------------------------------ command

  @HostFunction(name = "command", effect = Effect.PROBE, requires = Capability.EXEC, doc = "Runs a command (split into words like a"
      + " shell does, without running one) and returns its exit code and output. A command that cannot start or runs past"
      + " `timeout` (it is killed) is a result with `error` set; the step does not fail. Not run in a dry run.")
  public CommandResult command(
      @Arg(name = "command", doc = "the command line, e.g. \"systemctl is-active nginx\"; quotes group words") String command,
      @Arg(name = "timeout", doc = "how long it may run before it is killed", byDefault = "10s") Duration timeout,
      CallContext ctx) {
    if (timeout.isNegative() || timeout.isZero()) throw new HostError("command() needs a positive 'timeout', got " + Values.show(timeout));
    List<String> argv;
    try {
      argv = ProcessLibrary.words(command);
    } catch (HostError e) {
      throw new HostError(e.getMessage().replace("spawn()", "command()"));
    }
    if (argv.isEmpty()) throw new HostError("command() needs a command, got " + Values.showNested(command));
    if (ctx.isDryRun()) {
      // Rationale: a command may change what it touches; nothing says this one only reads.
      ctx.log("not run in a dry run: " + command);
      return new CommandResult(command, -1, "", "", Duration.ZERO, "not run: a dry run runs no commands");
    }
    long start = System.nanoTime();
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    } catch (IOException e) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String m = String.valueOf(e.getMessage());
      String why = "cannot run '" + argv.get(0) + "': " + (m.contains("error=") ? m.substring(m.indexOf("error=")) : m);
      ctx.measurements().probed("command " + command, false, took, why, ctx.at());
      return new CommandResult(command, -1, "", "", took, why);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    String error = "";
    long deadline = start + timeout.toNanos();
    try {
      while (!p.waitFor(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))), TimeUnit.MILLISECONDS)) {
        ctx.checkInterrupted();
        if (System.nanoTime() >= deadline) {
          error = "still running after " + Values.show(timeout) + "; killed";
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new Interrupted("interrupted");
    } catch (Interrupted e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw e;
    }
    if (!error.isEmpty()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long exit = error.isEmpty() ? p.exitValue() : -1;
    String stdout = out.join();
    String stderr = err.join();
    ctx.measurements().probed("command " + command, error.isEmpty() && exit == 0, took, error.isEmpty() ? "exit " + exit : error, ctx.at());
    return new CommandResult(command, exit, stdout, stderr, took, error);
  }

  private static String drain(InputStream in) {
    try (in) {
      byte[] kept = in.readNBytes(MAX_OUTPUT);
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return new String(kept, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  // ------------------------------------------------------------ prometheus

  @HostFunction(name = "prometheus.query", effect = Effect.PROBE, doc = "Sends a PromQL instant query to a Prometheus HTTP API"
      + " (GET /api/v1/query) and returns the scalar or vector it answers. When Prometheus cannot answer (unreachable, bad"
      + " PromQL, timed out) the result has `ok` false and `error` set; the step does not fail.")
  public PromResult prometheusQuery(
      @Arg(name = "url", doc = "the Prometheus base URL, e.g. \"http://127.0.0.1:9090\"") String url,
      @Arg(name = "query", doc = "the PromQL expression, e.g. \"sum(rate(http_requests_total{code=~\\\"5..\\\"}[1m]))\"") String query,
      @Arg(name = "timeout", doc = "how long to wait for the answer", byDefault = "5s") Duration timeout,
      CallContext ctx) {
    if (timeout.isNegative() || timeout.isZero()) throw new HostError("query() needs a positive 'timeout', got " + Values.show(timeout));
    String base = url.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
      if (uri.getHost() == null || !(base.startsWith("http://") || base.startsWith("https://"))) throw new IllegalArgumentException();
    } catch (IllegalArgumentException e) {
      throw new HostError("query() needs the Prometheus base URL, got " + Values.showNested(url), "write e.g. \"http://127.0.0.1:9090\"");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
    long start = System.nanoTime();
    PromResult result;
    CompletableFuture<HttpResponse<String>> pending = client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      HttpResponse<String> response = waitFor(pending, start + timeout.toNanos(), ctx);
      result = parse(query, response, Duration.ofNanos(System.nanoTime() - start));
    } catch (TimeoutException e) {
      result = PromResult.failure(query, Duration.ofNanos(System.nanoTime() - start), "no answer within " + Values.show(timeout));
    } catch (ExecutionException e) {
      result = PromResult.failure(query, Duration.ofNanos(System.nanoTime() - start), HttpLibrary.describe(e.getCause(), uri, timeout));
    }
    ctx.measurements().probed("promql " + query, result.ok(), result.latency(),
        result.ok() ? result.kind() + ", " + result.series() + " series" : result.error(), ctx.at());
    return result;
  }

  private static <T> T waitFor(CompletableFuture<T> f, long deadline, CallContext ctx) throws TimeoutException, ExecutionException {
    try {
      while (true) {
        ctx.checkInterrupted();
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new TimeoutException();
        try {
          return f.get(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slice) {
          // check for an interruption, then wait another slice
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Interrupted("interrupted");
        }
      }
    } finally {
      if (!f.isDone()) f.cancel(true);
    }
  }

  /** The Prometheus API's envelope: {"status": "success", "data": {"resultType": …, "result": …}} or an error. */
  static PromResult parse(String query, HttpResponse<String> response, Duration latency) {
    Object body;
    try {
      body = Json.parse(response.body());
    } catch (IOException e) {
      return PromResult.failure(query, latency, "status " + response.statusCode() + " with a body that is not JSON; is this a Prometheus API?");
    }
    if (!(body instanceof Map<?, ?> envelope)) return PromResult.failure(query, latency, "an answer that is not a Prometheus API response");
    if (!"success".equals(envelope.get("status"))) {
      return PromResult.failure(query, latency, envelope.get("errorType") + ": " + envelope.get("error"));
    }
    Map<?, ?> data = envelope.get("data") instanceof Map<?, ?> d ? d : Map.of();
    String kind = String.valueOf(data.get("resultType"));
    List<Map<String, Object>> samples = new ArrayList<>();
    Object result = data.get("result");
    switch (kind) {
      case "scalar" -> samples.add(sample(Map.of(), result));
      case "vector" -> {
        for (Object s : result instanceof List<?> l ? l : List.of()) {
          Map<?, ?> m = (Map<?, ?>) s;
          samples.add(sample(m.get("metric") instanceof Map<?, ?> labels ? labels : Map.of(), m.get("value")));
        }
      }
      default -> {
        return PromResult.failure(query, latency, "a " + kind + " result; an instant query probe takes a scalar or a vector");
      }
    }
    return new PromResult(query, kind, samples, latency, "");
  }

  /** A [timestamp, "value"] pair with its labels; Prometheus writes values as strings ("NaN", "+Inf" included). */
  private static Map<String, Object> sample(Map<?, ?> labels, Object pair) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> l = new LinkedHashMap<>();
    labels.forEach((k, v) -> l.put(String.valueOf(k), String.valueOf(v)));
    out.put("labels", l);
    Object raw = pair instanceof List<?> p && p.size() == 2 ? p.get(1) : null;
    double v;
    try {
      v = Double.parseDouble(String.valueOf(raw).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    out.put("value", v == Math.rint(v) && Math.abs(v) < 9e15 ? (Object) (long) v : (Object) v);
    return out;
  }
}
