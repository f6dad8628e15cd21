package dev.faultline.stdlib.net;

import dev.faultline.host.HostError;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running TCP proxy: a listening socket, the connections through it and the toxics applied to
 * them. Thread-safe: the toxic list is copy-on-write (each chunk reads it once, on its loop), the
 * connection set is concurrent, and {@link #stop}, {@link #goDown} and {@link #comeUp} are
 * synchronized. The proxy stops when its owning scope ends; stopping closes every connection and
 * frees the port before it returns.
 */
final class TcpProxy {
  /**
   * Rationale: bytes a pipe may hold in delayed chunks before it stops reading. 128 MiB lets one
   * connection under a 50 ms latency fault carry about 21 Gbit/s (bound / delay), above what a
   * loopback connection carries here without a fault (bench/results/proxy.md, goal 6); 64 MiB capped
   * it at 0.6× of no fault, 4 MiB at 0.66 Gbit/s. Only delayed chunks count, and only while a delay
   * holds them.
   */
  static final long PIPE_BOUND = 128L << 20;
  /** This proxy's bound, {@link #PIPE_BOUND} unless {@code proxy(buffer: …)} says otherwise. */
  volatile long pipeBound = PIPE_BOUND;
  private static final long STOP_WAIT_SECONDS = 10;
  /**
   * Rationale: how much written-but-unsent data a side may hold before its source stops reading.
   * Netty's default (64 KiB) stops and restarts reading after nearly every bulk read, an epoll
   * change each time; 1 MiB lets a read batch through in one write. Idle connections hold none.
   */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 << 10, 1 << 20);

  final String name;
  final String host;
  final InetSocketAddress upstream;
  final long seed;
  final List<Toxic> toxics = new CopyOnWriteArrayList<>();
  private final Transport transport;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong serials = new AtomicLong();
  private final AtomicLong toxicSerials = new AtomicLong();
  private final int port;
  private Channel listener;
  private boolean stopped;
  /**
   * False once {@link #stop} or {@link #goDown} begins. A connection accepted while they cut the
   * open ones checks it after joining {@link #connections} and closes itself, so none slips by.
   */
  private volatile boolean accepting = true;

  private TcpProxy(String name, String host, InetSocketAddress upstream, long seed, Transport transport, Channel listener) {
    this.name = name;
    this.host = host;
    this.upstream = upstream;
    this.seed = seed;
    this.transport = transport;
    this.listener = listener;
    this.port = ((InetSocketAddress) listener.localAddress()).getPort();
  }

  static TcpProxy start(String name, InetSocketAddress listen, InetSocketAddress upstream, long seed, Transport transport) {
    TcpProxy[] self = new TcpProxy[1];
    Channel listener = bind(transport, listen, () -> self[0]);
    self[0] = new TcpProxy(name, listen.getHostString(), upstream, seed, transport, listener);
    return self[0];
  }

  private static Channel bind(Transport transport, InetSocketAddress listen, java.util.function.Supplier<TcpProxy> self) {
    ServerBootstrap b = new ServerBootstrap()
        .group(transport.group)
        .channel(transport.serverClass)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 << 10, 256 << 10))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            TcpProxy proxy = self.get();
            if (proxy == null) ch.close();
            else proxy.accepted(ch);
          }
        });
    ChannelFuture f = b.bind(listen).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new HostError("proxy(): cannot listen on " + listen.getHostString() + ":" + listen.getPort() + ": "
          + f.cause().getMessage(), "use listen: \"127.0.0.1:0\" to let the system pick a free port");
    }
    return f.channel();
  }

  int port() {
    return port;
  }

  int connectionCount() {
    return connections.size();
  }

  long nextToxicSerial() {
    return toxicSerials.incrementAndGet();
  }

  /** A new client: connect upstream on the same loop, then start reading both sides. */
  private void accepted(SocketChannel client) {
    Connection c = new Connection(this, client, serials.incrementAndGet());
    connections.add(c);
    if (!accepting) {
      c.close();
      return;
    }
    client.pipeline().addLast(c.new Relay(true));
    Bootstrap b = new Bootstrap()
        .group(client.eventLoop())
        .channel(transport.clientClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 << 10, 256 << 10))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(c.new Relay(false));
    ChannelFuture connect = b.connect(upstream);
    c.server = connect.channel();
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        c.close();
        return;
      }
      for (Toxic t : toxics) c.added(t);
      c.up.updateReading();
      c.down.updateReading();
    });
  }

  void forget(Connection c) {
    connections.remove(c);
  }

  void add(Toxic t) {
    if (toxics.stream().anyMatch(x -> x == t)) return;
    toxics.add(t);
    for (Connection c : connections) c.execute(() -> c.added(t));
  }

  void remove(Toxic t) {
    toxics.removeIf(x -> x == t);
    for (Connection c : connections) c.execute(() -> c.removed(t));
  }

  /** down(): the port is closed (new connections are refused) and every connection is cut. */
  synchronized void goDown() {
    if (stopped || listener == null) return;
    accepting = false;
    listener.close().awaitUninterruptibly();
    listener = null;
    closeAll();
  }

  /** The port is bound again, the same one; an error when someone else took it meanwhile. */
  synchronized void comeUp() {
    if (stopped || listener != null) return;
    accepting = true;
    listener = bind(transport, new InetSocketAddress(host, port), () -> this);
  }

  synchronized boolean isDown() {
    return listener == null && !stopped;
  }

  synchronized boolean isRunning() {
    return !stopped;
  }

  /** Stops listening and closes every connection; returns once their sockets are closed. Idempotent. */
  synchronized void stop() {
    if (stopped) return;
    stopped = true;
    accepting = false;
    toxics.clear();
    if (listener != null) listener.close().awaitUninterruptibly();
    listener = null;
    closeAll();
  }

  private void closeAll() {
    List<ChannelFuture> closing = new ArrayList<>();
    for (Connection c : connections) {
      closing.add(c.client.closeFuture());
      if (c.server != null) closing.add(c.server.closeFuture());
      c.execute(c::close);
    }
    for (ChannelFuture f : closing) f.awaitUninterruptibly(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
