// A tiny stand-in for a real component ("magdb"), for the service and config playbooks: one JVM
// process, started with the JDK's source launcher, that serves HTTP on 127.0.0.1 and reloads its
// config file every 100 ms.
//
//   java playbooks/components/MagDb.java PORT CONFIG [--no-validate]
//
// --no-validate switches the config guardrail off: any `key: value` file is loaded, whatever its
// replicas say (seed 000's config.invalid must then fail: that proves the playbook can fail).
//
// Config: `key: value` lines; `#` comments and blank lines are ignored. `replicas` is required and
// must be a whole number from 1 to 64; any other key needs a non-empty value. An invalid file is
// rejected at start (exit status 2) and, while running, rejected on reload: the previous config
// stays active and the rejection is counted. Nothing is written anywhere.
//
// HTTP: GET /health -> {"status":"up"}; GET /config -> the active config, as loaded;
//       GET /status -> {"replicas":N,"loaded":N,"rejected":N,"last_error":"…"}.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

public class MagDb {
  private static volatile String active;
  private static volatile Map<String, String> settings;
  private static volatile String lastSeen;
  private static volatile int loaded;
  private static volatile int rejected;
  private static volatile String lastError = "";
  private static boolean validate = true;

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--no-validate"))) {
      System.err.println("usage: java MagDb.java PORT CONFIG [--no-validate]");
      System.exit(64);
    }
    validate = args.length == 2;
    int port = Integer.parseInt(args[0]);
    Path config = Path.of(args[1]);
    String text = Files.readString(config, StandardCharsets.UTF_8);
    Map<String, String> first;
    try {
      first = parse(text);
    } catch (IllegalArgumentException e) {
      System.err.println("magdb: invalid config " + config + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    active = text;
    lastSeen = text;
    settings = first;
    loaded = 1;

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/health", x -> send(x, "{\"status\":\"up\"}"));
    server.createContext("/config", x -> send(x, active));
    server.createContext("/status", x -> send(x, "{\"replicas\":" + replicasJson() + ",\"loaded\":" + loaded
        + ",\"rejected\":" + rejected + ",\"last_error\":\"" + lastError.replace("\"", "'") + "\"}"));
    server.start();
    System.out.println("magdb: listening on 127.0.0.1:" + port + " with replicas " + settings.get("replicas"));

    while (true) {
      Thread.sleep(100);
      String now;
      try {
        now = Files.readString(config, StandardCharsets.UTF_8);
      } catch (IOException e) {
        now = null; // deleted or unreadable for a moment: keep what is loaded
      }
      if (now == null || now.equals(lastSeen)) continue;
      lastSeen = now;
      try {
        Map<String, String> next = parse(now);
        settings = next;
        active = now;
        loaded++;
        System.out.println("magdb: loaded config with replicas " + next.get("replicas"));
      } catch (IllegalArgumentException e) {
        rejected++;
        lastError = e.getMessage();
        System.out.println("magdb: rejected config: " + e.getMessage() + "; keeping the previous one");
      }
    }
  }

  static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      int colon = l.indexOf(':');
      if (colon <= 0) throw new IllegalArgumentException("line " + n + ": expected 'key: value'");
      String key = l.substring(0, colon).strip();
      String value = l.substring(colon + 1).strip();
      if (value.isEmpty()) throw new IllegalArgumentException("line " + n + ": '" + key + "' has no value");
      out.put(key, value);
    }
    if (!validate) return out;
    String replicas = out.get("replicas");
    if (replicas == null) throw new IllegalArgumentException("'replicas' is missing");
    int r;
    try {
      r = Integer.parseInt(replicas);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'replicas' must be a whole number, got '" + replicas + "'");
    }
    if (r < 1 || r > 64) throw new IllegalArgumentException("'replicas' must be from 1 to 64, got " + r);
    return out;
  }

  /** The replicas setting as JSON: a number when it is one (always, unless --no-validate let anything in). */
  private static String replicasJson() {
    String r = settings.get("replicas");
    if (r != null && r.matches("-?[0-9]{1,9}")) return r;
    return r == null ? "null" : "\"" + r.replace("\"", "'") + "\"";
  }

  private static void send(HttpExchange x, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(200, b.length);
    x.getResponseBody().write(b);
    x.close();
  }
}
