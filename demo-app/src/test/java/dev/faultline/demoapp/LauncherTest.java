package dev.faultline.demoapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * demo-app/run as a playbook uses it, from the repository root: the first line on stdout names the
 * port, the process's command line is exactly the words it was started with (what service() and
 * process(command: …) look for), SIGTERM shuts it down gracefully, usage errors are clear.
 * It runs what the build left in target/ (DEMO_APP_NO_BUILD=1), never Maven.
 */
class LauncherTest {
  private static final Pattern LISTENING = Pattern.compile("listening 127\\.0\\.0\\.1:([0-9]+)");
  @TempDir Path dir;

  private static Path root() {
    return Path.of(System.getProperty("user.dir")).getParent();
  }

  private Process launch(List<String> command, Path stderr) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile())
        .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("DEMO_APP_NO_BUILD", "1");
    return pb.start();
  }

  private static int port(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    Matcher m = LISTENING.matcher(first == null ? "" : first);
    assertTrue(m.matches(), "first line: " + first);
    return Integer.parseInt(m.group(1));
  }

  private static String commandLine(long pid) throws Exception {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    return new String(raw, StandardCharsets.UTF_8).replaceAll("\u0000$", "").replace('\u0000', ' ');
  }

  @Test
  void theStoreRunsAsItsOwnCommandLineAndStopsOnSigterm() throws Exception {
    List<String> command = List.of("demo-app/run", "store", "--port", "0", "--dir", dir.resolve("objects").toString());
    Path err = dir.resolve("store.err");
    Process p = launch(command, err);
    try {
      int port = port(p);
      assertEquals(String.join(" ", command), commandLine(p.pid()), "the JVM's command line");
      Client c = new Client(port);
      assertEquals(200, c.put("/k", "v".getBytes(StandardCharsets.UTF_8)).status());
      p.destroy();   // SIGTERM
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "still running 20 s after SIGTERM");
      assertTrue(Files.readString(err).contains("store: stopped"), Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void theApiStartsWithoutItsDependenciesAndStopsOnSigterm() throws Exception {
    List<String> command = List.of("demo-app/run", "api", "--port", "0", "--db", "127.0.0.1:1");
    Path err = dir.resolve("api.err");
    Process p = launch(command, err);
    try {
      int port = port(p);
      assertEquals(String.join(" ", command), commandLine(p.pid()));
      Client c = new Client(port);
      assertEquals(200, c.get("/health").status());
      Client.Answer ready = c.get("/health/ready");
      assertEquals(503, ready.status(), ready.toString());
      assertEquals("down", ready.json().get("database").get("primary").asText());
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "still running 20 s after SIGTERM");
      assertTrue(Files.readString(err).contains("api: stopped"), Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void usageErrorsSayWhatIsWrong() throws Exception {
    Path err = dir.resolve("err");
    Process p = launch(List.of("demo-app/run", "api", "--port", "0", "--db", "nohostport"), err);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertTrue(Files.readString(err).contains("--db: 'nohostport' is not host:port"), Files.readString(err));

    p = launch(List.of("demo-app/run", "api", "--port", "0"), err);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertTrue(Files.readString(err).contains("Missing required option: '--db=SERVERS'"), Files.readString(err));

    p = launch(List.of("demo-app/run", "frobnicate"), err);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertTrue(Files.readString(err).contains("usage: demo-app/run api"), Files.readString(err));
  }
}
