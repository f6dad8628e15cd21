package dev.faultline.stdlib.service;

import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.Function;
import dev.faultline.value.Values;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a service tells that it is healthy: a URL that answers 2xx to a GET within a second, a
 * playbook function that returns true, or (none given) its process running. Immutable.
 */
final class Health {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

  private final String url;
  private final Function check;

  private Health(String url, Function check) {
    this.url = url;
    this.check = check;
  }

  static Health of(Object health) {
    if (health == null) return new Health(null, null);
    if (health instanceof String s) {
      if (!s.startsWith("http://") && !s.startsWith("https://")) {
        throw new HostError("service(): 'health' must be an http:// URL or a function, got " + Values.showNested(s),
            "e.g. health: \"http://127.0.0.1:8080/health\", or health: healthy with fn healthy() { … }");
      }
      return new Health(s, null);
    }
    if (health instanceof Function f) return new Health(null, f);
    throw new HostError("service(): 'health' must be a URL or a function, got " + Values.typeOf(health));
  }

  /** In words, for descriptions. */
  String describe() {
    if (url != null) return "GET " + url + " answers 2xx";
    if (check != null) return check.name() + " returns true";
    return "its process runs";
  }

  /** Whether the service is healthy now; {@code running} is whether its process runs. */
  boolean check(boolean running, CallContext ctx) {
    if (!running) return false;
    if (url != null) return answers(url);
    if (check != null) {
      Object r = check.call(List.of(), Map.of(), ctx);
      if (r instanceof Boolean b) return b;
      throw new HostError("the health function " + check.name() + " returned " + Values.typeOf(r) + ", not true or false");
    }
    return true;
  }

  private static boolean answers(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(PROBE_TIMEOUT).GET().build();
      int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 300;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.faultline.host.Interrupted("interrupted");
    }
  }
}
