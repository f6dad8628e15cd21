package dev.faultline.stdlib.net;

import dev.faultline.fault.Capability;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Library;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network faults: {@code proxy(listen, upstream)} starts a TCP fault proxy owned by the calling
 * scope, whose {@link ProxyLink} injectors add latency, bandwidth limits, blackholes, resets and
 * more to the traffic through it. The Netty event loop group is made on the first proxy and shared
 * by all proxies of this library instance; the constructor does nothing. Thread-safe.
 */
public final class NetLibrary implements Library {
  private Transport transport;

  private synchronized Transport transport() {
    if (transport == null) transport = Transport.create();
    return transport;
  }

  @HostFunction(name = "proxy", effect = Effect.ACTION, requires = Capability.NET, doc = "Starts a TCP proxy listening on `listen`"
      + " that relays every connection to `upstream`; faults are injected through the returned link. It stops, closing its"
      + " connections and freeing its port, when the playbook, scenario or step that started it ends.")
  public ProxyLink proxy(
      @Arg(name = "listen", doc = "host:port to listen on; port 0 picks a free one", byDefault = "\"127.0.0.1:0\"") String listen,
      @Arg(name = "upstream", doc = "host:port to relay connections to") String upstream,
      @Arg(name = "name", doc = "a name for logs and fault descriptions", byDefault = "\"\"") String name,
      @Arg(name = "seed", doc = "decides which connections a toxicity below 100% affects and which chunks loss() holds;"
          + " null picks one and prints it", byDefault = "null") Long seed,
      @Arg(name = "buffer", doc = "how much delayed data one direction of one connection may hold before the proxy stops"
          + " reading from its sender (backpressure, like a TCP window); with a latency fault, throughput per connection"
          + " is at most buffer / delay", byDefault = "128MiB") dev.faultline.value.ByteSize buffer,
      CallContext ctx) {
    if (buffer.bytes() < 64 * 1024) {
      throw new HostError("proxy() needs a buffer of at least 64KiB, got " + buffer, "the default, 128MiB, suits most links");
    }
    InetSocketAddress listenAt = address("listen", listen);
    InetSocketAddress upstreamAt = address("upstream", upstream);
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    TcpProxy proxy = TcpProxy.start(name, listenAt, upstreamAt, s, transport());
    proxy.pipeBound = buffer.bytes();
    ProxyLink link = new ProxyLink(proxy);
    ctx.own(link, "proxy " + link.label() + " → " + link.upstream());
    ctx.log("proxy " + link.label() + " → " + link.upstream() + " (seed " + s + ")");
    return link;
  }

  /**
   * Starts a proxy for Java callers (the Toxiproxy-compatible server): owned by no scope, so the
   * caller must close the returned link. Throws {@link HostError} when it cannot listen.
   */
  public ProxyLink start(String name, InetSocketAddress listen, InetSocketAddress upstream, long seed) {
    return new ProxyLink(TcpProxy.start(name, listen, upstream, seed, transport()));
  }

  /** Parses "host:port" as proxy() does; {@code param} names it in the error. */
  public static InetSocketAddress parseAddress(String param, String text) {
    return address(param, text);
  }

  static InetSocketAddress address(String param, String text) {
    int colon = text.lastIndexOf(':');
    String example = "e.g. " + param + ": \"127.0.0.1:5432\"";
    if (colon <= 0) throw new HostError("proxy() needs " + param + " as host:port, got \"" + text + "\"", example);
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new HostError("proxy() needs " + param + " as host:port, got \"" + text + "\"", example);
    }
    if (port < 0 || port > 65535) throw new HostError("proxy() needs a port from 0 to 65535 in " + param + ", got " + port);
    InetSocketAddress a = new InetSocketAddress(host, port);
    if (a.isUnresolved()) throw new HostError("proxy(): cannot resolve host '" + host + "' in " + param);
    return a;
  }
}
