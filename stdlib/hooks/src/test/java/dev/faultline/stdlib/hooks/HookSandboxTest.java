package dev.faultline.stdlib.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.eval.Aborted;
import dev.faultline.host.HostError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hooks that try to break out of the sandbox, one test per escape: each must be refused, and the
 * runaway ones stopped. The probe {@code escape} runs the given code and returns what it got.
 */
class HookSandboxTest {
  static JsHook hook;
  static HttpServer server;
  static final AtomicInteger served = new AtomicInteger();

  @BeforeAll
  static void load() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/evil.js", ex -> {
      served.incrementAndGet();
      byte[] body = "globalThis.pwned = true".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    hook = Hooks.load("escape.js", """
        faultline.probe("escape", { doc: "runs code and says what happened", params: { code: "string" },
          run(args) {
            try { return "allowed: " + String((0, eval)(args.code)); }
            catch (e) { return "refused: " + e; }
          } });
        """, Hooks.FAST);
  }

  @AfterAll
  static void close() {
    hook.close();
    server.stop(0);
  }

  static String attempt(String code) {
    return (String) Hooks.call(hook, "escape", Map.of("code", code));
  }

  static void assertRefused(String code) {
    String got = attempt(code);
    assertTrue(got.startsWith("refused: "), code + " => " + got);
  }

  @Test
  void javaTypeIsRefused() {
    assertRefused("Java.type('java.lang.Runtime').getRuntime()");
    assertEquals("allowed: undefined", attempt("typeof Java"));
  }

  @Test
  void polyglotEvalOfAnotherLanguageIsRefused() {
    assertRefused("Polyglot.eval('python', '1 + 1')");
    assertRefused("Polyglot.import('x')");
  }

  @Test
  void loadOfAFileOrAUrlIsRefused() {
    assertRefused("load('/etc/passwd')");
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil.js";
    assertRefused("load('" + url + "')");
    assertRefused("loadWithNewGlobal('" + url + "')");
    assertEquals(0, served.get(), "the URL was never fetched");
    assertEquals("allowed: undefined", attempt("typeof globalThis.pwned"));
  }

  @Test
  void readingEtcPasswdIsRefused() {
    assertRefused("require('fs').readFileSync('/etc/passwd')");
    assertRefused("read('/etc/passwd')");
    assertRefused("readbuffer('/etc/passwd')");
    assertRefused("new java.io.FileReader('/etc/passwd')");
    assertRefused("Java.type('java.nio.file.Files').readAllLines(Java.type('java.nio.file.Path').of('/etc/passwd'))");
  }

  @Test
  void spawningAProcessIsRefused() {
    assertRefused("process.exit(1)");
    assertRefused("new (Java.type('java.lang.ProcessBuilder'))(['id']).start()");
    assertRefused("Packages.java.lang.Runtime.getRuntime().exec('id')");
    assertRefused("$EXEC('id')");
  }

  @Test
  void startingAThreadIsRefused() {
    assertRefused("new (Java.type('java.lang.Thread'))(function () {}).start()");
    assertRefused("new Worker('x.js')");
    assertRefused("setTimeout(function () {}, 0)");
  }

  @Test
  void theEnvironmentIsNotReachable() {
    assertRefused("process.env.HOME");
    assertRefused("Java.type('java.lang.System').getenv('HOME')");
  }

  @Test
  void anEndlessLoopIsStoppedByTheStatementLimitNamingTheHookAndLine() {
    JsHook spin = Hooks.load("spin.js", """
        faultline.probe("spin", { doc: "never returns", params: {},
          run() {
            let i = 0;
            while (true) { i++; }
          } });
        """, Hooks.FAST);
    try {
      Aborted e = assertThrows(Aborted.class, () -> Hooks.call(spin, "spin", Map.of()));
      assertTrue(e.getMessage().contains("spin.js:4:"), e.getMessage());
      assertTrue(e.getMessage().contains("statements"), e.getMessage());
      HostError after = assertThrows(HostError.class, () -> Hooks.call(spin, "spin", Map.of()));
      assertTrue(after.getMessage().contains("stopped earlier"), after.getMessage());
    } finally {
      spin.close();
    }
  }

  @Test
  void aLoopThatOutrunsTheTimeLimitIsInterrupted() {
    // Few statements, each slow: the time limit, not the statement limit, ends it.
    JsHook slow = Hooks.load("slow.js", """
        faultline.probe("slow", { doc: "sorts forever", params: {},
          run() {
            const a = Array.from({ length: 200000 }, (_, i) => (i * 7919) % 200003);
            for (;;) { a.sort((x, y) => x - y); a.reverse(); }
          } });
        """, new HookLimits(java.time.Duration.ofMillis(500), Long.MAX_VALUE, Long.MAX_VALUE, java.time.Duration.ofSeconds(2)));
    try {
      long start = System.nanoTime();
      Aborted e = assertThrows(Aborted.class, () -> Hooks.call(slow, "slow", Map.of()));
      assertTrue(e.getMessage().contains("time limit of 500ms"), e.getMessage());
      assertTrue(e.getMessage().contains("slow.js:"), e.getMessage());
      assertTrue(System.nanoTime() - start < 10_000_000_000L, "stopped within seconds");
    } finally {
      slow.close();
    }
  }

  @Test
  void aGrowingArrayIsStoppedByTheAllocationMonitor() {
    JsHook bomb = Hooks.load("bomb.js", """
        const kept = [];
        faultline.probe("bomb", { doc: "grows without end", params: {},
          run() {
            for (;;) kept.push(new Array(100000).fill(1.5));
          } });
        """, new HookLimits(java.time.Duration.ofSeconds(30), Long.MAX_VALUE, 64L << 20, java.time.Duration.ofSeconds(2)));
    try {
      Aborted e = assertThrows(Aborted.class, () -> Hooks.call(bomb, "bomb", Map.of()));
      assertTrue(e.getMessage().contains("allocated more than 64 MB"), e.getMessage());
      HostError after = assertThrows(HostError.class, () -> Hooks.call(bomb, "bomb", Map.of()));
      assertInstanceOf(HostError.class, after);
    } finally {
      bomb.close();
    }
  }
}
