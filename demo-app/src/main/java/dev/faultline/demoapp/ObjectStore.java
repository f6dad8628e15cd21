package dev.faultline.demoapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * An S3-like object store over HTTP on 127.0.0.1: {@code PUT}, {@code GET}, {@code HEAD} and
 * {@code DELETE /{key}}, one file per object under a directory. The ETag is the MD5 of the content
 * in hex, quoted as S3 does. A PUT writes a temporary file and renames it into place, so a reader
 * never sees half an object and a failed upload leaves the previous one. It answers 5xx only when
 * the disk fails; the faults a playbook injects come from a proxy in front of it.
 */
final class ObjectStore implements AutoCloseable {
  /** Keys: one path segment of letters, digits, '.', '_' and '-', not starting with '.'. */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
  private static final String TMP_SUFFIX = ".part";

  private final Path dir;
  private final HttpServer server;
  private final ExecutorService executor;

  private ObjectStore(Path dir, HttpServer server, ExecutorService executor) {
    this.dir = dir;
    this.server = server;
    this.executor = executor;
  }

  static ObjectStore start(int port, Path dir) throws IOException {
    Files.createDirectories(dir);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "store-request");
      t.setDaemon(true);
      return t;
    });
    ObjectStore store = new ObjectStore(dir, server, executor);
    server.createContext("/", store::handle);
    server.setExecutor(executor);
    server.start();
    return store;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/health")) {
        send(ex, 200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8), method.equals("HEAD"));
        return;
      }
      String key = path.startsWith("/") ? path.substring(1) : path;
      if (!KEY.matcher(key).matches()) {
        send(ex, 400, "text/plain", ("invalid key '" + key + "': use letters, digits, '.', '_' and '-'\n")
            .getBytes(StandardCharsets.UTF_8), method.equals("HEAD"));
        return;
      }
      Path file = dir.resolve(key);
      try {
        switch (method) {
          case "PUT" -> put(ex, file);
          case "GET", "HEAD" -> get(ex, file, method.equals("HEAD"));
          case "DELETE" -> {
            Files.deleteIfExists(file);
            ex.sendResponseHeaders(204, -1);
          }
          default -> {
            ex.getResponseHeaders().set("Allow", "PUT, GET, HEAD, DELETE");
            send(ex, 405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.UTF_8), false);
          }
        }
      } catch (IOException e) {
        // The disk failed (or the client went away, and then the answer is lost anyway).
        send(ex, 500, "text/plain", ("storage error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8), false);
      }
    } catch (IOException | RuntimeException e) {
      // The client closed the connection: nothing to answer.
    }
  }

  private void put(HttpExchange ex, Path file) throws IOException {
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), TMP_SUFFIX);
    try {
      MessageDigest md5 = md5();
      try (InputStream in = new DigestInputStream(ex.getRequestBody(), md5)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      ex.getResponseHeaders().set("ETag", "\"" + HexFormat.of().formatHex(md5.digest()) + "\"");
      ex.sendResponseHeaders(200, -1);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void get(HttpExchange ex, Path file, boolean head) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      send(ex, 404, "text/plain", "no such key\n".getBytes(StandardCharsets.UTF_8), head);
      return;
    }
    ex.getResponseHeaders().set("ETag", "\"" + HexFormat.of().formatHex(md5().digest(data)) + "\"");
    send(ex, 200, "application/octet-stream", data, head);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, boolean head) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  /** Stops accepting, lets requests in progress finish (up to 1 s). */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
