package dev.faultline.demoapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * Lets pgjdbc reach PostgreSQL through its Unix sockets ({@code --db-socket-dir}): a connection to
 * {@code host:port} goes to the socket {@code DIR/.s.PGSQL.port} instead, so the server list, the
 * failover and the replica reads work as over TCP. A throwaway cluster of Faultline's
 * {@code postgres.local()} lets local socket connections in without a password, which a playbook
 * never sees; over TCP it asks for one.
 *
 * <p>pgjdbc creates sockets through {@code socketFactory=…&socketFactoryArg=DIR}. The JDK's Unix
 * domain channels have no {@link Socket} view, so this one adapts a channel: non-blocking, with a
 * selector for the read timeout pgjdbc sets ({@code socketTimeout}, and the 1 ms probe of
 * {@code hasMessagePending}).
 */
public final class UnixSocketFactory extends SocketFactory {
  private final Path dir;

  public UnixSocketFactory(String dir) {
    this.dir = Path.of(dir);
  }

  @Override
  public Socket createSocket() {
    return new ChannelSocket(dir);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(InetSocketAddress.createUnresolved(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return createSocket(host.getHostAddress(), port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return createSocket(address, port);
  }

  /** A {@link Socket} over a Unix domain channel: the parts pgjdbc uses. */
  static final class ChannelSocket extends Socket {
    private final Path dir;
    private SocketChannel channel;
    private Selector readSelector;
    private Selector writeSelector;
    private volatile int timeoutMillis;
    private volatile boolean closed;

    ChannelSocket(Path dir) {
      this.dir = dir;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!(endpoint instanceof InetSocketAddress inet)) throw new SocketException("not a host:port address: " + endpoint);
      Path socket = dir.resolve(".s.PGSQL." + inet.getPort());
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        // A local connect completes or fails at once: no connect timeout is needed.
        ch.connect(UnixDomainSocketAddress.of(socket));
        ch.configureBlocking(false);
        readSelector = Selector.open();
        ch.register(readSelector, SelectionKey.OP_READ);
        writeSelector = Selector.open();
        ch.register(writeSelector, SelectionKey.OP_WRITE);
      } catch (IOException e) {
        ch.close();
        throw new java.net.ConnectException("cannot connect to " + socket + ": " + e.getMessage());
      }
      channel = ch;
    }

    @Override
    public boolean isConnected() {
      return channel != null;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public synchronized void close() throws IOException {
      if (closed) return;
      closed = true;
      if (channel != null) {
        readSelector.close();
        writeSelector.close();
        channel.close();
      }
    }

    @Override
    public void setSoTimeout(int timeout) {
      timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() {
      return timeoutMillis;
    }

    // TCP options mean nothing on a Unix socket.
    @Override
    public void setTcpNoDelay(boolean on) {}

    @Override
    public boolean getTcpNoDelay() {
      return true;
    }

    @Override
    public void setKeepAlive(boolean on) {}

    @Override
    public void setReceiveBufferSize(int size) {}

    @Override
    public void setSendBufferSize(int size) {}

    @Override
    public void setSoLinger(boolean on, int linger) {}

    @Override
    public void shutdownInput() throws IOException {
      channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
      channel.shutdownOutput();
    }

    @Override
    public InputStream getInputStream() throws IOException {
      if (channel == null) throw new SocketException("not connected");
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) return 0;
          ByteBuffer buf = ByteBuffer.wrap(b, off, len);
          try {
            while (true) {
              int n = channel.read(buf);
              if (n != 0) return n;
              int timeout = timeoutMillis;
              if (readSelector.select(timeout) == 0 && timeout > 0) throw new SocketTimeoutException("Read timed out");
              readSelector.selectedKeys().clear();
            }
          } catch (java.nio.channels.ClosedSelectorException e) {
            throw new SocketException("Socket closed");
          }
        }

        @Override
        public int available() throws IOException {
          return 0;
        }

        @Override
        public void close() throws IOException {
          ChannelSocket.this.close();
        }
      };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      if (channel == null) throw new SocketException("not connected");
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          ByteBuffer buf = ByteBuffer.wrap(b, off, len);
          try {
            while (buf.hasRemaining()) {
              if (channel.write(buf) == 0) {
                writeSelector.select(1000);
                writeSelector.selectedKeys().clear();
              }
            }
          } catch (java.nio.channels.ClosedSelectorException e) {
            throw new SocketException("Socket closed");
          }
        }

        @Override
        public void close() throws IOException {
          ChannelSocket.this.close();
        }
      };
    }
  }
}
