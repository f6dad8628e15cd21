package dev.faultline.bench;

import dev.faultline.stdlib.net.BenchProxies;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP fault proxy against direct loopback, socat and HAProxy, side by side in one run
 * (bench/proxy.sh starts the references and the targets; this starts our proxies in this JVM and a
 * second JVM for the idle-connection test). Every figure is the median of {@link #RUNS} runs.
 * Writes the tables, ratios and verdicts to the file named by the first argument.
 */
public final class ProxyBench {
  static final int RUNS = 3;
  // Targets and references, as bench/proxy.sh starts them.
  static final int IPERF = 5201, IPERF_SOCAT = 15201, IPERF_HAPROXY = 25201, IPERF_OURS = 35201, IPERF_OURS_FAULT = 35202;
  static final int ECHO = 7000, ECHO_SOCAT = 17000, ECHO_HAPROXY = 27000, ECHO_OURS = 37000;
  static final int HTTP = 8080, HTTP_HAPROXY = 28080, HTTP_OURS = 38080, HTTP_OURS_IDLE = 39080;
  // Toxiproxy, when bench/proxy.sh was given a toxiproxy-server (TOXIPROXY_SERVER): proxies made through its API.
  static final int IPERF_NIO = 55201, HTTP_NIO = 58080;
  static final int IPERF_TOXI = 45201, IPERF_TOXI_FAULT = 45202, ECHO_TOXI = 47000, HTTP_TOXI = 48080, HTTP_TOXI_IDLE = 49080;

  /** Toxiproxy's API, or null when this run has no Toxiproxy. */
  private final Toxiproxy toxi = Toxiproxy.fromProperties();

  private final StringBuilder md = new StringBuilder();
  private final List<String> summary = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      serve(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    new ProxyBench().run(Path.of(args[0]), args.length > 1 ? args[1] : "");
  }

  // ------------------------------------------------------------------ the run

  void run(Path out, String only) throws Exception {
    Object iperfOurs = BenchProxies.start(IPERF_OURS, "127.0.0.1", IPERF);
    Object iperfFault = BenchProxies.start(IPERF_OURS_FAULT, "127.0.0.1", IPERF);
    Object echoOurs = BenchProxies.start(ECHO_OURS, "127.0.0.1", ECHO);
    Object httpOurs = BenchProxies.start(HTTP_OURS, "127.0.0.1", HTTP);
    Object iperfNio = BenchProxies.startNio(IPERF_NIO, "127.0.0.1", IPERF);
    Object httpNio = BenchProxies.startNio(HTTP_NIO, "127.0.0.1", HTTP);
    if (toxi != null) {
      toxi.create("iperf", IPERF_TOXI, IPERF);
      toxi.create("iperf-fault", IPERF_TOXI_FAULT, IPERF);
      toxi.create("echo", ECHO_TOXI, ECHO);
      toxi.create("http", HTTP_TOXI, HTTP);
      toxi.create("http-idle", HTTP_TOXI_IDLE, HTTP);
      log("Toxiproxy " + toxi.version() + " up");
    }
    // Warm-up, not measured: the JIT compiles the relay before the first figure.
    ping(ECHO_OURS);
    wrk(HTTP_OURS, false, "2s");
    wrk(HTTP_NIO, false, "2s");
    log("our proxies up, transport " + (BenchProxies.isEpoll() ? "epoll" : "nio"));
    StringBuilder head = new StringBuilder();
    head.append("# TCP fault proxy benchmark\n\n")
        .append("Made by `bench/proxy.sh` on ").append(Instant.now().toString(), 0, 16).append("Z, commit ")
        .append(System.getProperty("bench.commit", "-")).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Toxiproxy ").append(toxi == null ? "not in this run (set TOXIPROXY_SERVER)" : toxi.version())
        .append(", ")
        .append("all on 127.0.0.1, Netty transport ").append(BenchProxies.isEpoll() ? "epoll" : "NIO")
        .append(". Every figure is the median of ").append(RUNS).append(" runs; ratios are against figures of the same run. Load average at the start: ")
        .append(Files.readString(Path.of("/proc/loadavg")).trim()).append(" (the machine is shared: other work ran meanwhile).\n\n");
    Goal[] goals = {this::bulk, this::keepAlive, this::pingPong, this::newConnections, this::latencyAccuracy,
        () -> bulkWithLatency(iperfFault), this::idle, this::transports};
    for (int g = 0; g < goals.length; g++) {
      if (!only.isEmpty() && !only.contains(String.valueOf(g + 1))) continue;
      try {
        goals[g].run();
      } catch (Exception e) {
        log("goal " + (g + 1) + " failed: " + e);
        verdict((g + 1) + ". (not measured)", "the run failed: " + e.toString().replace('\n', ' ').replace('|', '/'));
      }
      // Written after every goal, so a failure later keeps what was measured.
      String text = head + "## Summary\n\n| goal | verdict |\n|---|---|\n" + String.join("\n", summary) + "\n\n" + md;
      Files.writeString(out, text);
    }
    log("wrote " + out);
    for (Object p : List.of(iperfOurs, iperfFault, echoOurs, httpOurs, iperfNio, httpNio)) BenchProxies.stop(p);
    if (toxi != null) for (String n : List.of("iperf", "iperf-fault", "echo", "http", "http-idle")) toxi.delete(n);
  }

  // 1. bulk throughput
  void bulk() throws Exception {
    md.append("## 1. Bulk throughput, no fault (iperf3 -t 5, Gbit/s)\n\n")
        .append("Goal: ≥ 1.0× HAProxy and ≥ 1.3× socat; stretch ≥ 0.6× direct.\n\n")
        .append("| streams | direct | socat | HAProxy | Toxiproxy | ours | ours/direct | ours/socat | ours/HAProxy | ours/Toxiproxy | socat/direct | HAProxy/direct | Toxiproxy/direct |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    boolean met = true, stretch = true;
    StringBuilder lose = new StringBuilder();
    for (int streams : new int[] {1, 4}) {
      double d = median(() -> iperf(IPERF, streams)), s = median(() -> iperf(IPERF_SOCAT, streams));
      double h = median(() -> iperf(IPERF_HAPROXY, streams)), o = median(() -> iperf(IPERF_OURS, streams));
      double t = toxi == null ? Double.NaN : median(() -> iperf(IPERF_TOXI, streams));
      md.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %s | %.2f | %.2f× | %.2f× | %.2f× | %s | %.2f× | %.2f× | %s |\n",
          streams, d, s, h, num(t), o, o / d, o / s, o / h, ratio(o / t), s / d, h / d, ratio(t / d)));
      if (o / h < 1.0 || o / s < 1.3) {
        met = false;
        lose.append(String.format(Locale.ROOT, " %d stream(s): %.2f× HAProxy, %.2f× socat;", streams, o / h, o / s));
      }
      if (o / d < 0.6) stretch = false;
    }
    verdict("1. bulk", met ? "met" + (stretch ? " (stretch met too)" : " (stretch ≥ 0.6× direct missed)") : "missed:" + lose);
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x);
  }

  private static String ratio(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f×", x);
  }

  // 2. keep-alive requests
  void keepAlive() throws Exception {
    md.append("## 2. Small keep-alive requests (wrk -t2 -c50 -d5s against nginx, a 612-byte file)\n\n")
        .append("Goal: ≥ 0.8× HAProxy's rate, p99 ≤ 1.5× HAProxy's p99.\n\n")
        .append("| path | requests/s | p99 (ms) | rate/direct | rate/HAProxy | p99/HAProxy |\n|---|---|---|---|---|---|\n");
    double[] d = wrkMedian(HTTP, false), h = wrkMedian(HTTP_HAPROXY, false), o = wrkMedian(HTTP_OURS, false);
    row2("direct", d, d, h);
    row2("HAProxy", h, d, h);
    row2("ours", o, d, h);
    String vsToxi = "";
    if (toxi != null) {
      double[] t = wrkMedian(HTTP_TOXI, false);
      row2("Toxiproxy", t, d, h);
      vsToxi = String.format(Locale.ROOT, "; against Toxiproxy rate %.2f×, p99 %.2f×", o[0] / t[0], o[1] / t[1]);
    }
    boolean met = o[0] / h[0] >= 0.8 && o[1] / h[1] <= 1.5;
    verdict("2. keep-alive", String.format(Locale.ROOT, "%s: rate %.2f× HAProxy, p99 %.2f× HAProxy's%s", met ? "met" : "missed", o[0] / h[0], o[1] / h[1], vsToxi));
  }

  private void row2(String name, double[] x, double[] d, double[] h) {
    md.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f× | %.2f× | %.2f× |\n", name, x[0], x[1], x[0] / d[0], x[0] / h[0], x[1] / h[1]));
  }

  // 3. ping-pong
  void pingPong() throws Exception {
    md.append("\n## 3. One connection, added latency per hop (64-byte ping-pong, TCP_NODELAY, 20,000 round trips after 2,000 warm-up)\n\n")
        .append("The echo server is `socat ... PIPE`; a path's added latency is its round-trip time less the direct one's.\n")
        .append("Goal: added p50 ≤ socat's + 15 µs, round-trip p99 ≤ 1.2× socat's.\n\n")
        .append("| path | RTT p50 (µs) | RTT p99 (µs) | added p50 (µs) | added p99 (µs) | p99/socat p99 |\n|---|---|---|---|---|---|\n");
    double[] d = pingMedian(ECHO), s = pingMedian(ECHO_SOCAT), h = pingMedian(ECHO_HAPROXY), o = pingMedian(ECHO_OURS);
    List<Object[]> rows = new ArrayList<>(List.of(new Object[] {"direct", d}, new Object[] {"socat", s}, new Object[] {"HAProxy", h}, new Object[] {"ours", o}));
    if (toxi != null) rows.add(new Object[] {"Toxiproxy", pingMedian(ECHO_TOXI)});
    for (Object[] r : rows) {
      double[] x = (double[]) r[1];
      md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f | %+.1f | %.2f× |\n", r[0], x[0], x[1], x[0] - d[0], x[1] - d[1], x[1] / s[1]));
    }
    double addedO = o[0] - d[0], addedS = s[0] - d[0];
    boolean met = addedO <= addedS + 15 && o[1] <= 1.2 * s[1];
    verdict("3. latency per hop", String.format(Locale.ROOT, "%s: added p50 %.1f µs vs socat's %.1f µs; p99 %.2f× socat's",
        met ? "met" : "missed", addedO, addedS, o[1] / s[1]));
  }

  // 4. new connection per request
  void newConnections() throws Exception {
    md.append("\n## 4. New connection per request (wrk -t2 -c50 -d5s -H 'Connection: close' against nginx)\n\n")
        .append("Goal: ≥ 0.6× HAProxy's rate.\n\n")
        .append("| path | connections/s | p99 (ms) | rate/direct | rate/HAProxy | p99/HAProxy |\n|---|---|---|---|---|---|\n");
    double[] d = wrkMedian(HTTP, true), h = wrkMedian(HTTP_HAPROXY, true), o = wrkMedian(HTTP_OURS, true);
    row2("direct", d, d, h);
    row2("HAProxy", h, d, h);
    row2("ours", o, d, h);
    String vsToxi = "";
    if (toxi != null) {
      double[] t = wrkMedian(HTTP_TOXI, true);
      row2("Toxiproxy", t, d, h);
      vsToxi = String.format(Locale.ROOT, "; %.2f× Toxiproxy's (%.0f/s)", o[0] / t[0], t[0]);
    }
    verdict("4. new connections", String.format(Locale.ROOT, "%s: %.2f× HAProxy's rate (%.0f/s against %.0f/s)%s",
        o[0] / h[0] >= 0.6 ? "met" : "missed", o[0] / h[0], o[0], h[0], vsToxi));
  }

  // 5. latency fault accuracy
  void latencyAccuracy() throws Exception {
    md.append("\n## 5. Latency-fault accuracy (8-byte stamped chunks, one every 1 ms (2 ms for 500 ms), 1,000 per run)\n\n")
        .append("Error = (arrival at the sink − send) − delay, so it includes the hop itself (see the 0 ms row).\n")
        .append("Goal: error p50 ≤ 0.2 ms, p99 ≤ 1 ms, max ≤ 5 ms.\n\n")
        .append("| proxy | delay | error p50 (ms) | error p99 (ms) | error max (ms) | verdict |\n|---|---|---|---|---|---|\n");
    boolean all = true;
    StringBuilder worst = new StringBuilder();
    for (boolean ours : toxi == null ? new boolean[] {true} : new boolean[] {true, false}) {
      for (int ms : new int[] {0, 1, 50, 500}) {
        double[][] runs = new double[RUNS][];
        for (int i = 0; i < RUNS; i++) runs[i] = stampRun(ms, ours);
        double p50 = med(col(runs, 0)), p99 = med(col(runs, 1)), max = med(col(runs, 2));
        double maxAll = Arrays.stream(col(runs, 2)).max().orElse(0);
        boolean met = p50 <= 0.2 && p99 <= 1 && max <= 5;
        if (ms > 0 && ours) {
          all &= met;
          worst.append(String.format(Locale.ROOT, " %d ms p50 %.3f/p99 %.3f/max %.2f;", ms, p50, p99, max));
        }
        md.append(String.format(Locale.ROOT, "| %s | %d ms | %.3f | %.3f | %.3f (worst run %.3f) | %s |\n", ours ? "ours" : "Toxiproxy",
            ms, p50, p99, max, maxAll, ms == 0 ? "(baseline)" : met ? "met" : "missed"));
      }
    }
    verdict("5. latency accuracy", (all ? "met:" : "missed:") + worst);
  }

  private static double[] col(double[][] a, int c) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) r[i] = a[i][c];
    return r;
  }

  /** One run: a sink in this JVM behind a fresh proxy with the latency toxic; returns error p50, p99, max in ms. */
  double[] stampRun(int delayMs, boolean ours) throws Exception {
    int count = 1000;
    long interval = delayMs >= 500 ? 2_000_000 : 1_000_000;
    long delay = TimeUnit.MILLISECONDS.toNanos(delayMs);
    try (ServerSocket sink = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Object proxy = ours ? BenchProxies.start(0, "127.0.0.1", sink.getLocalPort()) : null;
      int port = ours ? BenchProxies.port(proxy) : toxi.create("stamp", 0, sink.getLocalPort());
      if (delayMs > 0 && ours) BenchProxies.latency(proxy, Duration.ofMillis(delayMs));
      if (delayMs > 0 && !ours) toxi.latency("stamp", delayMs);
      long[] errors = new long[count];
      Thread reader = new Thread(() -> {
        try (Socket s = sink.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
          for (int i = 0; i < count; i++) {
            long sent = in.readLong();
            errors[i] = System.nanoTime() - sent - delay;
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      reader.start();
      try (Socket c = new Socket("127.0.0.1", port)) {
        c.setTcpNoDelay(true);
        DataOutputStream out = new DataOutputStream(c.getOutputStream());
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
          while (System.nanoTime() < next) Thread.onSpinWait();
          out.writeLong(System.nanoTime());
          out.flush();
          next += interval;
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
      }
      if (ours) BenchProxies.stop(proxy);
      else toxi.delete("stamp");
      Arrays.sort(errors);
      return new double[] {errors[count / 2] / 1e6, errors[(int) (count * 0.99)] / 1e6, errors[count - 1] / 1e6};
    }
  }

  // 6. bulk with latency
  void bulkWithLatency(Object proxy) throws Exception {
    md.append("\n## 6. Bulk throughput with a latency fault (iperf3 -t 5, 1 stream, Gbit/s; the fault on both directions)\n\n")
        .append("Default bound: 128 MiB of delayed chunks per direction per connection (`TcpProxy.PIPE_BOUND`), so the bound implies at most\n")
        .append("128 MiB / delay: 21.5 Gbit/s at 50 ms, 2.15 Gbit/s at 500 ms.\n")
        .append("Goal: with 50 ms ≥ 0.9× no fault; with 500 ms well ahead of Toxiproxy's ≈ 0.5 Gbit/s.\n\n")
        .append("| fault | Gbit/s | ratio to no fault | bound implies (Gbit/s) | share of the bound |\n|---|---|---|---|---|\n");
    double none = median(() -> iperf(IPERF_OURS_FAULT, 1));
    md.append(String.format(Locale.ROOT, "| none | %.2f | 1.00× | - | - |\n", none));
    String v = "";
    String capNote = "";
    for (int ms : new int[] {50, 500}) {
      Object t = BenchProxies.latency(proxy, Duration.ofMillis(ms));
      double g = median(() -> iperf(IPERF_OURS_FAULT, 1));
      BenchProxies.remove(proxy, t);
      double bound = (128L << 20) * 8 / (ms / 1000.0) / 1e9;
      md.append(String.format(Locale.ROOT, "| latency %d ms | %.3f | %.3f× | %.3f | %.2f |\n", ms, g, g / none, bound, g / bound));
      v += String.format(Locale.ROOT, " %d ms %.3f× of no fault (%.3f Gbit/s);", ms, g / none, g);
      if (ms == 50) {
        v = (g / none >= 0.9 ? "met" : "missed") + ":" + v;
        capNote = g / bound >= 0.9 ? " the default bound (TcpProxy.PIPE_BOUND) is the cap" : String.format(Locale.ROOT,
            " at 50 ms it reaches %.0f%% of what the default bound allows: the cap is the per-chunk work, not the bound", 100 * g / bound);
      }
    }
    if (toxi != null) {
      double tNone = median(() -> iperf(IPERF_TOXI_FAULT, 1));
      md.append(String.format(Locale.ROOT, "| Toxiproxy, none | %.2f | 1.00× | - | - |\n", tNone));
      for (int ms : new int[] {50, 500}) {
        toxi.latency("iperf-fault", ms);
        double g = median(() -> iperf(IPERF_TOXI_FAULT, 1));
        toxi.removeLatency("iperf-fault");
        md.append(String.format(Locale.ROOT, "| Toxiproxy, latency %d ms | %.3f | %.3f× | - | - |\n", ms, g, g / tNone));
        v += String.format(Locale.ROOT, " Toxiproxy %d ms %.3f× (%.3f Gbit/s);", ms, g / tNone, g);
      }
    }
    verdict("6. bulk under latency", v + capNote);
  }

  // 8. the transport under the proxy: native epoll against the JDK's selector (NIO)
  void transports() throws Exception {
    md.append("\n## 8. Transport: Netty's native epoll against the JDK selector (Netty NIO), the same proxy code\n\n")
        .append("Why Netty and not a hand-written selector loop: Netty's NIO transport *is* a selector loop over the JDK's\n")
        .append("`java.nio` channels, with pooled buffers, write batching and backpressure already right; a loop of our own\n")
        .append("would redo that at best. The figure that matters is what the native epoll transport adds over it.\n\n")
        .append("| test | epoll | NIO | epoll/NIO |\n|---|---|---|---|\n");
    double e1 = median(() -> iperf(IPERF_OURS, 1)), n1 = median(() -> iperf(IPERF_NIO, 1));
    double e4 = median(() -> iperf(IPERF_OURS, 4)), n4 = median(() -> iperf(IPERF_NIO, 4));
    double[] ek = wrkMedian(HTTP_OURS, false), nk = wrkMedian(HTTP_NIO, false);
    md.append(String.format(Locale.ROOT, "| bulk, 1 stream (Gbit/s) | %.2f | %.2f | %.2f× |\n", e1, n1, e1 / n1));
    md.append(String.format(Locale.ROOT, "| bulk, 4 streams (Gbit/s) | %.2f | %.2f | %.2f× |\n", e4, n4, e4 / n4));
    md.append(String.format(Locale.ROOT, "| keep-alive requests/s (wrk -c50) | %.0f | %.0f | %.2f× |\n", ek[0], nk[0], ek[0] / nk[0]));
    md.append(String.format(Locale.ROOT, "| keep-alive p99 (ms) | %.2f | %.2f | %.2f× |\n", ek[1], nk[1], ek[1] / nk[1]));
    verdict("8. epoll vs NIO", String.format(Locale.ROOT, "epoll %.2f× NIO on bulk (1 stream), %.2f× (4 streams), %.2f× on keep-alive requests",
        e1 / n1, e4 / n4, ek[0] / nk[0]));
  }

  // 7. idle connections
  void idle() throws Exception {
    md.append("\n## 7. 1,000 concurrent idle connections (our proxy alone in a second JVM, in front of nginx)\n\n")
        .append("Goal: ≤ 30 KB per idle connection, memory returned after they close, no descriptor leak.\n\n");
    String cp = System.getProperty("java.class.path");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", cp,
        ProxyBench.class.getName(), "serve", String.valueOf(HTTP_OURS_IDLE), String.valueOf(HTTP))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    PrintStream cmd = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
    in.readLine(); // ready
    // Warm-up: classes loaded, pools touched, then closed.
    wrk(HTTP_OURS_IDLE, false, "2s");
    List<SocketChannel> warm = open(100);
    Thread.sleep(500);
    for (SocketChannel c : warm) c.close();
    Thread.sleep(1000);
    long[] base = stat(cmd, in);
    List<SocketChannel> conns = open(1000);
    Thread.sleep(1500);
    long[] loaded = stat(cmd, in);
    double[] busy = wrk(HTTP_OURS_IDLE, false, "5s");
    for (SocketChannel c : conns) c.close();
    Thread.sleep(2000);
    long[] after = stat(cmd, in);
    cmd.println("quit");
    child.waitFor(10, TimeUnit.SECONDS);
    child.destroy();
    md.append("| moment | connections | heap used after GC (KB) | RSS (KB) | open fds |\n|---|---|---|---|---|\n");
    for (Object[] r : new Object[][] {{"before (warmed up)", base}, {"1,000 idle open", loaded}, {"2 s after they closed", after}}) {
      long[] x = (long[]) r[1];
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |\n", r[0], x[3], x[0] / 1024, x[1], x[2]));
    }
    double heapPer = (loaded[0] - base[0]) / 1000.0 / 1024, rssPer = (loaded[1] - base[1]) / 1000.0;
    md.append(String.format(Locale.ROOT, "\nPer idle connection: heap %.1f KB, RSS %.1f KB. Heap returned: %.0f%% of the growth;"
        + " RSS after close %+d KB against before; fds %d before, %d after. With the 1,000 idle connections open,"
        + " wrk -c50 -d5s through the same proxy: %.0f requests/s, p99 %.2f ms.\n",
        heapPer, rssPer, 100.0 * (loaded[0] - after[0]) / Math.max(1, loaded[0] - base[0]), after[1] - base[1], base[2], after[2], busy[0], busy[1]));
    if (toxi != null && toxi.pid > 0) {
      long[] tBase = toxi.processStat();
      List<SocketChannel> tConns = open(1000, HTTP_TOXI_IDLE);
      Thread.sleep(1500);
      long[] tLoaded = toxi.processStat();
      for (SocketChannel c : tConns) c.close();
      Thread.sleep(2000);
      long[] tAfter = toxi.processStat();
      md.append(String.format(Locale.ROOT, "\nToxiproxy, the same 1,000 idle connections: RSS %d KB before, %d KB open, %d KB 2 s after"
          + " (%.1f KB per connection); fds %d → %d → %d.\n", tBase[0], tLoaded[0], tAfter[0], (tLoaded[0] - tBase[0]) / 1000.0,
          tBase[1], tLoaded[1], tAfter[1]));
    }
    boolean met = Math.max(heapPer, rssPer) <= 30 && after[2] <= base[2] && after[0] <= base[0] + (loaded[0] - base[0]) / 10;
    verdict("7. 1,000 idle", String.format(Locale.ROOT, "%s: heap %.1f KB and RSS %.1f KB per connection; fds %d → %d; heap back to %+d KB",
        met ? "met" : "missed", heapPer, rssPer, base[2], after[2], (after[0] - base[0]) / 1024));
  }

  private static List<SocketChannel> open(int n) throws IOException {
    return open(n, HTTP_OURS_IDLE);
  }

  private static List<SocketChannel> open(int n, int port) throws IOException {
    List<SocketChannel> r = new ArrayList<>();
    for (int i = 0; i < n; i++) r.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
    return r;
  }

  private static long[] stat(PrintStream cmd, BufferedReader in) throws IOException {
    cmd.println("stat");
    String[] f = in.readLine().trim().split(" ");
    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
  }

  /** The second JVM: one proxy, and on each "stat" line: heap used after GC (bytes), RSS (KB), open fds, connections. */
  static void serve(int listen, int upstream) throws Exception {
    Object proxy = BenchProxies.start(listen, "127.0.0.1", upstream);
    System.out.println("ready");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(100);
      }
      Runtime rt = Runtime.getRuntime();
      long heap = rt.totalMemory() - rt.freeMemory();
      long rss = 0;
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
      long fds;
      try (var s = Files.list(Path.of("/proc/self/fd"))) {
        fds = s.count();
      }
      System.out.println(heap + " " + rss + " " + fds + " " + BenchProxies.connections(proxy));
      System.out.flush();
    }
    BenchProxies.stop(proxy);
  }

  // ------------------------------------------------------------------ tools

  interface Goal {
    void run() throws Exception;
  }

  interface Measure {
    double get() throws Exception;
  }

  static double median(Measure m) throws Exception {
    double[] r = new double[RUNS];
    for (int i = 0; i < RUNS; i++) r[i] = m.get();
    return med(r);
  }

  static double med(double[] r) {
    double[] c = r.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  double[] wrkMedian(int port, boolean close) throws Exception {
    double[][] runs = new double[RUNS][];
    for (int i = 0; i < RUNS; i++) runs[i] = wrk(port, close, "5s");
    return new double[] {med(col(runs, 0)), med(col(runs, 1))};
  }

  double[] pingMedian(int port) throws Exception {
    double[][] runs = new double[RUNS][];
    for (int i = 0; i < RUNS; i++) runs[i] = ping(port);
    log("ping " + port + " " + Arrays.toString(runs[RUNS / 2]));
    return new double[] {med(col(runs, 0)), med(col(runs, 1))};
  }

  static double[] ping(int port) throws IOException {
    int warm = 2000, n = 20000;
    byte[] msg = new byte[64], back = new byte[64];
    long[] rtt = new long[n];
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < warm + n; i++) {
        long t0 = System.nanoTime();
        out.write(msg);
        int got = 0;
        while (got < 64) {
          int r = in.read(back, got, 64 - got);
          if (r < 0) throw new IOException("echo closed");
          got += r;
        }
        if (i >= warm) rtt[i - warm] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(rtt);
    return new double[] {rtt[n / 2] / 1e3, rtt[(int) (n * 0.99)] / 1e3};
  }

  static double iperf(int port, int streams) throws Exception {
    String o = "";
    for (int attempt = 0; attempt < 20; attempt++) {
      o = exec("iperf3", "-c", "127.0.0.1", "-p", String.valueOf(port), "-t", "5", "-P", String.valueOf(streams), "-J");
      if (!o.contains("server is busy")) break;
      Thread.sleep(1000); // the previous test still closing (slowly, under a latency fault)
    }
    Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)").matcher(o);
    if (!m.find()) throw new IOException("no iperf3 result on port " + port + ": " + o.substring(0, Math.min(400, o.length())));
    double g = Double.parseDouble(m.group(1)) / 1e9;
    log(String.format(Locale.ROOT, "iperf3 port %d x%d: %.3f Gbit/s", port, streams, g));
    Thread.sleep(300);
    return g;
  }

  /** requests/s and p99 in ms. */
  static double[] wrk(int port, boolean close, String duration) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c50", "-d" + duration, "--latency"));
    if (close) cmd.addAll(List.of("-H", "Connection: close"));
    cmd.add("http://127.0.0.1:" + port + "/");
    String o = exec(cmd.toArray(String[]::new));
    Matcher r = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(o);
    Matcher p = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(o);
    if (!r.find() || !p.find()) throw new IOException("no wrk result on port " + port + ": " + o);
    double p99 = Double.parseDouble(p.group(1)) * switch (p.group(2)) { case "us" -> 1e-3; case "ms" -> 1; default -> 1e3; };
    double rate = Double.parseDouble(r.group(1));
    String errors = o.contains("Socket errors") ? " [" + o.substring(o.indexOf("Socket errors")).split("\n")[0] + "]" : "";
    log(String.format(Locale.ROOT, "wrk port %d%s: %.0f req/s p99 %.2f ms%s", port, close ? " close" : "", rate, p99, errors));
    return new double[] {rate, p99};
  }

  static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    return o;
  }

  void verdict(String goal, String v) {
    summary.add("| " + goal + " | " + v + " |");
    md.append("\nVerdict: ").append(v).append("\n\n");
    log("VERDICT " + goal + ": " + v);
  }

  static void log(String s) {
    System.err.println("[proxy-bench] " + s);
  }
}
