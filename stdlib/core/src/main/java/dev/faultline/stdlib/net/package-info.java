/**
 * The TCP fault proxy: {@code proxy(listen, upstream)} and the faults of its {@code link}.
 *
 * <p>{@link dev.faultline.stdlib.net.NetLibrary} starts a {@link dev.faultline.stdlib.net.TcpProxy}
 * on Netty (epoll where it loads, NIO otherwise; see {@code Transport}) and hands playbooks a
 * {@link dev.faultline.stdlib.net.ProxyLink}. Each injector builds a {@code LinkFault} carrying a
 * {@code Toxic}; injecting adds it to the proxy's list, which every chunk reads on arrival. The relay
 * itself is {@link dev.faultline.stdlib.net.Connection}: two pipes per connection, delays scheduled on
 * the connection's event loop, reading paused for backpressure. Start with {@code Connection.Pipe.onChunk}.
 * The user's guide is docs/stdlib/network.md.
 */
package dev.faultline.stdlib.net;
