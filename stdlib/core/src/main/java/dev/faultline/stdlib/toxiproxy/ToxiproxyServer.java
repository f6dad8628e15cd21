package dev.faultline.stdlib.toxiproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.fault.ActiveFault;
import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultLifecycle;
import dev.faultline.fault.RollbackStack;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.stdlib.net.NetLibrary;
import dev.faultline.stdlib.net.ProxyLink;
import dev.faultline.value.ByteSize;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An HTTP server that speaks Toxiproxy's control API (proxies, toxics, reset, populate, version)
 * over Faultline's own TCP fault proxy. Each toxic is a {@link Fault} on the proxy's link, injected
 * and reverted through a {@link FaultLifecycle}, as is a disabled proxy ({@code down}). Deleting a
 * toxic reverts it; {@link #close} reverts every toxic, closes every proxy and stops listening.
 * Thread-safe: every request is handled under the server's lock.
 */
@HostType(name = "toxiproxy_server", doc = "A Toxiproxy-compatible control API started by toxiproxy_server(): existing Toxiproxy"
    + " clients create proxies and toxics through it. It stops, reverting every toxic and closing every proxy, when the scope"
    + " that started it ends.")
public final class ToxiproxyServer implements HostValue, AutoCloseable {
  /** The Toxiproxy API version this server answers as. */
  public static final String API_VERSION = "2.12.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final ExecutorService executor;
  private final FaultLifecycle lifecycle;
  private final boolean ownsLifecycle;
  private final RollbackStack stack = new RollbackStack("toxiproxy server");
  private final NetLibrary net = new NetLibrary();
  private final CallContext context = CallContext.detached();
  private final Map<String, ProxyState> proxies = new LinkedHashMap<>();
  private boolean closed;

  private static final class ProxyState {
    String name;
    String listen;
    String upstream;
    boolean enabled = true;
    ProxyLink link;
    ActiveFault down;
    final Map<String, ToxicState> toxics = new LinkedHashMap<>();
  }

  private static final class ToxicState {
    String name;
    String type;
    String stream;
    double toxicity;
    ObjectNode attributes;
    ActiveFault handle;
  }

  /** A request that gets a Toxiproxy error body: {"error": message, "status": status}. */
  static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private ToxiproxyServer(HttpServer http, ExecutorService executor, FaultLifecycle lifecycle, boolean ownsLifecycle) {
    this.http = http;
    this.executor = executor;
    this.lifecycle = lifecycle;
    this.ownsLifecycle = ownsLifecycle;
  }

  /**
   * Starts the API on {@code listen}; faults go through {@code lifecycle} (null for one of its own,
   * without a journal, closed with the server).
   */
  public static ToxiproxyServer start(InetSocketAddress listen, FaultLifecycle lifecycle) throws IOException {
    HttpServer http = HttpServer.create(listen, 128);
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "faultline-toxiproxy-api");
      t.setDaemon(true);
      return t;
    });
    boolean own = lifecycle == null;
    FaultLifecycle lc = own ? new FaultLifecycle(new FaultLifecycle.Observer() {}) : lifecycle;
    ToxiproxyServer server = new ToxiproxyServer(http, executor, lc, own);
    http.createContext("/", server::handle);
    http.setExecutor(executor);
    http.start();
    return server;
  }

  // ------------------------------------------------------------ members for playbooks

  @HostFunction(name = "address", effect = Effect.PURE, doc = "Where the API listens: \"127.0.0.1:8474\".")
  public String address() {
    InetSocketAddress a = http.getAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  @HostFunction(name = "port", effect = Effect.PURE, doc = "The port the API listens on.")
  public int port() {
    return http.getAddress().getPort();
  }

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The API's base URL for Toxiproxy clients: \"http://127.0.0.1:8474\".")
  public String url() {
    return "http://" + address();
  }

  @HostFunction(name = "proxy_count", effect = Effect.PROBE, doc = "How many proxies the API has now.")
  public synchronized int proxyCount() {
    return proxies.size();
  }

  @Override
  public String show() {
    return "toxiproxy_server " + url();
  }

  @Override
  public String toString() {
    return show();
  }

  // ------------------------------------------------------------ HTTP

  private void handle(HttpExchange ex) throws IOException {
    int status;
    JsonNode body;
    try {
      String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readAllBytes();
      }
      List<String> path = segments(ex.getRequestURI().getRawPath());
      Object[] result;
      synchronized (this) {
        if (closed) throw new ApiError(503, "server is shutting down");
        result = route(method, path, raw);
      }
      status = (Integer) result[0];
      body = (JsonNode) result[1];
    } catch (ApiError e) {
      status = e.status;
      body = error(e.status, e.getMessage());
    } catch (RuntimeException e) {
      status = 500;
      body = error(500, String.valueOf(e.getMessage()));
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
    } else {
      byte[] out = JSON.writeValueAsBytes(body);
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    }
    ex.close();
  }

  private static ObjectNode error(int status, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("error", message);
    n.put("status", status);
    return n;
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Object[] reply(int status, JsonNode body) {
    return new Object[] {status, body};
  }

  private Object[] route(String method, List<String> p, byte[] raw) {
    boolean write = method.equals("POST") || method.equals("PATCH");
    int n = p.size();
    if (n == 1 && p.get(0).equals("version") && method.equals("GET")) {
      ObjectNode v = JSON.createObjectNode();
      v.put("version", API_VERSION);
      return reply(200, v);
    }
    if (n == 1 && p.get(0).equals("reset") && method.equals("POST")) {
      reset();
      return reply(204, null);
    }
    if (n == 1 && p.get(0).equals("populate") && method.equals("POST")) return reply(201, populate(parse(raw)));
    if (n >= 1 && p.get(0).equals("proxies")) {
      if (n == 1 && method.equals("GET")) {
        ObjectNode all = JSON.createObjectNode();
        for (ProxyState s : proxies.values()) all.set(s.name, proxyJson(s));
        return reply(200, all);
      }
      if (n == 1 && method.equals("POST")) return reply(201, proxyJson(create(parse(raw))));
      ProxyState s = n >= 2 ? proxies.get(p.get(1)) : null;
      if (n >= 2 && s == null) throw new ApiError(404, "proxy not found");
      if (n == 2 && method.equals("GET")) return reply(200, proxyJson(s));
      if (n == 2 && write) return reply(200, proxyJson(update(s, parse(raw))));
      if (n == 2 && method.equals("DELETE")) {
        delete(s);
        return reply(204, null);
      }
      if (n == 3 && p.get(2).equals("toxics")) {
        if (method.equals("GET")) {
          ArrayNode list = JSON.createArrayNode();
          for (ToxicState t : s.toxics.values()) list.add(toxicJson(t));
          return reply(200, list);
        }
        if (method.equals("POST")) return reply(200, toxicJson(addToxic(s, parse(raw))));
      }
      if (n == 4 && p.get(2).equals("toxics")) {
        ToxicState t = s.toxics.get(p.get(3));
        if (t == null) throw new ApiError(404, "toxic not found");
        if (method.equals("GET")) return reply(200, toxicJson(t));
        if (write) return reply(200, toxicJson(updateToxic(s, t, parse(raw))));
        if (method.equals("DELETE")) {
          removeToxic(s, t);
          return reply(204, null);
        }
      }
    }
    throw new ApiError(404, "404 page not found");
  }

  private static JsonNode parse(byte[] raw) {
    try {
      JsonNode n = JSON.readTree(raw);
      if (n == null || n.isMissingNode()) throw new ApiError(400, "bad request body");
      return n;
    } catch (IOException e) {
      throw new ApiError(400, "bad request body: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  // ------------------------------------------------------------ proxies

  private ProxyState create(JsonNode body) {
    if (!body.isObject()) throw new ApiError(400, "bad request body");
    String name = text(body, "name", "");
    String upstream = text(body, "upstream", "");
    String listen = text(body, "listen", "127.0.0.1:0");
    if (name.isEmpty()) throw new ApiError(400, "missing required field: name");
    if (upstream.isEmpty()) throw new ApiError(400, "missing required field: upstream");
    if (proxies.containsKey(name)) throw new ApiError(409, "proxy already exists");
    ProxyState s = new ProxyState();
    s.name = name;
    s.upstream = upstream;
    s.enabled = !body.has("enabled") || body.get("enabled").asBoolean(true);
    start(s, listen);
    proxies.put(name, s);
    return s;
  }

  private void start(ProxyState s, String listen) {
    try {
      InetSocketAddress at = NetLibrary.parseAddress("listen", listen.startsWith(":") ? "0.0.0.0" + listen : listen);
      InetSocketAddress up = NetLibrary.parseAddress("upstream", s.upstream);
      s.link = net.start(s.name, at, up, ThreadLocalRandom.current().nextLong(1, 1_000_000_000L));
    } catch (HostError e) {
      throw new ApiError(400, e.getMessage());
    }
    s.listen = s.link.address();
    if (!s.enabled) s.down = inject(s.link.down());
  }

  private ProxyState update(ProxyState s, JsonNode body) {
    if (!body.isObject()) throw new ApiError(400, "bad request body");
    String listen = text(body, "listen", s.listen);
    String upstream = text(body, "upstream", s.upstream);
    boolean enabled = body.has("enabled") ? body.get("enabled").asBoolean(true) : s.enabled;
    if (!listen.equals(s.listen) || !upstream.equals(s.upstream)) {
      // A new address: the proxy is started again there, with its toxics injected anew.
      String oldUpstream = s.upstream;
      String oldListen = s.listen;
      stopProxy(s);
      s.upstream = upstream;
      s.enabled = enabled;
      try {
        start(s, listen);
      } catch (ApiError e) {
        s.upstream = oldUpstream;
        start(s, oldListen);
        reinject(s);
        throw e;
      }
      reinject(s);
      return s;
    }
    if (enabled != s.enabled) {
      s.enabled = enabled;
      if (!enabled) s.down = inject(s.link.down());
      else {
        revert(s.down);
        s.down = null;
      }
    }
    return s;
  }

  private void reinject(ProxyState s) {
    for (ToxicState t : s.toxics.values()) t.handle = inject(fault(s, t));
  }

  /** Reverts the proxy's toxics and down fault and closes it; its state stays for a restart. */
  private void stopProxy(ProxyState s) {
    List<ToxicState> ts = new ArrayList<>(s.toxics.values());
    for (int i = ts.size() - 1; i >= 0; i--) {
      revert(ts.get(i).handle);
      ts.get(i).handle = null;
    }
    revert(s.down);
    s.down = null;
    s.link.close();
  }

  private void delete(ProxyState s) {
    stopProxy(s);
    proxies.remove(s.name);
  }

  private void reset() {
    for (ProxyState s : proxies.values()) {
      List<ToxicState> ts = new ArrayList<>(s.toxics.values());
      for (int i = ts.size() - 1; i >= 0; i--) removeToxic(s, ts.get(i));
      if (!s.enabled) {
        revert(s.down);
        s.down = null;
        s.enabled = true;
      }
    }
  }

  private JsonNode populate(JsonNode body) {
    if (!body.isArray()) throw new ApiError(400, "bad request body: expected a list of proxies");
    ArrayNode done = JSON.createArrayNode();
    for (JsonNode p : body) {
      String name = text(p, "name", "");
      ProxyState s = proxies.get(name);
      done.add(proxyJson(s == null ? create(p) : update(s, p)));
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("proxies", done);
    return out;
  }

  // ------------------------------------------------------------ toxics

  private ToxicState addToxic(ProxyState s, JsonNode body) {
    if (!body.isObject()) throw new ApiError(400, "bad request body");
    ToxicState t = new ToxicState();
    t.type = text(body, "type", "");
    t.stream = text(body, "stream", "downstream");
    if (!t.stream.equals("upstream") && !t.stream.equals("downstream")) {
      throw new ApiError(400, "invalid stream: " + t.stream + " (upstream or downstream)");
    }
    t.name = text(body, "name", t.type + "_" + t.stream);
    t.toxicity = body.has("toxicity") ? body.get("toxicity").asDouble(1.0) : 1.0;
    t.attributes = body.has("attributes") && body.get("attributes").isObject()
        ? ((ObjectNode) body.get("attributes")).deepCopy() : JSON.createObjectNode();
    if (s.toxics.containsKey(t.name)) throw new ApiError(409, "toxic already exists");
    Fault f = fault(s, t);
    t.handle = inject(f);
    s.toxics.put(t.name, t);
    return t;
  }

  private ToxicState updateToxic(ProxyState s, ToxicState t, JsonNode body) {
    if (!body.isObject()) throw new ApiError(400, "bad request body");
    ToxicState next = new ToxicState();
    next.name = t.name;
    next.type = t.type;
    next.stream = text(body, "stream", t.stream);
    next.toxicity = body.has("toxicity") ? body.get("toxicity").asDouble(t.toxicity) : t.toxicity;
    next.attributes = t.attributes.deepCopy();
    if (body.has("attributes") && body.get("attributes").isObject()) next.attributes.setAll((ObjectNode) body.get("attributes").deepCopy());
    Fault f = fault(s, next); // validated before the old one is reverted
    revert(t.handle);
    next.handle = inject(f);
    s.toxics.put(next.name, next);
    return next;
  }

  private void removeToxic(ProxyState s, ToxicState t) {
    revert(t.handle);
    s.toxics.remove(t.name);
  }

  /** The Faultline fault for a toxic: Toxiproxy's units (ms, KB/s, µs) turned into the link's. */
  private static Fault fault(ProxyState s, ToxicState t) {
    if (t.toxicity < 0 || t.toxicity > 1) throw new ApiError(400, "toxicity must be from 0 to 1, got " + t.toxicity);
    Percent toxicity = new Percent(t.toxicity * 100);
    ProxyLink l = s.link;
    String dir = t.stream;
    ObjectNode a = t.attributes;
    try {
      switch (t.type) {
        case "latency":
          return l.latency(ms(a, "latency"), ms(a, "jitter"), dir, toxicity);
        case "bandwidth":
          return l.bandwidth(new ByteSize(num(a, "rate") * 1000), dir, toxicity);
        case "slow_close":
          return l.slowClose(ms(a, "delay"), dir, toxicity);
        case "timeout":
          return l.timeout(ms(a, "timeout"), dir, toxicity);
        case "reset_peer":
          return l.resetPeer(ms(a, "timeout"), dir, toxicity);
        case "slicer":
          return l.slicer(new ByteSize(num(a, "average_size")), Duration.ofNanos(num(a, "delay") * 1000), dir, toxicity,
              new ByteSize(num(a, "size_variation")));
        case "limit_data":
          return l.limitData(new ByteSize(num(a, "bytes")), dir, toxicity);
        case "loss":
          return l.loss(new Percent(a.path("probability").asDouble(0) * 100), dir, toxicity);
        default:
          throw new ApiError(400, "invalid toxic type: " + t.type);
      }
    } catch (HostError e) {
      throw new ApiError(400, e.getMessage());
    }
  }

  private static Duration ms(ObjectNode a, String field) {
    return Duration.ofNanos(Math.round(a.path(field).asDouble(0) * 1_000_000));
  }

  private static long num(ObjectNode a, String field) {
    return a.path(field).asLong(0);
  }

  private ActiveFault inject(Fault f) {
    try {
      return lifecycle.inject(f, stack, context);
    } catch (HostError e) {
      throw new ApiError(400, e.getMessage());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ApiError(500, e.getMessage());
    }
  }

  private void revert(ActiveFault handle) {
    if (handle == null) return;
    if (!lifecycle.revert(handle, context)) throw new ApiError(500, "could not revert " + handle.fault().describe());
  }

  // ------------------------------------------------------------ JSON

  private static ObjectNode proxyJson(ProxyState s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", s.name);
    n.put("listen", s.listen);
    n.put("upstream", s.upstream);
    n.put("enabled", s.enabled);
    ArrayNode ts = n.putArray("toxics");
    for (ToxicState t : s.toxics.values()) ts.add(toxicJson(t));
    return n;
  }

  private static ObjectNode toxicJson(ToxicState t) {
    ObjectNode n = JSON.createObjectNode();
    n.set("attributes", t.attributes.deepCopy());
    n.put("name", t.name);
    n.put("type", t.type);
    n.put("stream", t.stream);
    n.put("toxicity", t.toxicity);
    return n;
  }

  private static String text(JsonNode body, String field, String otherwise) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? otherwise : v.asText();
  }

  // ------------------------------------------------------------ stop

  /**
   * Reverts every toxic and disabled proxy, closes every proxy and stops the API. Idempotent.
   * Returns how many faults could not be reverted.
   */
  public int stop() {
    synchronized (this) {
      if (closed) return 0;
      closed = true;
    }
    http.stop(0);
    int failures = 0;
    synchronized (this) {
      List<ProxyState> all = new ArrayList<>(proxies.values());
      for (int i = all.size() - 1; i >= 0; i--) {
        ProxyState s = all.get(i);
        List<ToxicState> ts = new ArrayList<>(s.toxics.values());
        for (int j = ts.size() - 1; j >= 0; j--) {
          if (ts.get(j).handle != null && !lifecycle.revert(ts.get(j).handle, context)) failures++;
        }
        if (s.down != null && !lifecycle.revert(s.down, context)) failures++;
        s.link.close();
      }
      proxies.clear();
    }
    executor.shutdownNow();
    if (ownsLifecycle) lifecycle.close();
    return failures;
  }

  @Override
  public void close() {
    int failures = stop();
    if (failures > 0) throw new IllegalStateException(failures + " toxic(s) could not be reverted");
  }
}
