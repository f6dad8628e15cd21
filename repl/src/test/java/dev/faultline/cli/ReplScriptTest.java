package dev.faultline.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code faultline repl} in a child JVM without a terminal: a scripted session read from a
 * file ({@code faultline repl FILE < gameday.txt}), and SIGTERM in the middle of a session.
 */
@Timeout(90)
class ReplScriptTest {
  @TempDir
  Path tmp;

  private Process start(ProcessBuilder.Redirect in, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.faultline.cli.Main", "repl"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(tmp.toFile()).redirectInput(in).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("out.txt").toFile()).start();
  }

  @Test
  void aScriptedSessionFromAFileRunsLineByLineAndRevertsAtTheEnd() throws Exception {
    Path playbook = Files.writeString(tmp.resolve("shop.fl"), """
        playbook "shop" {
          param outage = 503
          let svc = demo.service(name: "shop")
          scenario "health" { step "up" { expect http.get(svc.health_url).ok } }
        }
        """);
    Path script = Files.writeString(tmp.resolve("gameday.txt"), """
        # a comment line is a statement with nothing in it
        inject svc.outage(status: outage)
        http.get(svc.health_url).status
        faults
        revert all
        run health
        inject svc.outage(status: 500)
        """);
    Process p = start(ProcessBuilder.Redirect.from(script.toFile()), playbook.toString(), "--report-dir", "report", "--no-watchdog");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the session ended at the end of its input");
    String out = Files.readString(tmp.resolve("out.txt"));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("faultline> http.get(svc.health_url).status\n503\n"), out);
    assertTrue(out.contains("reverted 1 fault in"), out);
    assertTrue(out.contains("PASS  scenario \"health\""), out);
    assertTrue(out.contains("reverting 1 active fault before quitting"), out);
    assertTrue(out.contains("report: report/report.json"), out);
    assertTrue(Files.exists(tmp.resolve("report/transcript.txt")));
  }

  @Test
  void sigtermRevertsEveryFaultWritesTheReportAndExits() throws Exception {
    Path config = tmp.resolve("config.yaml");
    byte[] original = "replicas: 2\n".getBytes(StandardCharsets.UTF_8);
    Files.write(config, original);
    Process p = start(ProcessBuilder.Redirect.PIPE, "--allow", "fs", "--report-dir", "report", "--no-watchdog");
    OutputStream in = p.getOutputStream();
    in.write(("inject file(\"" + config + "\").replace(\"replicas: 0\")\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end && !Files.readString(tmp.resolve("out.txt")).contains("(active)")) Thread.sleep(50);
    assertEquals("replicas: 0", Files.readString(config), "the fault is in place");
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "SIGTERM ended the session");
    String out = Files.readString(tmp.resolve("out.txt"));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("SIGTERM: stopping"), out);
    assertArrayEquals(original, Files.readAllBytes(config), "the file is byte-identical");
    assertTrue(Files.readString(tmp.resolve("report/report.json")).contains("fault.reverted"), out);
    in.close();
  }

  @Test
  void afterSigkillTheWatchdogRevertsWhatTheSessionInjected() throws Exception {
    Path config = tmp.resolve("config.yaml");
    byte[] original = "replicas: 3\n".getBytes(StandardCharsets.UTF_8);
    Files.write(config, original);
    Process p = start(ProcessBuilder.Redirect.PIPE, "--allow", "fs", "--report-dir", "report");
    OutputStream in = p.getOutputStream();
    in.write(("inject file(\"" + config + "\").delete()\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end && !Files.readString(tmp.resolve("out.txt")).contains("(active)")) Thread.sleep(50);
    assertTrue(Files.notExists(config), "the fault is in place");
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
    while (System.nanoTime() < end && !Files.exists(config)) Thread.sleep(50);
    assertArrayEquals(original, Files.readAllBytes(config), "the watchdog restored the file");
  }
}
