package dev.faultline.stdlib.net;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The benchmark's way into the TCP proxy's package-private classes: it starts proxies on the
 * stdlib's own transport and injects latency toxics, exactly as proxy() and latency() do, without
 * a playbook around them. Compiled into the benchmark only (same package on the class path).
 */
public final class BenchProxies {
  private static Transport transport;
  private static Transport nio;

  private BenchProxies() {}

  public static synchronized Object start(int listenPort, String upstreamHost, int upstreamPort) {
    if (transport == null) transport = Transport.create();
    return TcpProxy.start("bench", new InetSocketAddress("127.0.0.1", listenPort),
        new InetSocketAddress(upstreamHost, upstreamPort), 1L, transport);
  }

  /** The same proxy on Netty's NIO transport (the JDK selector), for the epoll/NIO comparison. */
  public static synchronized Object startNio(int listenPort, String upstreamHost, int upstreamPort) {
    if (nio == null) nio = Transport.nio();
    return TcpProxy.start("bench-nio", new InetSocketAddress("127.0.0.1", listenPort),
        new InetSocketAddress(upstreamHost, upstreamPort), 1L, nio);
  }

  public static boolean isEpoll() {
    return transport != null && transport.isEpoll;
  }

  public static int port(Object proxy) {
    return ((TcpProxy) proxy).port();
  }

  public static int connections(Object proxy) {
    return ((TcpProxy) proxy).connectionCount();
  }

  /** A latency toxic in both directions on every connection; returns it for {@link #remove}. */
  public static Object latency(Object proxy, Duration delay) {
    TcpProxy p = (TcpProxy) proxy;
    Toxic t = new Toxic(Toxic.Kind.LATENCY, Toxic.Direction.BOTH, 1.0, p.nextToxicSerial(), delay, Duration.ZERO, 0, 0);
    p.add(t);
    return t;
  }

  public static void remove(Object proxy, Object toxic) {
    ((TcpProxy) proxy).remove((Toxic) toxic);
  }

  public static void stop(Object proxy) {
    ((TcpProxy) proxy).stop();
  }
}
