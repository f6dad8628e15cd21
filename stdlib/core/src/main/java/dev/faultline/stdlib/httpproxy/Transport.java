package dev.faultline.stdlib.httpproxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;

/**
 * The one event loop group all HTTP fault proxies of this process share, created on first use:
 * the native epoll transport where it loads, NIO otherwise. Its threads are daemons, so an
 * embedding application that forgets to end its runs still exits. Thread-safe (holder idiom).
 *
 * <p>Rationale: the epoll classes are a runtime-only dependency (a native library for one
 * platform), so they are reached by name; any failure to load them falls back to NIO.
 */
final class Transport {
  private Transport() {}

  static EventLoopGroup group() {
    return Holder.GROUP;
  }

  static Class<? extends ServerChannel> serverChannel() {
    return Holder.SERVER;
  }

  static Class<? extends SocketChannel> socketChannel() {
    return Holder.CLIENT;
  }

  /** "epoll" or "nio", for logs and tests. */
  static String name() {
    return Holder.NAME;
  }

  private static final class Holder {
    static final EventLoopGroup GROUP;
    static final Class<? extends ServerChannel> SERVER;
    static final Class<? extends SocketChannel> CLIENT;
    static final String NAME;

    static {
      ThreadFactory threads = new DefaultThreadFactory("faultline-http-proxy", true);
      EventLoopGroup group = null;
      Class<? extends ServerChannel> server = NioServerSocketChannel.class;
      Class<? extends SocketChannel> client = NioSocketChannel.class;
      String name = "nio";
      try {
        Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
        if ((boolean) epoll.getMethod("isAvailable").invoke(null)) {
          group = (EventLoopGroup) Class.forName("io.netty.channel.epoll.EpollEventLoopGroup")
              .getConstructor(int.class, ThreadFactory.class).newInstance(0, threads);
          server = Class.forName("io.netty.channel.epoll.EpollServerSocketChannel").asSubclass(ServerChannel.class);
          client = Class.forName("io.netty.channel.epoll.EpollSocketChannel").asSubclass(SocketChannel.class);
          name = "epoll";
        }
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        group = null;
      }
      if (group == null) {
        group = new NioEventLoopGroup(0, threads);
        server = NioServerSocketChannel.class;
        client = NioSocketChannel.class;
        name = "nio";
      }
      GROUP = group;
      SERVER = server;
      CLIENT = client;
      NAME = name;
    }
  }
}
