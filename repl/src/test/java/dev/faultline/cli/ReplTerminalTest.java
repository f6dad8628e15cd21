package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code faultline repl} in a pseudo-terminal (tmux): what a person sees and types.
 * Kept few and bounded: each waits for the screen with a deadline, and the REPL runs in a child JVM.
 */
@Timeout(120)
class ReplTerminalTest {
  @TempDir
  Path tmp;

  @BeforeEach
  void tmux() {
    Tmux.assumeAvailable();
  }

  private static final String GUARDED = """
      playbook "guarded" {
        let svc = demo.service(name: "shop")
        guard "shop healthy" every 100ms { http.get(svc.health_url).ok } else abort P1 "the shop is down"
      }
      """;

  @Test
  void statementsValuesCompletionAMultiLineBlockAndAnErrorThenAWorkingStatement() throws Exception {
    try (Tmux t = Tmux.repl(tmp, "--report-dir", "report", "--no-watchdog")) {
      t.waitFor("faultline> ");
      t.line("let budget = 2.5s");
      t.waitFor("budget = 2.5s");
      t.line("budget * 2");
      t.waitFor("\n5s");
      t.type("http.");
      t.keys("Tab");
      t.waitFor("get(url: string");
      t.keys("C-u");
      t.line("fn twice(d) {");
      t.waitFor("...>");
      t.line("  return d * 2");
      t.line("}");
      t.line("twice(750ms)");
      t.waitFor("1.5s");
      t.line("let slow = budget > 30%");
      String screen = t.waitFor("^");
      assertTrue(screen.contains("<input 5>:1:12: error: cannot compare a duration with a percentage"), screen);
      t.line("budget + 500ms");
      t.waitFor("\n3s");
      t.line("quit");
      assertEquals(0, t.exitCode());
      assertTrue(Files.readString(tmp.resolve("report/transcript.txt")).contains("twice(750ms)"));
    }
  }

  @Test
  void ctrlCInterruptsAWaitAndTheSessionGoesOn() throws Exception {
    try (Tmux t = Tmux.repl(tmp, "--report-dir", "report", "--no-watchdog")) {
      t.waitFor("faultline> ");
      t.keys("C-c");
      t.waitFor("to quit type 'quit' or press Ctrl-D");
      t.line("wait 5m");
      // Ctrl-C again only when the first was not seen in 2s: it may arrive before the statement started.
      long end = System.nanoTime() + 30_000_000_000L;
      do {
        Thread.sleep(300);
        t.keys("C-c");
        long seen = System.nanoTime() + 2_000_000_000L;
        while (!t.screen().contains("interrupting the running statement") && System.nanoTime() < seen) Thread.sleep(50);
      } while (!t.screen().contains("interrupting the running statement") && System.nanoTime() < end);
      t.waitFor("interrupted: interrupted by Ctrl-C");
      t.waitFor("faultline> ", 3);
      t.line("1 + 1");
      t.waitFor("\n2\n");
      t.keys("C-d");
      assertEquals(0, t.exitCode());
    }
  }

  @Test
  void aGuardBreachAtThePromptRevertsEveryFaultAndTheSessionStaysOpen() throws Exception {
    Path playbook = Files.writeString(tmp.resolve("guarded.fl"), GUARDED);
    try (Tmux t = Tmux.repl(tmp, playbook.toString(), "--report-dir", "report", "--no-watchdog")) {
      t.waitFor("faultline> ");
      t.line("inject svc.outage(status: 503)");
      t.waitFor("BREACH  guard \"shop healthy\" (P1)");
      t.waitFor("the active fault was reverted");
      t.line("http.get(svc.health_url).status");
      t.waitFor("\n200\n");
      t.line("faults");
      t.waitFor("no fault is active");
      t.line("quit");
      assertEquals(0, t.exitCode());
      assertTrue(Files.readString(tmp.resolve("report/report.json")).contains("guard.breached"));
    }
  }

