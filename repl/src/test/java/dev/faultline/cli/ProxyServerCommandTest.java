package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code faultline proxy-server} process: a toxic made through its API is journaled while in
 * place, and SIGTERM reverts it, closes the proxy and leaves the journal empty.
 */
@Timeout(60)
class ProxyServerCommandTest {
  @TempDir
  Path tmp;

  @Test
  void sigtermRevertsEveryToxicAndClosesEveryProxy() throws Exception {
    Path journal = tmp.resolve("journal");
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(java, "-cp", cp, "dev.faultline.cli.Main", "proxy-server", "--listen", "127.0.0.1:0",
        "--journal", journal.toString()).directory(tmp.toFile()).redirectErrorStream(true).start();
    List<String> out = new ArrayList<>();
    ChildOutput.pump(p.getInputStream(), out);
    try (ServerSocket upstream = new ServerSocket(0)) {
      String url = waitFor(out, Pattern.compile("on (http://\\S+)"));
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/proxies")).POST(HttpRequest.BodyPublishers.ofString(
          "{\"name\":\"db\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:" + upstream.getLocalPort() + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      Matcher m = Pattern.compile("\"listen\":\"127\\.0\\.0\\.1:(\\d+)\"").matcher(created.body());
      assertTrue(m.find(), created.body());
      int port = Integer.parseInt(m.group(1));
      HttpResponse<String> toxic = http.send(HttpRequest.newBuilder(URI.create(url + "/proxies/db/toxics")).POST(HttpRequest.BodyPublishers.ofString(
          "{\"type\":\"latency\",\"attributes\":{\"latency\":500}}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, toxic.statusCode(), toxic.body());
      waitFor(out, Pattern.compile("injected: (latency 500ms)"));
      assertEquals(1, records(journal).size(), "the toxic is in the journal while it is in place");
      try (Socket client = new Socket("127.0.0.1", port)) {
        upstream.accept().close();
      }
      assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join("\n", out));
      assertEquals(0, p.exitValue(), String.join("\n", out));
      String all;
      synchronized (out) {
        all = String.join("\n", out);
      }
      assertTrue(all.contains("reverted: latency 500ms"), all);
      assertEquals(List.of(), records(journal), "nothing is left in the journal");
      Assertions.refused(port);
    } finally {
      p.destroyForcibly();
    }
  }

  /** Small assertions kept apart so the test reads top to bottom. */
  static final class Assertions {
    static void refused(int port) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        throw new AssertionError("the proxy still accepts connections on " + port);
      } catch (IOException expected) {
        // Closed.
      }
    }
  }

  private static List<Path> records(Path journal) throws IOException {
    if (!Files.isDirectory(journal)) return List.of();
    try (Stream<Path> s = Files.list(journal)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".record")).toList();
    }
  }

  private static String waitFor(List<String> lines, Pattern p) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      synchronized (lines) {
        for (String l : lines) {
          Matcher m = p.matcher(l);
          if (m.find()) return m.group(1);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never printed " + p + ": " + lines);
  }

}
