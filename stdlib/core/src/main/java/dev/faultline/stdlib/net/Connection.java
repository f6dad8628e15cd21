package dev.faultline.stdlib.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client connection through a proxy and its upstream connection, with the two directions of
 * data ({@link Pipe}s) between them.
 *
 * <p>Threading: both channels are registered on the same event loop, and every field here is read
 * and written on that loop only; other threads reach it through {@link #execute}. No thread is
 * ever started for a chunk: delays are tasks scheduled on the loop.
 *
 * <p>Backpressure: a pipe stops reading from its source while its target is not writable, while it
 * holds more than the proxy's bound ({@code proxy(buffer: …)}, 128 MiB by default) bytes of delayed chunks, or while a blackhole holds it,
 * exactly as a full TCP window stops a sender.
 */
final class Connection {
  /** Rationale: Linux's minimum retransmission timeout; the first retry of a lost segment comes no sooner. */
  static final long RTO_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  /** Rationale: five doublings (6.4 s) keep a run of bad luck from stalling a test for minutes. */
  static final int MAX_BACKOFFS = 5;

  final TcpProxy proxy;
  final Channel client;
  final long serial;
  Channel server;
  final Pipe up = new Pipe(true);
  final Pipe down = new Pipe(false);
  private final Map<Toxic, State> states = new IdentityHashMap<>();
  private boolean closed;

  /** What one toxic keeps for this connection. */
  static final class State {
    boolean affected;
    /** Whether {@link #added} has run: connection-level timers start once. */
    boolean started;
    SplittableRandom random;
    ScheduledFuture<?> timer;
    /** Per direction, index 0 upstream and 1 downstream. */
    final long[] nextFree = new long[2];
    final int[] losses = new int[2];
    final long[] passed = new long[2];
  }

  Connection(TcpProxy proxy, Channel client, long serial) {
    this.proxy = proxy;
    this.client = client;
    this.serial = serial;
  }

  void execute(Runnable task) {
    client.eventLoop().execute(task);
  }

  /** The toxic's state here, made on first use; whether the connection is affected is drawn then. */
  State state(Toxic t) {
    State s = states.get(t);
    if (s == null) {
      s = new State();
      s.random = new SplittableRandom(mix(proxy.seed, t.serial, serial));
      s.affected = t.toxicity >= 1.0 || s.random.nextDouble() < t.toxicity;
      states.put(t, s);
    }
    return s;
  }

  private static long mix(long a, long b, long c) {
    long h = a * 0x9E3779B97F4A7C15L + b;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + c;
    return h ^ (h >>> 29);
  }

  /** Called on the loop when a toxic starts to apply, for connection-level timers. Idempotent. */
  void added(Toxic t) {
    if (closed) return;
    // The state may already exist (a chunk that met the toxic first); the timers start once.
    State s = state(t);
    if (s.started || !s.affected) return;
    s.started = true;
    switch (t.kind) {
      case TIMEOUT -> {
        if (t.nanos > 0) s.timer = client.eventLoop().schedule(this::close, t.nanos, TimeUnit.NANOSECONDS);
      }
      case RESET_PEER -> {
        if (t.nanos > 0) s.timer = client.eventLoop().schedule(() -> reset(t.direction), t.nanos, TimeUnit.NANOSECONDS);
        else reset(t.direction);
      }
      default -> { }
    }
    up.updateReading();
    down.updateReading();
  }

  /** Called on the loop when a toxic is reverted: its timers stop and held data flows again. */
  void removed(Toxic t) {
    State s = states.remove(t);
    if (s != null && s.timer != null) s.timer.cancel(false);
    if (closed) return;
    up.drain();
    down.drain();
  }

  /** Both sides get a TCP reset where the direction says (downstream: the client; upstream: the server). */
  void reset(Toxic.Direction direction) {
    if (closed) return;
    if (direction.covers(false)) client.config().setOption(ChannelOption.SO_LINGER, 0);
    if (direction.covers(true) && server != null) server.config().setOption(ChannelOption.SO_LINGER, 0);
    close();
  }

  /** Closes both sides now and releases every held chunk. Idempotent. */
  void close() {
    if (closed) return;
    closed = true;
    for (State s : states.values()) if (s.timer != null) s.timer.cancel(false);
    states.clear();
    up.release();
    down.release();
    client.close();
    if (server != null) server.close();
    proxy.forget(this);
  }

  boolean isClosed() {
    return closed;
  }

  /** A chunk with the time it may leave. */
  private record Held(ByteBuf buf, long due, boolean closeAfter) {}

  /** One direction of data: reads from its source, applies the toxics, writes to its target. */
  final class Pipe {
    final boolean upstream;
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private long queued;
    private long lastDue;
    private ScheduledFuture<?> timer;
    private long timerDue;
    private boolean sourceEnded;
    /** Chunks written straight through since the last flush; flushed when the source's read batch ends. */
    private boolean unflushed;

    Pipe(boolean upstream) {
      this.upstream = upstream;
    }

    Channel source() {
      return upstream ? client : server;
    }

    Channel target() {
      return upstream ? server : client;
    }

    private int index() {
      return upstream ? 0 : 1;
    }

    /** A chunk read from the source: the toxics give it its time to leave, in order of injection. */
    void onChunk(ByteBuf buf) {
      if (closed) {
        buf.release();
        return;
      }
      if (proxy.toxics.isEmpty() && queue.isEmpty()) {
        // The common case, no toxic at all: straight through, flushed once per read batch.
        target().write(buf, target().voidPromise());
        unflushed = true;
        return;
      }
      long now = System.nanoTime();
      long due = now;
      long sliceSize = 0;
      long sliceVariation = 0;
      long sliceGap = 0;
      SplittableRandom sliceRandom = null;
      boolean closeAfter = false;
      for (Toxic t : proxy.toxics) {
        if (!t.direction.covers(upstream)) continue;
        State s = state(t);
        if (!s.affected) continue;
        int d = index();
        switch (t.kind) {
          case LATENCY -> {
            long jitter = t.jitterNanos == 0 ? 0 : s.random.nextLong(-t.jitterNanos, t.jitterNanos + 1);
            due += Math.max(0, t.nanos + jitter);
          }
          case BANDWIDTH -> {
            long start = Math.max(due, s.nextFree[d]);
            due = start + (long) (buf.readableBytes() * 1e9 / t.bytes);
            s.nextFree[d] = due;
          }
          case LOSS -> {
            if (s.random.nextDouble() < t.probability) {
              due += RTO_NANOS << Math.min(s.losses[d], MAX_BACKOFFS);
              s.losses[d]++;
            } else {
              s.losses[d] = 0;
            }
          }
          case SLICER -> {
            sliceSize = t.bytes;
            sliceVariation = t.bytesVariation;
            sliceRandom = s.random;
            sliceGap = t.nanos;
          }
          case LIMIT_DATA -> {
            long left = t.bytes - s.passed[d];
            if (left <= buf.readableBytes()) {
              buf.writerIndex(buf.readerIndex() + (int) Math.max(0, left));
              closeAfter = true;
            }
            s.passed[d] += buf.readableBytes();
          }
          default -> { }
        }
      }
      // Never reorder: a chunk leaves no earlier than the one before it.
      due = Math.max(due, lastDue);
      if (sliceSize > 0 && buf.readableBytes() > sliceSize) {
        long at = due;
        while (buf.readableBytes() > 0) {
          long size = sliceVariation == 0 ? sliceSize
              : sliceSize + sliceRandom.nextLong(-sliceVariation, sliceVariation + 1);
          int n = (int) Math.min(Math.max(1, size), buf.readableBytes());
          ByteBuf piece = buf.readRetainedSlice(n);
          boolean last = buf.readableBytes() == 0;
          hold(new Held(piece, at, last && closeAfter));
          at += sliceGap;
        }
        buf.release();
        lastDue = at - sliceGap;
      } else {
        hold(new Held(buf, due, closeAfter));
        lastDue = due;
      }
      drain();
    }

    private void hold(Held h) {
      queue.add(h);
      queued += h.buf.readableBytes();
    }

    /** Whether a blackhole holds this direction now. */
    boolean isBlocked() {
      for (Toxic t : proxy.toxics) {
        if (t.kind == Toxic.Kind.TIMEOUT && t.direction.covers(upstream) && state(t).affected) return true;
      }
      return false;
    }

    /** The source's read batch is over: what went straight through leaves in one write. */
    void readComplete() {
      if (unflushed && !closed) {
        unflushed = false;
        target().flush();
        updateReading();
      }
    }

    /** Writes every chunk that is due, then waits for the next one on the loop. */
    void drain() {
      if (closed) return;
      if (unflushed) {
        unflushed = false;
        target().flush();
      }
      if (!isBlocked()) {
        long now = System.nanoTime();
        boolean wrote = false;
        while (!queue.isEmpty() && queue.peek().due <= now) {
          Held h = queue.poll();
          queued -= h.buf.readableBytes();
          target().write(h.buf, target().voidPromise());
          wrote = true;
          if (h.closeAfter) {
            target().flush();
            lastOrders();
            return;
          }
        }
        if (wrote) target().flush();
        if (!queue.isEmpty()) {
          long due = queue.peek().due;
          if (timer == null || timer.isDone() || timerDue > due) {
            if (timer != null) timer.cancel(false);
            timerDue = due;
            timer = client.eventLoop().schedule(() -> {
              timer = null;
              drain();
            }, Math.max(0, due - now), TimeUnit.NANOSECONDS);
          }
        } else if (sourceEnded) {
          endTarget();
        }
      }
      updateReading();
    }

    /** limit_data reached: what was let through is flushed, then the connection closes. */
    private void lastOrders() {
      target().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> close());
    }

    /** The source closed: once the held chunks are out, the target is closed too (later under slow_close). */
    void sourceEnded() {
      sourceEnded = true;
      drain();
    }

    private void endTarget() {
      long delay = 0;
      for (Toxic t : proxy.toxics) {
        if (t.kind == Toxic.Kind.SLOW_CLOSE && t.direction.covers(upstream) && state(t).affected) delay = Math.max(delay, t.nanos);
      }
      Channel target = target();
      if (delay == 0) target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      else client.eventLoop().schedule(() -> { target.close(); }, delay, TimeUnit.NANOSECONDS);
    }

    /** Reads from the source only while the target can take more and no blackhole holds this direction. */
    void updateReading() {
      Channel source = source();
      if (closed || source == null || target() == null) return;
      boolean read = !sourceEnded && target().isWritable() && queued < proxy.pipeBound && !isBlocked();
      if (source.config().isAutoRead() != read) source.config().setAutoRead(read);
    }

    void release() {
      if (timer != null) timer.cancel(false);
      for (Held h : queue) ReferenceCountUtil.safeRelease(h.buf);
      queue.clear();
      queued = 0;
    }
  }

  /** The handler on one side: its reads feed the pipe it is the source of. */
  final class Relay extends ChannelInboundHandlerAdapter {
    private final boolean clientSide;

    Relay(boolean clientSide) {
      this.clientSide = clientSide;
    }

    private Pipe from() {
      return clientSide ? up : down;
    }

    private Pipe to() {
      return clientSide ? down : up;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) from().onChunk(buf);
      else ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      from().readComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (closed) return;
      Channel other = clientSide ? server : client;
      // The other side already gone: nothing is left to relay. Otherwise its held chunks go out
      // first, then it is closed (later under slow_close), and its own close ends the connection.
      if (other == null || !other.isActive()) close();
      else from().sourceEnded();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      to().updateReading();
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      close();
    }
  }
}
