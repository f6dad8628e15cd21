package dev.faultline.stdlib.httpproxy;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import dev.faultline.value.Percent;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running HTTP fault proxy, as playbooks hold it ({@code http_link}): where it listens, where it
 * forwards, how many requests it has seen, and injectors for status, delay and abort faults.
 *
 * <p>Lifecycle: started by {@link #start}, stopped by {@link #close} (which the owning scope calls
 * when it ends): the listening socket and every open connection are closed, and the port is free
 * once it returns. Thread-safe: the active faults are a copy-on-write list read by every request on
 * the event loops and changed only by inject and revert.
 */
@HostType(name = "http_link", doc = "An HTTP/1.1 fault proxy started by http_proxy(); it stops when the scope that started it ends.")
public final class HttpLink implements HostValue, AutoCloseable {
  private final String name;
  private final String host;
  private final int port;
  private final String upstreamHost;
  private final int upstreamPort;
  private final long seed;
  private final Channel server;
  private final ChannelGroup connections;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong faultsMade = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** Active faults, oldest first. */
  private final List<HttpFault> faults = new CopyOnWriteArrayList<>();

  private HttpLink(String name, String host, int port, String upstreamHost, int upstreamPort, long seed, Channel server,
      ChannelGroup connections) {
    this.name = name;
    this.host = host;
    this.port = port;
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.seed = seed;
    this.server = server;
    this.connections = connections;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts relaying to the upstream.
   *
   * @throws HostError when the address is taken or cannot be bound
   */
  static HttpLink start(String name, String host, int port, String upstreamHost, int upstreamPort, long seed) {
    ChannelGroup connections = new DefaultChannelGroup("http-proxy-" + name, GlobalEventExecutor.INSTANCE);
    HttpLink[] self = new HttpLink[1];
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(Transport.group())
        .channel(Transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ch.pipeline().addLast(new HttpServerCodec(), new Relay(self[0]));
          }
        });
    ChannelFuture bound = bootstrap.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      Throwable cause = bound.cause();
      if (cause instanceof BindException || (cause != null && String.valueOf(cause.getMessage()).contains("in use"))) {
        throw new HostError("port " + port + " on " + host + " is in use", "use listen: \"" + host + ":0\" to let the system pick a free port");
      }
      throw new HostError("could not start HTTP proxy '" + name + "' on " + host + ":" + port + ": " + cause);
    }
    Channel server = bound.channel();
    int actual = ((InetSocketAddress) server.localAddress()).getPort();
    self[0] = new HttpLink(name, host, actual, upstreamHost, upstreamPort, seed, server, connections);
    return self[0];
  }

  // ------------------------------------------------------------ members seen from playbooks

  @HostFunction(name = "address", effect = Effect.PURE, doc = "Where the proxy listens: \"127.0.0.1:41234\".")
  public String address() {
    return host + ":" + port;
  }

  @HostFunction(name = "port", effect = Effect.PURE, doc = "The port the proxy listens on.")
  public int port() {
    return port;
  }

  @HostFunction(name = "url", effect = Effect.PURE, doc = "The proxy's base URL, e.g. http://127.0.0.1:41234 (no trailing slash):"
      + " send requests here instead of to the upstream.")
  public String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @HostFunction(name = "upstream", effect = Effect.PURE, doc = "The base URL requests are forwarded to, e.g. http://127.0.0.1:8080.")
  public String upstream() {
    return "http://" + (upstreamHost.contains(":") ? "[" + upstreamHost + "]" : upstreamHost) + ":" + upstreamPort;
  }

  @HostFunction(name = "requests", effect = Effect.PROBE, doc = "How many requests the proxy has received so far, faulted or not.")
  public long requests() {
    return requests.get();
  }

  // ------------------------------------------------------------ injectors

  @Injector(name = "status", requires = Capability.NET, doc = "Answers `rate` of the matching requests with `code` at once,"
      + " without contacting the upstream; the rest pass through unchanged.")
  public Fault status(
      @Arg(name = "code", doc = "the status to answer, 100 to 599 (not 101)", byDefault = "503") int code,
      @Arg(name = "rate", doc = "the share of matching requests answered with `code`", byDefault = "100%") Percent rate,
      @Arg(name = "method", doc = "only requests with this method (GET, POST, …); empty for any", byDefault = "\"\"") String method,
      @Arg(name = "path", doc = "only requests whose path matches this glob (`*` any characters, `?` one); empty for any",
          byDefault = "\"\"") String path,
      @Arg(name = "seed", doc = "seeds the choice of requests; null derives one from the link's seed", byDefault = "null") Long seed) {
    if (code < 200 || code > 599) throw new HostError("status() needs a code from 200 to 599, got " + code);
    return fault(HttpFault.Kind.STATUS, code, Duration.ZERO, rate, method, path, seed);
  }

  @Injector(name = "delay", requires = Capability.NET, doc = "Holds `rate` of the matching requests for `by` before forwarding"
      + " them (or answering them, when a status fault also applies); the rest pass through at once.")
  public Fault delay(
      @Arg(name = "by", doc = "how long each chosen request is held", byDefault = "500ms") Duration by,
      @Arg(name = "rate", doc = "the share of matching requests delayed", byDefault = "100%") Percent rate,
      @Arg(name = "method", doc = "only requests with this method (GET, POST, …); empty for any", byDefault = "\"\"") String method,
      @Arg(name = "path", doc = "only requests whose path matches this glob (`*` any characters, `?` one); empty for any",
          byDefault = "\"\"") String path,
      @Arg(name = "seed", doc = "seeds the choice of requests; null derives one from the link's seed", byDefault = "null") Long seed) {
    if (by.isNegative()) throw new HostError("delay() needs a duration of 0 or more, got " + by);
    return fault(HttpFault.Kind.DELAY, 0, by, rate, method, path, seed);
  }

  @Injector(name = "abort", requires = Capability.NET, doc = "Closes the client's connection without a response for `rate` of"
      + " the matching requests; the upstream never sees them.")
  public Fault abort(
      @Arg(name = "rate", doc = "the share of matching requests aborted", byDefault = "100%") Percent rate,
      @Arg(name = "method", doc = "only requests with this method (GET, POST, …); empty for any", byDefault = "\"\"") String method,
      @Arg(name = "path", doc = "only requests whose path matches this glob (`*` any characters, `?` one); empty for any",
          byDefault = "\"\"") String path,
      @Arg(name = "seed", doc = "seeds the choice of requests; null derives one from the link's seed", byDefault = "null") Long seed) {
    return fault(HttpFault.Kind.ABORT, 0, Duration.ZERO, rate, method, path, seed);
  }

  private Fault fault(HttpFault.Kind kind, int code, Duration by, Percent rate, String method, String path, Long seed) {
    if (rate.points() < 0 || rate.points() > 100) {
      throw new HostError(kind.word.substring(5) + "() needs a rate from 0% to 100%, got " + rate);
    }
    if (!method.isBlank() && !method.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new HostError(kind.word.substring(5) + "() needs a method without spaces, e.g. \"GET\"");
    }
    // Each fault of a link gets its own stream of decisions, derived from the link's seed and the
    // order the faults were made in, so a playbook rerun with the same seeds repeats its decisions.
    long s = seed != null ? seed : seed(this.seed, faultsMade.incrementAndGet());
    return new HttpFault(this, kind, code, by, rate, method, path, s);
  }

  private static long seed(long base, long n) {
    long z = base + n * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }

  // ------------------------------------------------------------ for the relay and the faults

  String upstreamHost() {
    return upstreamHost;
  }

  int upstreamPort() {
    return upstreamPort;
  }

  long seed() {
    return seed;
  }

  /** Every open connection, client and upstream side, so that stopping closes them all. */
  ChannelGroup connections() {
    return connections;
  }

  void add(HttpFault fault) {
    synchronized (faults) {
      if (faults.stream().noneMatch(f -> f == fault)) faults.add(fault);
    }
  }

  void remove(HttpFault fault) {
    faults.removeIf(f -> f == fault);
  }

  /** What happens to one request: held for {@code delayNanos}, then aborted, answered with {@code status}, or forwarded (status 0). */
  record Decision(long delayNanos, boolean abort, int status) {
    static final Decision PASS = new Decision(0, false, 0);
  }

  /**
   * Counts the request and decides its fate. Delays of all applying delay faults add up; an
   * applying abort wins over a status; of several applying status faults the newest answers.
   * Every matching fault draws once, applying or not, so each fault's decisions do not depend on
   * what the other faults decided.
   */
  Decision decide(String method, String path) {
    requests.incrementAndGet();
    List<HttpFault> active = faults;
    if (active.isEmpty()) return Decision.PASS;
    long delay = 0;
    boolean abort = false;
    int status = 0;
    for (HttpFault f : active) {
      if (!f.matches(method, path) || !f.applies()) continue;
      switch (f.faultKind()) {
        case DELAY -> delay += f.delay().toNanos();
        case ABORT -> abort = true;
        case STATUS -> status = f.status();
      }
    }
    return delay == 0 && !abort && status == 0 ? Decision.PASS : new Decision(delay, abort, status);
  }

  void stop() {
    if (!running.compareAndSet(true, false)) return;
    faults.clear();
    server.close().awaitUninterruptibly();
    connections.close().awaitUninterruptibly();
  }

  boolean running() {
    return running.get();
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String show() {
    return "http_link" + (name.isEmpty() ? "" : " '" + name + "'") + " " + url() + " -> " + upstream() + (running() ? "" : " (stopped)");
  }
}
