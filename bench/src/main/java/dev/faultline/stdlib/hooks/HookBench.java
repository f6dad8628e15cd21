package dev.faultline.stdlib.hooks;

import dev.faultline.ast.Decl;
import dev.faultline.hook.HookSource;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostCall;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostRegistry;
import dev.faultline.source.Position;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Hook benchmark, run by {@code bench/hooks.sh} in a fresh JVM: the first hook's start-up (engine,
 * first context, the hook's top level) and a second hook's; then a probe call in a reused context
 * against a Java host function doing the same work, both through {@link HostCall} as a playbook call
 * goes, and the bare JavaScript call on the hook thread. Goal: hook probe call p50 &lt;= 10 us.
 *
 * <pre>
 *   HookBench [results.md] [calls]     default bench/results/hooks.md, 200000 calls per series
 * </pre>
 */
public final class HookBench {
  static final double GOAL_P50_US = 10;
  static final String HOOK = """
      faultline.probe("bench.add", { doc: "adds two ints", params: { a: "int", b: "int = 1" }, returns: "int",
        run(args) { return args.a + args.b; } });
      """;

  /** The same work as the hook's probe, as a Java host function. */
  public static final class JavaAdd {
    @HostFunction(name = "bench.add", effect = Effect.PURE, doc = "adds two ints")
    public long add(@Arg(name = "a", doc = "a") long a, @Arg(name = "b", doc = "b", byDefault = "1") long b) {
      return a + b;
    }
  }

  public static void main(String[] args) throws Exception {
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results/hooks.md");
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Runtime rt = Runtime.getRuntime();

    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    long rssBefore = rssKb();
    long t0 = System.nanoTime();
    JsHook first = load("first.js");
    long firstNs = System.nanoTime() - t0;
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    long rssAfter = rssKb();
    long t1 = System.nanoTime();
    JsHook second = load("second.js");
    long secondNs = System.nanoTime() - t1;
    second.close();
    long jvmUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();

    HostRegistry.Bound hookFn = first.functions().get(0);
    HostCall hookCall = new HostCall(hookFn.signature(), hookFn.receiver());
    HostRegistry javaReg = HostRegistry.builder().library(new JavaAdd()).build();
    HostRegistry.Bound javaFn = javaReg.function("bench.add").orElseThrow();
    HostCall javaCall = new HostCall(javaFn.signature(), javaFn.receiver());
    CallContext ctx = CallContext.detached();

    // The bare JavaScript call, on the hook thread, without the hand-off to it.
    HookFunction fn = (HookFunction) hookFn.receiver();
    long[] bare = first.call("bench", java.time.Duration.ofMinutes(5), () -> {
      org.graalvm.polyglot.Value caller = first.caller(fn.body(), fn.spec(), List.of("a", "b"));
      for (int i = 0; i < calls; i++) caller.execute(20L, 22L);
      long[] s = new long[calls];
      for (int i = 0; i < calls; i++) {
        long st = System.nanoTime();
        caller.execute(20L, 22L);
        s[i] = System.nanoTime() - st;
      }
      return s;
    }, ctx);

    long[] js = series(hookCall, ctx, calls);
    long[] java = series(javaCall, ctx, calls);
    first.close();

    // The same probe in an isolated hook: a child JVM per hook, a JSON round trip per call.
    long t2 = System.nanoTime();
    Position at = new Position("bench.fl", 1, 1, 4);
    IsolatedHook isolated = IsolatedHook.load(new HookSource(new Decl.Hook(at, "untrusted", "isolated.js", false, at),
        "isolated.js", Optional.empty(), HOOK, 1, 1, true));
    long isolatedStartNs = System.nanoTime() - t2;
    HostRegistry.Bound isoFn = isolated.functions().get(0);
    long[] iso = series(new HostCall(isoFn.signature(), isoFn.receiver()), ctx, Math.max(1000, calls / 20));
    isolated.close();

    String commit = System.getProperty("bench.commit", "-");
    String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(Instant.now());
    double p50 = pct(js, 50);
    StringBuilder b = new StringBuilder();
    b.append("\n## ").append(when).append(", commit ").append(commit).append("\n\n");
    b.append("JDK ").append(System.getProperty("java.version")).append(", ").append(rt.availableProcessors())
        .append(" CPUs, GraalJS interpreter only (community edition on a stock JDK). ").append(calls)
        .append(" calls per series after as many warm-up calls.\n\n");
    b.append("| start-up | time | memory |\n|---|---|---|\n");
    b.append(String.format(Locale.ROOT, "| first hook of the process (engine, context, hook) | %.0f ms | +%d MB heap after GC, +%d MB resident |%n",
        firstNs / 1e6, (heapAfter - heapBefore) >> 20, (rssAfter - rssBefore) >> 10));
    b.append(String.format(Locale.ROOT, "| a second hook (context, hook) | %.0f ms | |%n", secondNs / 1e6));
    b.append(String.format(Locale.ROOT, "| JVM up to this point | %d ms | |%n", jvmUptimeMs));
    b.append(String.format(Locale.ROOT, "| an isolated hook (child JVM, its engine, context, hook) | %.0f ms | in the child (-Xmx256m) |%n%n", isolatedStartNs / 1e6));
    b.append("| call `bench.add(20, b: 22)` | p50 | p90 | p99 | max |\n|---|---|---|---|---|\n");
    row(b, "hook probe through HostCall (hand-off to the hook thread, values both ways)", js);
    row(b, "the same JavaScript call on the hook thread (no hand-off)", bare);
    row(b, "Java host function through HostCall", java);
    row(b, "isolated hook probe through HostCall (JSON over the child's pipes; " + iso.length + " calls)", iso);
    b.append(String.format(Locale.ROOT, "%nGoal: hook probe call p50 <= %.0f us: %s (%.1f us).%n", GOAL_P50_US,
        p50 <= GOAL_P50_US ? "met" : "NOT met", p50));
    System.out.print(b);
    if (!Files.exists(results)) {
      Files.writeString(results, "# Hook benchmark results\n\nAppended by `bench/hooks.sh`; newest last.\n", StandardCharsets.UTF_8);
    }
    Files.writeString(results, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    System.exit(0);
  }

  /** The process's resident set from /proc, in KB; 0 where there is none. */
  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return 0;
  }

