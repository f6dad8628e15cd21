// A tiny HTTP API that depends on a PostgreSQL server, for seed 004's "database downtime": one JVM
// process, started with the JDK's source launcher.
//
//   java playbooks/components/OrdersApi.java PORT DB_ADDRESS [--no-fallback]
//
// For each GET /api/orders it checks that the database at DB_ADDRESS (host:port) answers, with the
// first message of the PostgreSQL protocol that needs no credentials: an SSLRequest, to which a
// running server answers 'S' or 'N' (connect and read timeouts 300 ms). A failed check is retried
// twice with backoff (50 ms, then 100 ms). Then:
//   - the database answers: 200 {"source":"db","checks":N}, and the answer is cached;
//   - it does not, with the fallback (the default): 200 {"source":"cache","stale":true} from the
//     last good answer (graceful degradation; 503 when there has never been one);
//   - it does not, with --no-fallback (the resilience behaviour switched off): 503.
// GET /health -> 200 {"status":"up"} while the process runs; GET /status -> {"db_failures":N,
// "served_stale":N,"unavailable":N}. Nothing is written anywhere.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class OrdersApi {
  private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
  private static final AtomicLong checks = new AtomicLong();
  private static final AtomicLong dbFailures = new AtomicLong();
  private static final AtomicLong servedStale = new AtomicLong();
  private static final AtomicLong unavailable = new AtomicLong();
  private static volatile String cached;
  private static String dbHost;
  private static int dbPort;
  private static boolean fallback = true;

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--no-fallback"))) {
      System.err.println("usage: java OrdersApi.java PORT DB_ADDRESS [--no-fallback]");
      System.exit(64);
    }
    int port = Integer.parseInt(args[0]);
    int colon = args[1].lastIndexOf(':');
    dbHost = args[1].substring(0, colon);
    dbPort = Integer.parseInt(args[1].substring(colon + 1));
    fallback = args.length == 2;

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/health", x -> send(x, 200, "{\"status\":\"up\"}"));
    server.createContext("/status", x -> send(x, 200, "{\"db_failures\":" + dbFailures.get() + ",\"served_stale\":" + servedStale.get()
        + ",\"unavailable\":" + unavailable.get() + "}"));
    server.createContext("/api/orders", OrdersApi::orders);
    server.start();
    System.out.println("orders-api: listening on 127.0.0.1:" + port + ", database at " + args[1] + (fallback ? "" : ", fallback off"));
  }

  private static void orders(HttpExchange x) throws IOException {
    if (databaseAnswers()) {
      String body = "{\"source\":\"db\",\"checks\":" + checks.incrementAndGet() + "}";
      cached = body;
      send(x, 200, body);
      return;
    }
    dbFailures.incrementAndGet();
    String last = cached;
    if (fallback && last != null) {
      servedStale.incrementAndGet();
      send(x, 200, "{\"source\":\"cache\",\"stale\":true}");
    } else {
      unavailable.incrementAndGet();
      send(x, 503, "{\"error\":\"database unavailable\"}");
    }
  }

  /** The check, retried twice with backoff. */
  private static boolean databaseAnswers() {
    long backoff = 50;
    for (int attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        backoff *= 2;
      }
      if (sslRequestAnswered()) return true;
    }
    return false;
  }

  private static boolean sslRequestAnswered() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(dbHost, dbPort), 300);
      s.setSoTimeout(300);
      OutputStream out = s.getOutputStream();
      out.write(SSL_REQUEST);
      out.flush();
      InputStream in = s.getInputStream();
      int answer = in.read();
      return answer == 'S' || answer == 'N';
    } catch (IOException e) {
      return false;
    }
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }
}
