package dev.faultline.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.DryRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.stdlib.demo.DemoService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Dry runs with the standard library: the quickstart touches nothing; probes mode reads a real server. */
class DryRunTest {
  private static final Path QUICKSTART = Path.of("../../playbooks/quickstart.fl");
  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

  private static List<String> listed(RunResult r, String kind) {
    return r.events().stream().filter(e -> e.type() == EventType.PLANNED && kind.equals(e.data().get("kind")))
        .map(Event::message).toList();
  }

  private static long count(RunResult r, EventType type) {
    return r.events().stream().filter(e -> e.type() == type).count();
  }

  @Test
  void aDryRunOfTheQuickstartStartsNothingInjectsNothingAndPasses() throws IOException {
    Set<Long> before = listeningSockets();
    Set<Long> opened = new HashSet<>();
    // Looked at after every event, so that a server started and stopped within the run is seen too.
    Faultline faultline = Faultline.builder().standardLibrary().listener(e -> {
      Set<Long> now = listeningSockets();
      now.removeAll(before);
      opened.addAll(now);
    }).build();

    RunResult r = faultline.run(QUICKSTART, RunOptions.builder().dryRun(DryRun.PLAN).build());

    assertEquals(0, r.exitCode());
    assertEquals(Set.of(), opened, "no listening socket was opened");
    assertEquals(0, count(r, EventType.FAULT_INJECTED));
    assertEquals(0, count(r, EventType.FAULT_REVERTED));
    assertEquals(1, count(r, EventType.FAULT_PLANNED));
    assertEquals(List.of("demo.service(name: \"shop\") - not called in a dry run"), listed(r, "call"));
    assertTrue(r.events().stream().noneMatch(e -> e.type() == EventType.LOG && e.message().contains("listening")),
        "demo.service logs when it listens; it never did");
    Event fault = r.events().stream().filter(e -> e.type() == EventType.FAULT_PLANNED).findFirst().orElseThrow();
    assertEquals("svc.outage(status: 503)", fault.message());
    assertEquals("<planned: demo.service(name: \"shop\")>", fault.data().get("target"));
    assertEquals("1s", fault.data().get("for"));
    assertEquals(4, r.scenarios().size());
  }

  @Test
  void probesModeRunsTheProbesAgainstARealServerAndNothingElse() {
    Set<Long> before = listeningSockets();
    DemoService target = DemoService.start("target", 0);  // this test's own server, not the playbook's
    try {
      Set<Long> after = listeningSockets();
      after.removeAll(before);
      assertEquals(1, after.size(), "the socket check sees a real server listening");
      String text = """
          playbook "probes" {
            param url = ""
            param port = 0
            let shop = demo.service(name: "never-started")
            scenario "s" {
              step "read" {
                let r = http.get("${url}/health")
                expect r.status == 200
                expect r.json.status == "up"
                let posted = http.request("${url}/api/items", method: "POST", body: {name: "x"})
                expect posted.status == 0, "a dry run sends no POST"
                let c = tcp.connect("127.0.0.1:${port}")
              }
            }
          }
          """;
      Faultline faultline = Faultline.builder().standardLibrary().build();

      RunResult plan = faultline.run("probes.fl", text, RunOptions.builder().dryRun(DryRun.PLAN)
          .param("url", target.url()).param("port", (long) target.port()).build());
      assertEquals(0, plan.exitCode());
      assertEquals(0, target.requests(), "--dry-run runs no probe");
      assertEquals(List.of("would check: r.status == 200", "would check: r.json.status == \"up\"",
          "would check: posted.status == 0"), listed(plan, "expect"));

      RunResult probes = faultline.run("probes.fl", text, RunOptions.builder().dryRun(DryRun.PROBES)
          .param("url", target.url()).param("port", (long) target.port()).build());
      assertEquals(0, probes.exitCode());
      assertEquals(1, target.requests(), "the GET was sent; the POST was not");
      assertEquals(List.of("holds: r.status == 200 (200 == 200)", "holds: r.json.status == \"up\" (\"up\" == \"up\")",
          "holds: posted.status == 0 (0 == 0)"), listed(probes, "expect"));
      assertEquals(List.of("demo.service(name: \"never-started\") - not called in a dry run"), listed(probes, "call"));
      assertTrue(probes.events().stream().anyMatch(e -> e.type() == EventType.LOG && e.message().startsWith("not sent in a dry run: POST")));
      assertEquals(3, listed(probes, "probe").size(), "each probe that ran is listed");
    } finally {
      target.stop();
    }
  }

  @Test
  void aRealRunOfTheQuickstartStillNeedsNoPermission() {
    // demo.service is an in-process practice target on a loopback ephemeral port: it needs no --allow.
    RunResult r = Faultline.builder().standardLibrary().build().run(QUICKSTART, RunOptions.builder().tag("smoke").build());
    assertEquals(0, r.exitCode());
    assertFalse(r.isDryRun());
  }

  /**
   * The inodes of this process's listening TCP sockets, from /proc: the sockets in state LISTEN
   * (0A) that one of this process's file descriptors refers to.
   */
  private static Set<Long> listeningSockets() {
    Path fds = Path.of("/proc/self/fd");
    Assumptions.assumeTrue(Files.isDirectory(fds) && Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
    Set<Long> own = new HashSet<>();
    try (Stream<Path> s = Files.list(fds)) {
      for (Path fd : s.toList()) {
        try {
          Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) own.add(Long.parseLong(m.group(1)));
        } catch (IOException closedMeanwhile) {
          // The descriptor was closed while listing: it is no socket of ours any more.
        }
      }
      Set<Long> listening = new HashSet<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        Path p = Path.of(table);
        if (!Files.isReadable(p)) continue;
        List<String> rows = Files.readAllLines(p);  // read once: the table changes between two reads
        for (String line : rows.subList(Math.min(1, rows.size()), rows.size())) {
          String[] f = line.strip().split("\\s+");
          if (f.length > 9 && f[3].equals("0A") && own.contains(Long.parseLong(f[9]))) listening.add(Long.parseLong(f[9]));
        }
      }
      return listening;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
