package dev.faultline.stdlib.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport the proxies of one library run on: native epoll when it loads, NIO
 * otherwise, with one event loop group created on first use. Threads are daemons, so a forgotten
 * proxy never keeps the JVM alive. Thread-safe.
 *
 * <p>The epoll classes are reached by reflection: the native transport is a runtime-only
 * dependency of the stdlib, and a missing or unloadable native library must fall back to NIO.
 */
final class Transport {
  final EventLoopGroup group;
  final Class<? extends ServerChannel> serverClass;
  final Class<? extends SocketChannel> clientClass;
  final boolean isEpoll;

  private Transport(EventLoopGroup group, Class<? extends ServerChannel> serverClass,
      Class<? extends SocketChannel> clientClass, boolean isEpoll) {
    this.group = group;
    this.serverClass = serverClass;
    this.clientClass = clientClass;
    this.isEpoll = isEpoll;
  }

  /** Rationale: two loops at least, so one busy connection does not stall a single-core run's others. */
  static Transport create() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadFactory threadFactory = new DefaultThreadFactory("faultline-net", true);
    try {
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
      if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) {
        EventLoopGroup group = (EventLoopGroup) Class.forName("io.netty.channel.epoll.EpollEventLoopGroup")
            .getConstructor(int.class, ThreadFactory.class).newInstance(threads, threadFactory);
        @SuppressWarnings("unchecked")
        Class<? extends ServerChannel> server = (Class<? extends ServerChannel>) Class.forName("io.netty.channel.epoll.EpollServerSocketChannel");
        @SuppressWarnings("unchecked")
        Class<? extends SocketChannel> client = (Class<? extends SocketChannel>) Class.forName("io.netty.channel.epoll.EpollSocketChannel");
        return new Transport(group, server, client, true);
      }
    } catch (ReflectiveOperationException | LinkageError | ClassCastException unavailable) {
      // Falls back to NIO below.
    }
    return nio(threads, threadFactory);
  }

  /** The JDK's selector-based transport, whatever the platform offers; the benchmark compares it with epoll. */
  static Transport nio() {
    return nio(Math.max(2, Runtime.getRuntime().availableProcessors()), new DefaultThreadFactory("faultline-net-nio", true));
  }

  private static Transport nio(int threads, ThreadFactory threadFactory) {
    return new Transport(new NioEventLoopGroup(threads, threadFactory), NioServerSocketChannel.class, NioSocketChannel.class, false);
  }
}