  @Test
  void quitWithActiveFaultsAsksOnceThenRevertsThemAll() throws Exception {
    Path config = tmp.resolve("config.yaml");
    byte[] original = "replicas: 2\n".getBytes(StandardCharsets.UTF_8);
    Files.write(config, original);
    try (ServerSocket echo = new ServerSocket(0); Tmux t = Tmux.repl(tmp, "--allow", "fs,net", "--report-dir", "report")) {
      Thread server = echoServer(echo);
      t.waitFor("faultline> ");
      t.line("let link = proxy(upstream: \"127.0.0.1:" + echo.getLocalPort() + "\", name: \"db\")");
      t.type("link.");
      t.keys("Tab");
      t.waitFor("latency(delay: duration");  // the faults the proxy offers, with their parameters
      t.keys("C-u");
      t.type("inject link.latency(300ms, ");
      t.keys("Tab");
      t.waitFor("direction:");  // inside the call: its named parameters
      t.keys("C-u");
      t.line("link.port");
      Pattern shown = Pattern.compile("link\\.port\\s*\n(\\d+)\n");
      Matcher port = shown.matcher(t.screen());
      for (long end = System.nanoTime() + 30_000_000_000L; !port.find(); port = shown.matcher(t.screen())) {
        if (System.nanoTime() > end) throw new AssertionError("the port was never shown:\n" + t.screen());
        Thread.sleep(50);
      }
      int proxyPort = Integer.parseInt(port.group(1));
      t.line("inject link.latency(300ms)");
      t.line("inject file(\"" + config + "\").replace(\"replicas: -1\")");
      t.waitFor("inject  replace");
      t.waitFor("2 faults active | no guards");  // the status line, refreshed once a second
      assertTrue(roundTripMillis(proxyPort) >= 250, "the latency is active");
      t.line("quit");
      t.waitFor("and quit? [y/N]");
      t.line("y");
      assertEquals(0, t.exitCode());
      String screen = t.screen();
      assertTrue(screen.contains("reverting 2 active faults before quitting"), screen);
      assertTrue(screen.contains("revert  latency"), screen);
      assertArrayEquals(original, Files.readAllBytes(config), "the file is byte-identical");
      try (Stream<Path> left = Files.walk(tmp.resolve(".faultline/journal"))) {
        assertTrue(left.noneMatch(p -> p.toString().endsWith(".json")), "the journal holds no fault");
      }
      server.interrupt();
    }
  }

  @Test
  void closingTheTerminalRevertsEveryFault() throws Exception {
    Path config = tmp.resolve("config.yaml");
    byte[] original = "port: 5432\n".getBytes(StandardCharsets.UTF_8);
    Files.write(config, original);
    Tmux t = Tmux.repl(tmp, "--allow", "fs", "--report-dir", "report", "--no-watchdog");
    try {
      t.waitFor("faultline> ");
      t.line("inject file(\"" + config + "\").corrupt()");
      t.waitFor("inject  corrupt");
    } finally {
      t.killSession();
    }
    long end = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(tmp.resolve("report/report.json")) && System.nanoTime() < end) Thread.sleep(50);
    assertArrayEquals(original, Files.readAllBytes(config), "SIGHUP reverted the fault");
    assertTrue(Files.readString(tmp.resolve("report/transcript.txt")).contains("revert  corrupt"));
  }

  // ------------------------------------------------------------ helpers

  private static Thread echoServer(ServerSocket server) {
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.getInputStream().transferTo(s.getOutputStream());
        } catch (Exception e) {
          return;
        }
      }
    }, "echo");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static long roundTripMillis(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      long t0 = System.nanoTime();
      out.write("ping".getBytes(StandardCharsets.UTF_8));
      out.flush();
      byte[] buf = new byte[4];
      int n = 0;
      while (n < 4) {
        int r = in.read(buf, n, 4 - n);
        if (r < 0) throw new AssertionError("the proxy closed the connection");
        n += r;
      }
      assertEquals("ping", new String(buf, StandardCharsets.UTF_8));
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }
}
