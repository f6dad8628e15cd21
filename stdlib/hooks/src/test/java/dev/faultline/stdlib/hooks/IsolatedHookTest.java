package dev.faultline.stdlib.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks marked untrusted run in a child JVM: calls, faults, and the unstoppable hook killed with its process. */
class IsolatedHookTest {
  @TempDir Path dir;
  HttpServer server;
  final AtomicInteger flag = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/flag/on", ex -> answer(ex, flag.incrementAndGet()));
    server.createContext("/flag/off", ex -> answer(ex, flag.getAndSet(0) * 0));
    server.start();
    Files.writeString(dir.resolve("flag.js"), HookProcessTest.HOOK + """
        faultline.probe("echo", { doc: "returns what it got", params: { v: "any" }, run(args) { faultline.log("echo in a child"); return args.v; } });
        faultline.probe("pid", { doc: "nothing to say", params: {}, returns: "duration", run() { return faultline.duration(1500); } });
        """);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange ex, int value) throws IOException {
    byte[] body = ("{\"flag\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/flag";
  }

  RunResult run(String playbook) throws IOException {
    Path file = Files.writeString(dir.resolve("run.fl"), playbook);
    return HookPlaybookTest.FAULTLINE.run(file, RunOptions.builder().journalDir(dir.resolve("journal")).build());
  }

  @Test
  void anUntrustedHooksProbesAndFaultsWorkFromItsOwnProcess() throws IOException {
    RunResult r = run("""
        playbook "isolated" {
          hook untrusted "flag.js"
          scenario "s" {
            step "values and a fault" {
              let v = {n: 1, d: 250ms, p: 5%%, l: [1, "x"], m: {k: true}}
              expect echo(v) == v, "echo: ${echo(v)}"
              expect pid() == 1.5s
              inject flag.raise(url: "%s")
              expect len("${echo(1)}") == 1
            }
            step "reverted" {
              expect echo(1) == 1
            }
          }
        }
        """.formatted(url()));
    assertEquals(0, r.exitCode(), HookPlaybookTest.explain(r));
    assertEquals(0, flag.get(), "the fault was reverted by the child");
    assertTrue(r.events().stream().anyMatch(e -> e.toString().contains("echo in a child")), "logs cross the pipe");
  }

  @Test
  void anUnstoppableUntrustedHookIsKilledWithItsProcessAndItsFaultRecovered() throws IOException {
    long start = System.nanoTime();
    RunResult r = run("""
        playbook "isolated-stuck" {
          hook untrusted "flag.js"
          scenario "s" {
            step "harm, then hang" {
              inject flag.raise(url: "%s")
              let never = stuck()
            }
          }
        }
        """.formatted(url()));
    assertEquals(3, r.exitCode(), HookPlaybookTest.explain(r));
    assertTrue(HookPlaybookTest.explain(r).contains("its process was killed"), HookPlaybookTest.explain(r));
    assertEquals(0, flag.get(), "the fault was reverted through a new process's recover(record)");
    assertTrue(System.nanoTime() - start < 60_000_000_000L);
  }
}
