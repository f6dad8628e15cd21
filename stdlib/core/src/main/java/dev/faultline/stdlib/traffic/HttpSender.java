package dev.faultline.stdlib.traffic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Sends one prepared HTTP/1.1 request many times over a pool of keep-alive connections, on one
 * Netty event loop. A connection carries one request at a time; when every connection is busy a
 * new one is opened, up to {@code maxConnections}, beyond which requests queue for the next free
 * one (their latency, counted from their due time by the caller, includes the wait).
 *
 * <p>Threading: all pool state is confined to the event loop thread, on which the traffic's
 * schedule runs too ({@link #loop}); {@link #send} from another thread enqueues a task there.
 */
final class HttpSender implements AutoCloseable {
  /** Told once per request, on the event loop: the status, or 0 and why no response arrived. */
  interface Done {
    void done(int status, String error);
  }

  private static final AttributeKey<Done> CURRENT = AttributeKey.valueOf("faultline.traffic.current");
  private static final AttributeKey<ScheduledFuture<?>> TIMER = AttributeKey.valueOf("faultline.traffic.timer");

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelClass;
  private final Bootstrap bootstrap;
  private final InetSocketAddress address;
  private final FullHttpRequest request;
  private final Duration timeout;
  private final int maxConnections;
  private final String where;
  // Event loop only:
  private final ArrayDeque<Channel> idle = new ArrayDeque<>();
  private final ArrayDeque<Done> waiting = new ArrayDeque<>();
  private int open;

  HttpSender(URI uri, String method, Map<String, String> headers, byte[] body, String contentType, Duration timeout, int maxConnections)
      throws SSLException {
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    // Resolved once: a lookup on the event loop would hold up every request behind it.
    this.address = new InetSocketAddress(uri.getHost(), port);
    this.where = uri.getHost() + ":" + port;
    this.timeout = timeout;
    this.maxConnections = maxConnections;
    String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target, Unpooled.wrappedBuffer(body));
    request.headers().set(HttpHeaderNames.HOST, uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
    if (body.length > 0 || !method.equals("GET")) HttpUtil.setContentLength(request, body.length);
    if (contentType != null) request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    headers.forEach((k, v) -> request.headers().set(k, v));
    SslContext ssl = tls ? SslContextBuilder.forClient().build() : null;
    EventLoopGroup epoll = epollGroup();
    if (epoll != null) {
      group = epoll;
      channelClass = epollChannel();
    } else {
      group = new NioEventLoopGroup(1, new DefaultThreadFactory("faultline-traffic", true));
      channelClass = NioSocketChannel.class;
    }
    loop = group.next();
    bootstrap = new Bootstrap().group(group).channel(channelClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), port));
            ch.pipeline().addLast(new HttpClientCodec(), new Responses());
          }
        });
  }

  /**
   * Native epoll when it loads: its timers wake the loop to the microsecond (NIO's to the
   * millisecond), which is what keeps a schedule run on the loop on time. Null otherwise.
   */
  private static EventLoopGroup epollGroup() {
    try {
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
      if (!(Boolean) epoll.getMethod("isAvailable").invoke(null)) return null;
      return (EventLoopGroup) Class.forName("io.netty.channel.epoll.EpollEventLoopGroup")
          .getConstructor(int.class, java.util.concurrent.ThreadFactory.class)
          .newInstance(1, new DefaultThreadFactory("faultline-traffic", true));
    } catch (ReflectiveOperationException | LinkageError | ClassCastException unavailable) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends SocketChannel> epollChannel() {
    try {
      return (Class<? extends SocketChannel>) Class.forName("io.netty.channel.epoll.EpollSocketChannel");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event loop every request, response and timer of this sender runs on. */
  EventLoop loop() {
    return loop;
  }

  /** Hands one request to the event loop; returns at once. Any thread. */
  void send(Done done) {
    if (loop.inEventLoop()) dispatch(done);
    else loop.execute(() -> dispatch(done));
  }

  private void dispatch(Done done) {
    Channel ch;
    while ((ch = idle.pollFirst()) != null) {
      if (ch.isActive()) {
        write(ch, done);
        return;
      }
    }
    if (open < maxConnections) connect(done);
    else waiting.addLast(done);
  }

  private void connect(Done done) {
    open++;
    var f = bootstrap.connect(address);
    f.channel().closeFuture().addListener(c -> {
      open--;
      if (!waiting.isEmpty() && open < maxConnections) connect(waiting.pollFirst());
    });
    f.addListener(c -> {
      if (c.isSuccess()) {
        write(f.channel(), done);
      } else {
        done.done(0, describe(c.cause()));
      }
    });
  }

  private void write(Channel ch, Done done) {
    ch.attr(CURRENT).set(done);
    ch.attr(TIMER).set(ch.eventLoop().schedule(() -> {
      if (ch.attr(CURRENT).compareAndSet(done, null)) {
        done.done(0, "no response within " + dev.faultline.value.Values.show(timeout));
        ch.close();
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS));
    ch.writeAndFlush(request.retainedDuplicate()).addListener(w -> {
      if (!w.isSuccess()) failed(ch, describe(w.cause()));
    });
  }

  private void failed(Channel ch, String why) {
    Done done = ch.attr(CURRENT).getAndSet(null);
    cancelTimer(ch);
    if (done != null) done.done(0, why);
    ch.close();
  }

  private static void cancelTimer(Channel ch) {
    ScheduledFuture<?> t = ch.attr(TIMER).getAndSet(null);
    if (t != null) t.cancel(false);
  }

  /** The connection is free again: the next waiting request, or back to the idle pool. */
  private void release(Channel ch, boolean keepAlive) {
    if (!keepAlive || !ch.isActive()) {
      ch.close();
      return;
    }
    Done next = waiting.pollFirst();
    if (next != null) write(ch, next);
    else idle.addFirst(ch);
  }

  private String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException) return "connection refused by " + where;
      if (c instanceof io.netty.channel.ConnectTimeoutException) return "could not connect to " + where + " within " + dev.faultline.value.Values.show(timeout);
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Reads responses: the status from the head, completion at the last part. */
  private final class Responses extends SimpleChannelInboundHandler<HttpObject> {
    private int status;
    private boolean keepAlive;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse r) {
        status = r.status().code();
        keepAlive = HttpUtil.isKeepAlive(r);
      }
      if (msg instanceof LastHttpContent) {
        Done done = ctx.channel().attr(CURRENT).getAndSet(null);
        cancelTimer(ctx.channel());
        if (done != null) done.done(status, "");
        release(ctx.channel(), keepAlive);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Done done = ctx.channel().attr(CURRENT).getAndSet(null);
      cancelTimer(ctx.channel());
      if (done != null) done.done(0, "the connection to " + where + " was closed before a response arrived");
      idle.remove(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failed(ctx.channel(), describe(cause));
    }
  }

  /** Closes every connection and the event loop; requests still waiting are told they were not sent. */
  @Override
  public void close() {
    try {
      loop.submit(() -> {
        Done d;
        while ((d = waiting.pollFirst()) != null) d.done(0, "not sent: the traffic stopped");
        request.release();
      }).await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // already shut down
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