  static JsHook load(String name) {
    Position at = new Position("bench.fl", 1, 1, 4);
    // The defaults but for the bare series, which runs all its calls as one call of the hook thread.
    HookLimits limits = new HookLimits(java.time.Duration.ofMinutes(5), Long.MAX_VALUE, Long.MAX_VALUE, HookLimits.DEFAULT.grace());
    return JsHook.load(new HookSource(new Decl.Hook(at, "", name, false, at), name, Optional.empty(), HOOK, 1, 1, false), limits);
  }

  static long[] series(HostCall call, CallContext ctx, int n) {
    List<Object> positional = List.of(20L);
    Map<String, Object> named = Map.of("b", 22L);
    for (int i = 0; i < n; i++) call.call(positional, named, ctx);
    long[] s = new long[n];
    for (int i = 0; i < n; i++) {
      long st = System.nanoTime();
      Object r = call.call(positional, named, ctx);
      s[i] = System.nanoTime() - st;
      if (!Long.valueOf(42).equals(r)) throw new IllegalStateException("got " + r);
    }
    return s;
  }

  static void row(StringBuilder b, String what, long[] s) {
    b.append(String.format(Locale.ROOT, "| %s | %.2f us | %.2f us | %.2f us | %.0f us |%n", what,
        pct(s, 50), pct(s, 90), pct(s, 99), pct(s, 100)));
  }

  static double pct(long[] samples, double p) {
    long[] s = samples.clone();
    Arrays.sort(s);
    int i = (int) Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1);
    return s[Math.max(0, i)] / 1e3;
  }
}
