package dev.faultline.bench;

import dev.faultline.host.CallContext;
import dev.faultline.measure.TrafficFigures;
import dev.faultline.stdlib.traffic.Traffic;
import dev.faultline.stdlib.traffic.TrafficLibrary;
import dev.faultline.value.Rate;
import dev.faultline.value.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The traffic generator against wrk on the same local nginx, in one run (bench/traffic.sh starts
 * nginx). Measures wrk's maximum rate (closed model, its best of 1 and 2 threads), the highest rate
 * at which traffic() keeps its schedule (send-time error p99 ≤ 1 ms, at most 1% of sends late, no
 * errors), and the latency percentiles of both at one rate both sustain (wrk paced by a Lua delay).
 * Appends the tables, goals and verdicts to the file named by the first argument.
 */
public final class TrafficBench {
  static final Duration STEP = Duration.ofSeconds(5);
  private final String url;
  private final StringBuilder md = new StringBuilder();
  private final List<String> verdicts = new ArrayList<>();

  private TrafficBench(String url) {
    this.url = url;
  }

  public static void main(String[] args) throws Exception {
    new TrafficBench(args[1]).run(Path.of(args[0]), Path.of(args[2]));
  }

  /** One run of traffic() at a fixed rate: its figures and its send-time errors. */
  record Run(double rate, TrafficFigures f, Histogram sendErrors, Histogram fromSend) {
    double sendP99Ms() {
      return sendErrors.getValueAtPercentile(99) / 1000.0;
    }

    double lateShare() {
      return f.requests() == 0 ? 1 : (double) f.late() / f.requests();
    }

    boolean keepsSchedule() {
      return sendP99Ms() <= 1.0 && lateShare() <= 0.01 && f.errors() == 0 && f.completed() == f.requests();
    }
  }

  Run traffic(double rate, Duration length) {
    Traffic t = new TrafficLibrary().traffic(url, new Rate(rate), length, "GET", Map.of(), "", List.of(), Duration.ofSeconds(2),
        100_000, "bench", CallContext.detached());
    t.waitForEnd(CallContext.detached());
    return new Run(rate, t.figures(), t.sendErrors(), t.latenciesFromSend());
  }

