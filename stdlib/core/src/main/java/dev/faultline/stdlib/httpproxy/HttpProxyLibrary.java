package dev.faultline.stdlib.httpproxy;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import dev.faultline.value.Values;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP fault proxy: {@code http_proxy(listen, upstream)}. Stateless; each call starts a new
 * proxy owned by the calling scope.
 */
public final class HttpProxyLibrary implements Library {

  @HostFunction(name = "http_proxy", effect = Effect.ACTION, requires = Capability.NET, doc = "Starts an HTTP/1.1 fault proxy"
      + " that forwards to `upstream`: send requests to its `url`, and inject its `status`, `delay` and `abort` faults."
      + " Without faults everything passes through unchanged (headers, bodies, keep-alive, chunked transfer). It stops,"
      + " and frees its port, when the playbook, scenario or step that started it ends.")
  public HttpLink httpProxy(
      @Arg(name = "listen", doc = "host:port to listen on; port 0 picks a free one", byDefault = "\"127.0.0.1:0\"") String listen,
      @Arg(name = "upstream", doc = "the base URL to forward to: http://host:port", byDefault = "\"http://127.0.0.1:8080\"") String upstream,
      @Arg(name = "name", doc = "a name for logs", byDefault = "\"\"") String name,
      @Arg(name = "seed", doc = "seeds the faults' choice of requests; null picks one and logs it", byDefault = "null") Long seed,
      CallContext ctx) {
    String[] at = hostPort("listen", listen.strip());
    URI up = upstream(upstream.strip());
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    int upPort = up.getPort() < 0 ? 80 : up.getPort();
    String upHost = up.getHost().startsWith("[") ? up.getHost().substring(1, up.getHost().length() - 1) : up.getHost();
    HttpLink link = HttpLink.start(name.strip(), at[0], Integer.parseInt(at[1]), upHost, upPort, s);
    ctx.own(link, "HTTP proxy " + link.url() + " -> " + link.upstream());
    ctx.log("HTTP proxy" + (name.isBlank() ? "" : " '" + name.strip() + "'") + " listening at " + link.url() + ", forwarding to "
        + link.upstream() + " (seed " + s + ", " + Transport.name() + ")");
    return link;
  }

  private static String[] hostPort(String what, String text) {
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "" : text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    String port = colon < 0 ? "" : text.substring(colon + 1);
    if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw new HostError("http_proxy() needs " + what + " as host:port, got " + Values.showNested(text), "e.g. listen: \"127.0.0.1:0\"");
    }
    return new String[] {host, port};
  }

  private static URI upstream(String text) {
    String full = text.contains("://") ? text : "http://" + text;
    URI uri;
    try {
      uri = URI.create(full);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null) {
      throw new HostError("http_proxy() needs upstream as http://host:port, got " + Values.showNested(text),
          "e.g. upstream: svc.url; https upstreams and base paths are not supported");
    }
    return uri;
  }
}
