package dev.faultline.stdlib.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/** A one-thread NIO echo server on 127.0.0.1 for the proxy tests; closes a socket when its peer does. */
final class EchoServer implements AutoCloseable {
  private final Selector selector;
  private final ServerSocketChannel server;
  private final Thread thread;
  private volatile boolean running = true;

  EchoServer() throws IOException {
    selector = Selector.open();
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), 2048);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    thread = new Thread(this::loop, "echo-server");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.socket().getLocalPort();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try {
      while (running) {
        selector.select(200);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          try {
            if (key.isAcceptable()) {
              SocketChannel c = server.accept();
              if (c == null) continue;
              c.configureBlocking(false);
              c.register(selector, SelectionKey.OP_READ);
            } else if (key.isReadable()) {
              SocketChannel c = (SocketChannel) key.channel();
              buf.clear();
              int n = c.read(buf);
              if (n < 0) {
                key.cancel();
                c.close();
                continue;
              }
              buf.flip();
              // Blocking-style write is fine for the small test loads: spin until written.
              while (buf.hasRemaining()) {
                if (c.write(buf) == 0) Thread.onSpinWait();
              }
            }
          } catch (IOException e) {
            key.cancel();
            key.channel().close();
          }
        }
      }
    } catch (IOException e) {
      // Closed.
    }
  }

  @Override
  public void close() throws Exception {
    running = false;
    selector.wakeup();
    thread.join(2000);
    for (SelectionKey k : selector.keys()) k.channel().close();
    selector.close();
  }
}
