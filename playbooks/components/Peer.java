// A tiny two-node cluster member for the network partition playbook (seed 001): one JVM process,
// started with the JDK's source launcher, that heartbeats its peer over HTTP and elects a leader.
//
//   java playbooks/components/Peer.java ID PORT PEER_ADDRESS [--no-fencing]
//
// ID is a whole number; PORT the HTTP port on 127.0.0.1; PEER_ADDRESS the host:port where the peer
// is reached (in the playbook, a TCP fault proxy in front of the peer, so that a partition is a
// `down()` on the proxies). Every 100 ms the node asks the peer for GET /heartbeat (timeout 200 ms);
// the peer counts as alive while its last answer is younger than 500 ms.
//
// Election, with fencing (the default): a node is leader only while it has a quorum, two of two
// nodes: it sees its peer and has the lower ID. A node that loses its peer steps down at once (it
// fences itself), so a partition leaves no leader, never two. When the peer comes back the lower ID
// leads again.
//
// A node that has not heard from its peer yet waits five heartbeats before it decides anything.
//
// Without fencing (--no-fencing, the resilience behaviour switched off): a node that loses its peer
// makes itself leader, and a leader never steps down when it sees another leader (no term is
// compared). A partition then leaves two leaders, and they stay two after it heals: split brain.
//
// HTTP: GET /heartbeat and GET /status -> {"id":N,"leader":bool,"term":N,"peer_alive":bool,
//       "peer_leader":bool,"fencing":bool}. `term` counts how often this node became leader.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

public class Peer {
  private static final long ALIVE_NANOS = Duration.ofMillis(500).toNanos();

  private static int id;
  private static boolean fencing = true;
  private static volatile boolean leader;
  private static volatile int term;
  private static volatile long lastSeen = Long.MIN_VALUE;
  private static volatile int peerId = -1;
  private static volatile boolean peerLeader;
  private static int attempts;

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4 || (args.length == 4 && !args[3].equals("--no-fencing"))) {
      System.err.println("usage: java Peer.java ID PORT PEER_ADDRESS [--no-fencing]");
      System.exit(64);
    }
    id = Integer.parseInt(args[0]);
    int port = Integer.parseInt(args[1]);
    URI peer = URI.create("http://" + args[2] + "/heartbeat");
    fencing = args.length == 3;

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/heartbeat", Peer::status);
    server.createContext("/status", Peer::status);
    server.start();
    System.out.println("peer " + id + ": listening on 127.0.0.1:" + port + ", peer at " + args[2] + (fencing ? "" : ", fencing off"));

    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    HttpRequest ask = HttpRequest.newBuilder(peer).timeout(Duration.ofMillis(200)).GET().build();
    while (true) {
      try {
        HttpResponse<String> r = client.send(ask, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          String body = r.body();
          peerId = Integer.parseInt(field(body, "id"));
          peerLeader = Boolean.parseBoolean(field(body, "leader"));
          lastSeen = System.nanoTime();
        }
      } catch (IOException | RuntimeException e) {
        // no answer: the peer is unreachable for now
      }
      elect();
      Thread.sleep(100);
    }
  }

  private static synchronized void elect() {
    boolean alive = peerAlive();
    // A node that has not heard from its peer yet gives it five heartbeats before it decides (a
    // cold JVM's first requests are slow).
    if (!alive && lastSeen == Long.MIN_VALUE && ++attempts <= 5) return;
    boolean next;
    if (fencing) {
      next = alive && id < peerId;
    } else if (!alive) {
      next = true;
    } else {
      next = leader || (id < peerId && !peerLeader);
    }
    if (next && !leader) {
      term++;
      System.out.println("peer " + id + ": leader (term " + term + ")");
    } else if (!next && leader) {
      System.out.println("peer " + id + ": stepped down");
    }
    leader = next;
  }

  private static boolean peerAlive() {
    long seen = lastSeen;
    return seen != Long.MIN_VALUE && System.nanoTime() - seen < ALIVE_NANOS;
  }

  private static String field(String json, String name) {
    String key = "\"" + name + "\":";
    int at = json.indexOf(key);
    if (at < 0) throw new IllegalArgumentException("no " + name + " in " + json);
    int start = at + key.length();
    int end = start;
    while (end < json.length() && json.charAt(end) != ',' && json.charAt(end) != '}') end++;
    return json.substring(start, end).trim();
  }

  private static void status(HttpExchange x) throws IOException {
    String body = "{\"id\":" + id + ",\"leader\":" + leader + ",\"term\":" + term + ",\"peer_alive\":" + peerAlive()
        + ",\"peer_leader\":" + peerLeader + ",\"fencing\":" + fencing + "}";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(200, b.length);
    x.getResponseBody().write(b);
    x.close();
  }
}