  void run(Path out, Path luaDir) throws Exception {
    String load = Files.readString(Path.of("/proc/loadavg")).strip();
    md.append("\n## ").append(Instant.now().toString(), 0, 16).append(" UTC, commit ").append(System.getProperty("bench.commit", "-"))
        .append("\n\nMachine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, **shared with other builds and tests**"
            + " (load average at start: ").append(load).append("); JVM ").append(System.getProperty("java.version"))
        .append(". Target: nginx (1 worker, a 612-byte file) on 127.0.0.1. Each rate runs ").append(STEP.toSeconds())
        .append(" s after a 6 s warm-up at 5,000/s.\n\n");

    // wrk's maximum rate: closed model, as many requests as 64 connections complete.
    double wrk1 = wrkRate(wrk("-t1", "-c64", "-d8s", url));
    double wrk2 = wrkRate(wrk("-t2", "-c64", "-d8s", url));
    double wrkMax = Math.max(wrk1, wrk2);
    md.append("### Maximum rate\n\n| generator | rate |\n|---|---|\n")
        .append("| wrk -t1 -c64 (closed model) | ").append(fmt(wrk1)).append("/s |\n")
        .append("| wrk -t2 -c64 (closed model) | ").append(fmt(wrk2)).append("/s |\n");

    traffic(5000, Duration.ofSeconds(6)); // warm-up, not measured: the JIT compiles the send and receive paths
    List<Run> ladder = new ArrayList<>();
    Run best = null;
    // Every rate of the ladder runs (a busy machine may fail a low rate and pass a higher one); it
    // ends early once the target no longer answers every request.
    for (double rate : new double[] {1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 50_000}) {
      Run r = traffic(rate, STEP);
      ladder.add(r);
      if (r.keepsSchedule() && (best == null || r.rate > best.rate)) best = r;
      if (r.f.errors() > 0 || r.f.completed() < r.f.requests()) break;
    }
    md.append("\ntraffic() by rate (open model; latency from the due time):\n\n"
        + "| rate | requests | late (> 1 ms) | send-time error p50 / p99 / max | errors | p50 | p99 | max | keeps schedule |\n"
        + "|---|---|---|---|---|---|---|---|---|\n");
    for (Run r : ladder) {
      md.append("| ").append(fmt(r.rate)).append("/s | ").append(r.f.requests()).append(" | ").append(r.f.late())
          .append(String.format(Locale.ROOT, " (%.2f%%)", r.lateShare() * 100)).append(" | ")
          .append(us(r.sendErrors.getValueAtPercentile(50))).append(" / ").append(us(r.sendErrors.getValueAtPercentile(99)))
          .append(" / ").append(us(r.sendErrors.getMaxValue())).append(" | ").append(r.f.errors()).append(" | ")
          .append(Values.show(r.f.p50())).append(" | ").append(Values.show(r.f.p99())).append(" | ").append(Values.show(r.f.max()))
          .append(" | ").append(r.keepsSchedule() ? "yes" : "no").append(" |\n");
    }
    double sustained = best == null ? 0 : best.rate;
    md.append("\nHighest rate that keeps the schedule: **").append(fmt(sustained)).append("/s**, ")
        .append(String.format(Locale.ROOT, "%.2f", sustained / wrkMax)).append("× wrk's maximum of ").append(fmt(wrkMax)).append("/s.\n");
    verdict("send-time error p99 ≤ 1 ms at the highest sustained rate", best != null && best.sendP99Ms() <= 1.0,
        best == null ? "no rate kept the schedule" : String.format(Locale.ROOT, "%.3f ms", best.sendP99Ms()));
    verdict("≥ 0.5× wrk's maximum rate while keeping the schedule", sustained >= 0.5 * wrkMax,
        String.format(Locale.ROOT, "%.2f×", sustained / wrkMax));

    // Latency at a rate both sustain: a quarter of what traffic() sustains, wrk paced to it.
    double shared = Math.max(1000, Math.round(sustained / 4 / 100) * 100);
    int connections = 16;
    Path lua = luaDir.resolve("paced.lua");
    Files.writeString(lua, "function delay() return " + (long) (connections * 1000 / shared) + " end\n");
    String paced = wrk("-t1", "-c" + connections, "-d10s", "--latency", "-s", lua.toString(), url);
    double pacedRate = wrkRate(paced);
    double[] wrkPct = wrkPercentiles(paced);
    Run ours = traffic(shared, Duration.ofSeconds(10));
    md.append("\n### Latency at a shared rate: ").append(fmt(shared)).append("/s\n\n"
        + "wrk is paced with a Lua `delay()` of ").append((long) (connections * 1000 / shared)).append(" ms on each of ").append(connections)
        .append(" connections (it reached ").append(fmt(pacedRate)).append("/s); traffic() runs the same rate for 10 s.\n\n"
            + "| generator | p50 | p75 | p90 | p99 |\n|---|---|---|---|---|\n")
        .append("| wrk | ").append(ms(wrkPct[0])).append(" | ").append(ms(wrkPct[1])).append(" | ").append(ms(wrkPct[2])).append(" | ")
        .append(ms(wrkPct[3])).append(" |\n");
    TrafficFigures f = ours.f;
    Histogram sent = ours.fromSend;
    md.append("| traffic(), from the actual send (as wrk measures) | ").append(ms(sent.getValueAtPercentile(50) / 1000.0)).append(" | ")
        .append(ms(sent.getValueAtPercentile(75) / 1000.0)).append(" | ").append(ms(sent.getValueAtPercentile(90) / 1000.0)).append(" | ")
        .append(ms(sent.getValueAtPercentile(99) / 1000.0)).append(" |\n");
    md.append("| traffic(), from the due time (what it reports) | ").append(Values.show(f.p50())).append(" | – | – | ")
        .append(Values.show(f.p99())).append(" |\n");
    md.append("\nSend-time error at this rate: p50 ").append(us(ours.sendErrors.getValueAtPercentile(50))).append(", p99 ")
        .append(us(ours.sendErrors.getValueAtPercentile(99))).append(", ").append(ours.f.late()).append(" late sends of ")
        .append(ours.f.requests()).append(".\n");
    double ourP99 = sent.getValueAtPercentile(99) / 1000.0;
    boolean close = Math.abs(ourP99 - wrkPct[3]) <= 0.10 * wrkPct[3];
    verdict("p99 (from the send) within 10% of wrk's at " + fmt(shared) + "/s", close,
        String.format(Locale.ROOT, "%.3f ms against %.3f ms (%+.0f%%)", ourP99, wrkPct[3], (ourP99 - wrkPct[3]) * 100 / wrkPct[3]));

    md.append("\n### Goals\n\n| goal | result | verdict |\n|---|---|---|\n");
    for (String v : verdicts) md.append(v).append('\n');
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    System.out.print(md);
  }

  private void verdict(String goal, boolean met, String value) {
    verdicts.add("| " + goal + " | " + value + " | " + (met ? "met" : "**not met**") + " |");
  }

  static String wrk(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("wrk"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static double wrkRate(String out) {
    Matcher m = Pattern.compile("Requests/sec:\\s*([0-9.]+)").matcher(out);
    if (!m.find()) throw new IllegalStateException("no rate in wrk's output:\n" + out);
    return Double.parseDouble(m.group(1));
  }

  /** p50, p75, p90, p99 in milliseconds from wrk's --latency distribution. */
  static double[] wrkPercentiles(String out) {
    double[] p = new double[4];
    String[] names = {"50%", "75%", "90%", "99%"};
    for (int i = 0; i < 4; i++) {
      Matcher m = Pattern.compile("\\s" + names[i] + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
      if (!m.find()) throw new IllegalStateException("no " + names[i] + " in wrk's output:\n" + out);
      double v = Double.parseDouble(m.group(1));
      p[i] = switch (m.group(2)) { case "us" -> v / 1000; case "s" -> v * 1000; default -> v; };
    }
    return p;
  }

  static String fmt(double rate) {
    return String.format(Locale.ROOT, "%,.0f", rate);
  }

  static String us(long micros) {
    return micros < 1000 ? micros + "us" : String.format(Locale.ROOT, "%.2fms", micros / 1000.0);
  }

  static String ms(double millis) {
    return millis < 1 ? String.format(Locale.ROOT, "%.0fus", millis * 1000) : String.format(Locale.ROOT, "%.2fms", millis);
  }
}
