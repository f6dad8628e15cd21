package dev.faultline.stdlib.httpproxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Relays one client connection of an {@link HttpLink} to the upstream, one request at a time:
 * each request head is decided on ({@link HttpLink#decide}), held on the event loop's scheduler
 * when delayed, then aborted, answered, or streamed to the upstream part by part, and the response
 * streamed back part by part. Nothing is aggregated: bodies cross as the codecs' chunks, chunked
 * messages stay chunked and Content-Length ones keep their length.
 *
 * <p>Keep-alive on both sides: the upstream connection is opened on the first forwarded request
 * and reused while both ends keep it alive. Requests on one connection are served in order (a
 * pipelined request waits in {@code backlog} until the response before it is complete), so a
 * fault's response can never overtake a forwarded one.
 *
 * <p>Backpressure: the client is read only while its request can go somewhere (the upstream is
 * writable), and the upstream only while the client is writable. Threading: everything, the
 * upstream channel included, runs on the client channel's event loop, so no state here is shared.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  /** Rationale: an unreachable upstream should fail a request in seconds, not hang a scenario. */
  private static final int CONNECT_TIMEOUT_MS = 5000;

  private enum Mode {
    /** No request under way. */
    IDLE,
    /** A request head is held: delayed, or its upstream connection is being opened. */
    WAITING,
    /** The request is being streamed to the upstream. */
    FORWARD,
    /** The request was answered by a fault; the rest of its body is read and dropped. */
    DISCARD
  }

  private final HttpLink link;
  private Channel client;
  private Channel upstream;
  private Mode mode = Mode.IDLE;
  /** Parts of the held request, in order. */
  private final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
  /** What the client sent after the current request, kept until its response is complete. */
  private final ArrayDeque<Object> backlog = new ArrayDeque<>();
  private boolean clientKeepAlive;
  private HttpVersion requestVersion = HttpVersion.HTTP_1_1;
  private HttpMethod requestMethod = HttpMethod.GET;
  private boolean requestDone;
  /** The client waits for 100 Continue before sending the body. */
  private boolean expectsContinue;
  private boolean responseDone;
  /** The response is delimited by closing the connection, or the client asked for close. */
  private boolean closeAfterResponse;

  Relay(HttpLink link) {
    this.link = link;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    client = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    handle(msg);
  }

  private void handle(Object msg) {
    if (mode != Mode.IDLE && (requestDone || msg instanceof HttpRequest)) {
      backlog.add(msg);
      updateReading();
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (request.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        clientKeepAlive = false;
        respond(400, "bad request: " + request.decoderResult().cause().getMessage());
        return;
      }
      begin(request);
      if (msg instanceof LastHttpContent) requestDone = true;
      HttpLink.Decision d = link.decide(request.method().name(), path(request.uri()));
      mode = Mode.WAITING;
      pending.add(request);
      updateReading();
      if (d.delayNanos() > 0) {
        client.eventLoop().schedule(() -> proceed(d), d.delayNanos(), TimeUnit.NANOSECONDS);
      } else {
        proceed(d);
      }
      return;
    }
    if (!(msg instanceof HttpContent content)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof LastHttpContent) requestDone = true;
    switch (mode) {
      case WAITING -> pending.add(content);
      case FORWARD -> {
        if (upstream == null) {
          content.release(); // the upstream went away; the client's connection is being closed
        } else {
          upstream.write(content);
          if (requestDone) upstream.flush();
        }
      }
      default -> content.release();
    }
    if (requestDone) finishIfDone();
    updateReading();
  }

  private void begin(HttpRequest request) {
    clientKeepAlive = HttpUtil.isKeepAlive(request);
    requestVersion = request.protocolVersion();
    requestMethod = request.method();
    requestDone = false;
    expectsContinue = HttpUtil.is100ContinueExpected(request);
    responseDone = false;
    closeAfterResponse = !clientKeepAlive;
  }

  static String path(String uri) {
    int q = uri.indexOf('?');
    String p = q < 0 ? uri : uri.substring(0, q);
    int hash = p.indexOf('#');
    if (hash >= 0) p = p.substring(0, hash);
    // An absolute-form target (GET http://host/x) is matched on its path, like origin-form.
    if (p.startsWith("http://") || p.startsWith("https://")) {
      int slash = p.indexOf('/', p.indexOf("//") + 2);
      p = slash < 0 ? "/" : p.substring(slash);
    }
    return p;
  }

  /** After the request's delay (if any): abort, answer, or forward it. */
  private void proceed(HttpLink.Decision d) {
    if (mode != Mode.WAITING) return;
    if (!client.isActive()) {
      releasePending();
      return;
    }
    if (d.abort()) {
      releasePending();
      client.close();
      return;
    }
    if (d.status() != 0) {
      releasePending();
      respond(d.status(), "injected by faultline http_proxy: " + d.status() + " " + HttpResponseStatus.valueOf(d.status()).reasonPhrase());
      return;
    }
    if (upstream != null && upstream.isActive()) {
      forward();
    } else {
      connect();
    }
  }

  private void releasePending() {
    pending.forEach(ReferenceCountUtil::release);
    pending.clear();
  }

  /** Answers the current request ourselves; its body, if any, is read and dropped. */
  private void respond(int code, String text) {
    mode = Mode.DISCARD;
    // A client that expects 100 Continue may or may not send the body after a final answer, so
    // where its next request starts is unknown: close after answering, as RFC 9110 §10.1.1 allows.
    boolean closeNow = expectsContinue && !requestDone;
    if (closeNow) clientKeepAlive = false;
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
        Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
    HttpHeaders h = response.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    h.set("x-faultline-fault", "http.status");
    if (!clientKeepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    else if (requestVersion.equals(HttpVersion.HTTP_1_0)) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    if (closeNow) {
      responseDone = true;
      client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    client.writeAndFlush(response);
    responseDone = true;
    finishIfDone();
    updateReading();
  }

  private void connect() {
    Bootstrap b = new Bootstrap()
        .group(client.eventLoop())
        .channel(Transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new Upstream());
          }
        });
    b.connect(link.upstreamHost(), link.upstreamPort()).addListener((ChannelFutureListener) f -> {
      if (mode != Mode.WAITING) {
        f.channel().close();
        return;
      }
      if (!f.isSuccess()) {
        releasePending();
        respond(502, "faultline http_proxy: upstream " + link.upstream() + " unreachable: " + f.cause().getMessage());
        return;
      }
      upstream = f.channel();
      link.connections().add(upstream);
      if (!client.isActive()) {
        releasePending();
        return;
      }
      forward();
    });
  }

  private void forward() {
    mode = Mode.FORWARD;
    for (HttpObject part : pending) {
      if (part instanceof HttpRequest request) stripHopByHop(request.headers());
      upstream.write(part);
    }
    pending.clear();
    upstream.flush();
    updateReading();
  }

  /**
   * Removes the hop-by-hop fields of RFC 9110 §7.6.1: Connection and every field it names,
   * Proxy-Connection, Keep-Alive, TE and Upgrade. Transfer-Encoding is kept. Rationale: the codecs
   * re-frame a chunked body chunk by chunk, so the message that leaves is framed exactly as the one
   * that came in; dropping the field would leave a body with no framing at all.
   */
  static void stripHopByHop(HttpHeaders h) {
    List<String> named = new ArrayList<>();
    for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !t.equals("transfer-encoding") && !t.equals("content-length")) named.add(t);
      }
    }
    named.forEach(h::remove);
    h.remove(HttpHeaderNames.CONNECTION);
    h.remove("proxy-connection");
    h.remove(HttpHeaderNames.KEEP_ALIVE);
    h.remove(HttpHeaderNames.TE);
    h.remove(HttpHeaderNames.UPGRADE);
  }

  /** Ends the exchange once both directions are complete; the next request (if any) goes on. */
  private void finishIfDone() {
    if (!requestDone || !responseDone || mode == Mode.IDLE) return;
    mode = Mode.IDLE;
    if (closeAfterResponse) {
      client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      backlog.forEach(ReferenceCountUtil::release);
      backlog.clear();
      return;
    }
    List<Object> next = new ArrayList<>(backlog);
    backlog.clear();
    for (Object m : next) handle(m);
    updateReading();
  }

  /** Reads from the client only when what it sends can go somewhere now. */
  private void updateReading() {
    if (client == null) return;
    boolean read = switch (mode) {
      case IDLE -> true;
      case WAITING -> false;
      case FORWARD -> !requestDone && upstream != null && upstream.isWritable();
      case DISCARD -> !requestDone;
    };
    if (client.config().isAutoRead() != read) client.config().setAutoRead(read);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (upstream != null && mode == Mode.FORWARD) upstream.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (upstream != null) upstream.config().setAutoRead(client.isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releasePending();
    backlog.forEach(ReferenceCountUtil::release);
    backlog.clear();
    if (upstream != null) upstream.close();
    mode = Mode.IDLE;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A client that resets its connection is routine for a fault proxy; there is no one to tell.
    ctx.close();
  }

  /** The upstream side: streams the response back to the client. */
  private final class Upstream extends ChannelInboundHandlerAdapter {
    private boolean upstreamKeepAlive = true;
    /** A 1xx interim response (100 Continue) is passed on but does not end the exchange. */
    private boolean interim;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (mode != Mode.FORWARD || ctx.channel() != upstream) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpResponse response) {
        int code = response.status().code();
        interim = code >= 100 && code < 200;
        if (!interim) {
          upstreamKeepAlive = HttpUtil.isKeepAlive(response);
          if (!framed(response, code)) closeAfterResponse = true;
        }
        stripHopByHop(response.headers());
        if (!interim) {
          if (closeAfterResponse) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          else if (requestVersion.equals(HttpVersion.HTTP_1_0)) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
      }
      boolean last = msg instanceof LastHttpContent;
      client.write(msg);
      if (!client.isWritable()) ctx.channel().config().setAutoRead(false);
      if (last && !interim) {
        client.flush();
        if (!upstreamKeepAlive) {
          ctx.channel().close();
          upstream = null;
        }
        responseDone = true;
        finishIfDone();
        updateReading();
      }
    }

    /** Whether the response's end is known without closing: a length, chunks, or no body by rule. */
    private boolean framed(HttpMessage m, int code) {
      return HttpUtil.isTransferEncodingChunked(m) || HttpUtil.isContentLengthSet(m) || code == 204 || code == 304
          || HttpMethod.HEAD.equals(requestMethod);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      client.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel() == upstream) updateReading();
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() != upstream) return;
      upstream = null;
      // The upstream went away mid-exchange: the client cannot get a whole response, so it must
      // see its connection end rather than wait forever. A close-delimited body ends this way.
      if (mode == Mode.FORWARD && !responseDone) {
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
