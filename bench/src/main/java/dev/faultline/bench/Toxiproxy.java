package dev.faultline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Toxiproxy server of the same run, driven through its HTTP API: proxies and latency toxics for
 * the side-by-side figures. bench/proxy.sh starts it when TOXIPROXY_SERVER names a toxiproxy-server
 * binary and passes its address and process id as system properties.
 */
final class Toxiproxy {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String api;
  final long pid;

  private Toxiproxy(String address, long pid) {
    this.api = "http://" + address;
    this.pid = pid;
  }

  /** From -Dbench.toxiproxy=host:port and -Dbench.toxiproxy.pid; null when the run has none. */
  static Toxiproxy fromProperties() {
    String address = System.getProperty("bench.toxiproxy", "");
    if (address.isEmpty()) return null;
    return new Toxiproxy(address, Long.getLong("bench.toxiproxy.pid", 0));
  }

  String version() throws IOException, InterruptedException {
    return call("GET", "/version", null).trim().replace("\"", "");
  }

  /** Creates (or replaces) a proxy; returns the port it listens on (listen 0 lets Toxiproxy pick). */
  int create(String name, int listen, int upstream) throws IOException, InterruptedException {
    delete(name);
    String body = "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:" + listen + "\",\"upstream\":\"127.0.0.1:" + upstream
        + "\",\"enabled\":true}";
    String r = call("POST", "/proxies", body);
    Matcher m = Pattern.compile("\"listen\"\\s*:\\s*\"[^\"]*:(\\d+)\"").matcher(r);
    if (!m.find()) throw new IOException("Toxiproxy did not create " + name + ": " + r);
    return Integer.parseInt(m.group(1));
  }

  void delete(String name) throws IOException, InterruptedException {
    http.send(HttpRequest.newBuilder(URI.create(api + "/proxies/" + name)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
  }

  /** A latency toxic on both directions (two toxics, as Toxiproxy's act on one direction each). */
  void latency(String proxy, int ms) throws IOException, InterruptedException {
    for (String stream : new String[] {"upstream", "downstream"}) {
      call("POST", "/proxies/" + proxy + "/toxics", "{\"name\":\"lat_" + stream + "\",\"type\":\"latency\",\"stream\":\"" + stream
          + "\",\"toxicity\":1.0,\"attributes\":{\"latency\":" + ms + ",\"jitter\":0}}");
    }
  }

  void removeLatency(String proxy) throws IOException, InterruptedException {
    for (String stream : new String[] {"upstream", "downstream"}) {
      http.send(HttpRequest.newBuilder(URI.create(api + "/proxies/" + proxy + "/toxics/lat_" + stream)).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  /** The server process's RSS (KB) and open descriptors. */
  long[] processStat() throws IOException {
    long rss = 0;
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
    }
    long fds;
    try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = s.count();
    }
    return new long[] {rss, fds};
  }

  private String call(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() >= 300) throw new IOException("Toxiproxy " + method + " " + path + ": " + r.statusCode() + " " + r.body());
    return r.body();
  }
}
