package dev.faultline.stdlib.hooks;

import dev.faultline.host.HostError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The only door from a hook to the host: the object the prelude receives and wraps into the global
 * {@code faultline}. Each member is a function of plain values; none returns a Java object (results
 * are proxies of plain data that the prelude copies). Called on the hook thread only.
 */
final class HookHost implements ProxyObject {
  private static final Set<String> MEMBERS = Set.of("register", "log", "sleep", "http", "params", "recorded", "call");
  /** Rationale: one client per process: it holds a connection pool and a selector thread. */
  private static volatile HttpClient client;

  private final JsHook hook;

  HookHost(JsHook hook) {
    this.hook = hook;
  }

  @Override
  public Object getMember(String key) {
    return switch (key) {
      case "register" -> (ProxyExecutable) a -> {
        hook.register(a[0].asString(), a[1].asString(), a[2]);
        return null;
      };
      case "log" -> (ProxyExecutable) a -> {
        hook.current().log(a[0].asString());
        return null;
      };
      case "sleep" -> (ProxyExecutable) a -> {
        sleep(a[0]);
        return null;
      };
      case "http" -> (ProxyExecutable) this::http;
      case "call" -> (ProxyExecutable) a -> call(a[0], a[1].asString(), a[2], a[3].asBoolean());
      case "params" -> (ProxyExecutable) a -> JsValues.toGuest(hook.current().params(), 0);
      case "recorded" -> (ProxyExecutable) a -> JsValues.toGuest(hook.current().recorded(), 0);
      default -> null;
    };
  }

  /**
   * {@code faultline.call(…)} and {@code faultline.inject(…)}: a function of the playbook (a global
   * one by name, or a member of a host value the hook was given), called with the run's context, so
   * that {@code --allow} gates it as it gates the playbook. An injector's fault is injected at once
   * and belongs to the hook's fault whose {@code inject} is under way: it is reverted with it, after
   * the hook's own {@code revert()}.
   */
  private Object call(Value target, String name, Value argsValue, boolean inject) {
    var ctx = hook.current();
    Object named = JsValues.fromGuest(argsValue, "the arguments of " + name + "()");
    if (!(named instanceof Map<?, ?> argsMap)) throw new HostError("faultline." + (inject ? "inject" : "call") + "(): arguments must be an object of named arguments");
    @SuppressWarnings("unchecked")
    Map<String, Object> args = (Map<String, Object>) argsMap;
    dev.faultline.host.HostCall fn;
    if (target == null || target.isNull()) {
      var found = ctx.function(name);
      if (found.isEmpty() || !(found.get() instanceof dev.faultline.host.HostCall hc)) {
        throw new HostError("faultline." + (inject ? "inject" : "call") + "(): the playbook has no function '" + name + "'");
      }
      fn = hc;
    } else {
      Object value = JsValues.fromGuest(target, "the target of " + name + "()");
      var info = value == null ? null : dev.faultline.host.HostRegistry.typeInfo(value.getClass());
      var sig = info == null ? null : info.members().get(name);
      if (sig == null) throw new HostError("faultline." + (inject ? "inject" : "call") + "(): " + dev.faultline.value.Values.typeOf(value) + " has no member '" + name + "'");
      fn = new dev.faultline.host.HostCall(sig, value);
    }
    // Rationale: a hook function called from a hook would wait for a hook thread, maybe its own.
    if (fn.signature().method() == null) throw new HostError("a hook cannot call hook functions ('" + name + "')");
    if (inject != fn.signature().isInjector()) {
      throw new HostError(inject ? "'" + name + "' is not an injector; use faultline.call" : "'" + name + "' is an injector; use faultline.inject inside inject()");
    }
    Object result = fn.call(List.of(), args, ctx);
    if (!inject) return JsValues.toGuest(result, 0);
    HookFault owner = hook.injecting();
    if (owner == null) throw new HostError("faultline.inject() can only be used inside an injector's inject()");
    dev.faultline.fault.Fault fault = (dev.faultline.fault.Fault) result;
    try {
      fault.inject(ctx);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new HostError("could not inject " + fault.describe() + ": " + e.getMessage(), null, e);
    } finally {
      owner.adopt(fault);  // reverted with its owner even when its inject failed half-way
    }
    return fault.describe();
  }

  /**
   * {@code faultline.sleep(ms)}: through the run, so Ctrl-C or a breach ends it. Rationale: a sleep
   * past the call's time limit would only be cut short by it, so it is refused at once.
   */
  private void sleep(Value ms) {
    if (!ms.isNumber() || ms.asDouble() < 0) throw new HostError("faultline.sleep() needs a duration or milliseconds at least 0");
    long nanos = Math.round(ms.asDouble() * 1e6);
    if (nanos > hook.remainingNanos()) {
      throw new HostError("faultline.sleep(" + JsHook.show(Duration.ofNanos(nanos)) + ") would run past the call's time limit",
          "sleep less, or give the function a longer 'timeout' in its spec");
    }
    hook.current().sleep(Duration.ofNanos(nanos));
  }

  /** {@code host.http(method, url, body, headersJson, timeoutMs)}: a response, or status 0 and why not. */
  private Object http(Value... a) {
    String method = a[0].asString();
    String url = a[1].asString();
    String body = a[2].isNull() ? null : a[2].asString();
    Map<String, Object> headers = parseHeaders(a[3].asString());
    long timeoutMs = Math.max(1, Math.min(a[4].asLong(), Math.max(1, hook.remainingNanos() / 1_000_000)));
    hook.current().checkInterrupted();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("__map", true);
    HttpRequest.Builder req;
    try {
      req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (body != null && !headers.containsKey("Content-Type")) req.header("Content-Type", "application/json");
      headers.forEach((k, v) -> req.header(k, String.valueOf(v)));
    } catch (IllegalArgumentException e) {
      throw new HostError("faultline.http: " + e.getMessage());
    }
    long start = System.nanoTime();
    try {
      HttpResponse<String> r = client().send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      out.put("status", (long) r.statusCode());
      out.put("body", r.body());
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("__map", true);
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
      out.put("headers", ProxyObject.fromMap(h));
      out.put("error", "");
    } catch (IOException e) {
      out.put("status", 0L);
      out.put("body", "");
      out.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.faultline.host.Interrupted("interrupted during an HTTP request of a hook");
    }
    out.put("latency_ms", (System.nanoTime() - start) / 1e6);
    return ProxyObject.fromMap(out);
  }

  private static Map<String, Object> parseHeaders(String json) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
      return m;
    } catch (IOException e) {
      throw new HostError("faultline.http: headers must be an object of strings");
    }
  }

  private static HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (HookHost.class) {
        if (client == null) client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        c = client;
      }
    }
    return c;
  }

  @Override
  public Object getMemberKeys() {
    return List.copyOf(MEMBERS).toArray();
  }

  @Override
  public boolean hasMember(String key) {
    return MEMBERS.contains(key);
  }

  @Override
  public void putMember(String key, Value value) {
    throw new UnsupportedOperationException("the host object is read-only");
  }
}
