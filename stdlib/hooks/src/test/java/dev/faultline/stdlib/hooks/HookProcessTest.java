package dev.faultline.stdlib.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.fault.Recovery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hook faults across processes: a run whose hook cannot be stopped reverts its fault and ends; a
 * killed run's hook fault is undone by {@code recover} through the hook's {@code recover(record)},
 * or kept as needing a manual revert when it has none. The harm is a flag on an HTTP server here.
 */
class HookProcessTest {
  static final String HOOK = """
      faultline.injector("flag.raise", {
        doc: "raises the flag on the test server",
        params: { url: "string" },
        inject(args, fl) {
          fl.http.post(args.url + "/on", {});
          return { revert() { fl.http.post(args.url + "/off", {}); } };
        },
        recover(record, fl) { fl.http.post(record.args.url + "/off", {}); },
      });
      faultline.injector("flag.raise_for_good", {
        doc: "raises the flag, and cannot be undone from outside the run",
        params: { url: "string" },
        inject(args, fl) {
          fl.http.post(args.url + "/on", {});
          return { revert() { fl.http.post(args.url + "/off", {}); } };
        },
      });
      faultline.probe("stuck", { doc: "never returns, whatever is done to it", params: {}, timeout: faultline.duration(1000),
        run() { function f() { try { f(); } catch (e) { f(); } } f(); } });
      """;

  @TempDir Path dir;
  HttpServer server;
  final AtomicInteger flag = new AtomicInteger();
  final List<Process> children = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/flag/on", ex -> answer(ex, flag.incrementAndGet()));
    server.createContext("/flag/off", ex -> answer(ex, flag.getAndSet(0) * 0));
    server.start();
    Files.writeString(dir.resolve("flag.js"), HOOK);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange ex, int value) throws IOException {
    byte[] body = ("{\"flag\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  @AfterEach
  void stop() {
    children.forEach(Process::destroyForcibly);
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/flag";
  }

  Process child(String playbook) throws IOException {
    Path file = dir.resolve("run.fl");
    Files.writeString(file, playbook);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HookRunMain.class.getName(),
        file.toString(), dir.resolve("journal").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
    children.add(p);
    return p;
  }

  String output() throws IOException {
    return Files.readString(dir.resolve("child.out"));
  }

  @Test
  void aHookThatCannotBeStoppedAbortsTheRunWhichRevertsItsFaultAndEnds() throws Exception {
    Process p = child("""
        playbook "stuck" {
          hook "flag.js"
          scenario "s" {
            step "harm, then hang" {
              inject flag.raise(url: "%s")
              expect flag_is_up()
              let never = stuck()
            }
          }
          fn flag_is_up() { return true }
        }
        """.formatted(url()));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ended by itself");
    String out = output();
    assertEquals(3, p.exitValue(), out);
    assertTrue(out.contains("is stuck"), out);
    assertEquals(0, flag.get(), "the fault was reverted (through the hook's recover in a fresh context)\n" + out);
  }

  @Test
  void recoverUndoesAKilledRunsHookFaultThroughTheHooksRecover() throws Exception {
    Process p = child("""
        playbook "killed" {
          hook "flag.js"
          scenario "s" {
            step "harm, then wait to be killed" {
              inject flag.raise(url: "%s")
              wait 60s
            }
          }
        }
        """.formatted(url()));
    awaitFlag(p);
    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertEquals(1, flag.get(), "the fault outlived its run");
    Recovery.Result r = Recovery.recover(dir.resolve("journal"), Recovery.installed());
    assertEquals(1, r.count(Recovery.Outcome.REVERTED), String.join("\n", r.lines()));
    assertEquals(0, flag.get(), "recover(record) lowered the flag");
    assertTrue(r.clean(), String.join("\n", r.lines()));
  }

  @Test
  void aHookFaultWithoutRecoverIsReportedAsNeedingAManualRevertAndKept() throws Exception {
    Process p = child("""
        playbook "killed" {
          hook "flag.js"
          scenario "s" {
            step "harm, then wait to be killed" {
              inject flag.raise_for_good(url: "%s")
              wait 60s
            }
          }
        }
        """.formatted(url()));
    awaitFlag(p);
    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Recovery.Result r = Recovery.recover(dir.resolve("journal"), Recovery.installed());
    assertEquals(1, r.count(Recovery.Outcome.NEEDS_MANUAL_REVERT), String.join("\n", r.lines()));
    assertTrue(String.join("\n", r.lines()).contains("has no recover(record)"), String.join("\n", r.lines()));
    assertEquals(1, flag.get(), "nothing was done to the flag");
    Recovery.Result again = Recovery.recover(dir.resolve("journal"), Recovery.installed());
    assertEquals(1, again.count(Recovery.Outcome.NEEDS_MANUAL_REVERT), "the record is kept: " + String.join("\n", again.lines()));
    assertTrue(!r.clean());
  }

  private void awaitFlag(Process p) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (flag.get() == 0 && System.nanoTime() < end && p.isAlive()) Thread.sleep(20);
    assertEquals(1, flag.get(), "the child injected the fault:\n" + output());
  }
}
