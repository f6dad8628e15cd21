package dev.faultline.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.host.Library;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.Status;
import dev.faultline.run.StepResult;
import dev.faultline.stdlib.demo.DemoLibrary;
import dev.faultline.stdlib.http.HttpLibrary;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The probes and the demo service inside real runs, through the embedding API. */
class PlaybookRunTest {
  private static final Path QUICKSTART = Path.of("../../playbooks/quickstart.fl");
  private final Faultline faultline = Faultline.builder().standardLibrary().build();

  private RunResult run(String text) {
    return faultline.run("test.fl", text, RunOptions.defaults());
  }

  private static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message()).collect(Collectors.joining("\n"));
  }

  @Test
  void theStandardLibraryRegistersBothAreas() {
    List<Class<?>> found = ServiceLoader.load(Library.class).stream().map(ServiceLoader.Provider::type).collect(Collectors.toList());
    assertTrue(found.contains(DemoLibrary.class) && found.contains(HttpLibrary.class), found.toString());
    for (String fn : List.of("demo.service", "http.get", "http.request", "tcp.connect")) {
      assertTrue(faultline.registry().function(fn).isPresent(), fn);
    }
  }

  @Test
  void quickstartPasses() {
    RunResult r = faultline.run(QUICKSTART, RunOptions.defaults());
    assertEquals(0, r.exitCode(), explain(r));
    assertEquals(List.of("service.health", "api.items", "api.latency", "service.outage"),
        r.scenarios().stream().map(ScenarioResult::id).toList());
    for (ScenarioResult s : r.scenarios()) {
      assertEquals(Status.PASSED, s.status(), s.id() + ": " + s.message());
      for (StepResult step : s.steps()) assertEquals(Status.PASSED, step.status(), s.id() + " / " + step.name());
    }
    assertEquals("local", r.profile().orElse(""), "the default profile");
    Duration recovery = (Duration) r.scenario("service.outage").orElseThrow().records().get("recovery_time");
    assertTrue(recovery.compareTo(Duration.ofMillis(500)) > 0, "recovered in " + recovery + ", before the 1s outage ended");
  }

  @Test
  void quickstartSmokeSelection() {
    RunResult r = faultline.run(QUICKSTART, RunOptions.builder().tag("smoke").build());
    assertEquals(0, r.exitCode(), explain(r));
    assertEquals(List.of("service.health", "api.items"), r.scenarios().stream().map(ScenarioResult::id).toList());
  }

  @Test
  void aServiceStartedInAStepStopsWhenTheStepEnds() throws Exception {
    RunResult r = run("""
        playbook "step-scope" {
          scenario "s" {
            let kept = null
            step "start" {
              let svc = demo.service(name: "short-lived")
              expect http.get(svc.health_url).ok
              kept = svc
              record port = svc.port
            }
            step "it is gone" {
              expect not kept.running, "the service outlived its step"
              let r = http.get(kept.health_url)
              expect r.status == 0, "still answering: ${r.status}"
              expect contains(r.error, "refused"), r.error
              let again = demo.service(port: kept.port)
              expect http.get(again.health_url).ok, "the port was not freed"
            }
          }
        }
        """);
    assertEquals(0, r.exitCode(), explain(r));
    long port = (Long) r.scenario("s").orElseThrow().records().get("port");
    assertPortFree((int) port);
  }

  @Test
  void aServiceStartedByThePlaybookStopsWhenThePlaybookEnds() throws Exception {
    RunResult r = run("""
        playbook "playbook-scope" {
          let svc = demo.service()
          record port = svc.port
          scenario "first" { step "up" { expect http.get(svc.health_url).ok } }
          scenario "second" { step "still up" { expect http.get(svc.health_url).ok } }
        }
        """);
    assertEquals(0, r.exitCode(), explain(r));
    assertPortFree(((Long) r.records().get("port")).intValue());
  }

  private static void assertPortFree(int port) throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    }
  }

  @Test
  void aStepTimeoutStopsASlowProbe() {
    long t0 = System.nanoTime();
    RunResult r = run("""
        playbook "timeout" {
          let svc = demo.service()
          scenario "s" {
            step "slow" timeout 300ms {
              http.get("${svc.url}/api/slow?ms=20000", timeout: 30s)
            }
          }
        }
        """);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(1, r.exitCode(), explain(r));
    StepResult step = r.scenarios().get(0).steps().get(0);
    assertEquals(Status.FAILED, step.status());
    assertTrue(step.message().contains("timed out after 300ms"), step.message());
    assertTrue(ms < 5000, "the run took " + ms + " ms");
  }

  @Test
  void cancellingARunStopsAProbeAtOnce() throws Exception {
    LoadedPlaybook playbook = faultline.load("cancel.fl", """
        playbook "cancel" {
          let svc = demo.service()
          scenario "s" {
            step "slow" { http.get("${svc.url}/api/slow?ms=20000", timeout: 30s) }
          }
        }
        """);
    PlaybookRun run = faultline.start(playbook, RunOptions.defaults());
    CompletableFuture<RunResult> result = CompletableFuture.supplyAsync(run::execute);
    Thread.sleep(500);
    long t0 = System.nanoTime();
    run.cancel("stopped by the test");
    RunResult r = result.get(5, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(3, r.exitCode(), explain(r));
    assertEquals(Status.ABORTED, r.scenarios().get(0).status());
    assertTrue(ms < 1000, "the run ended " + ms + " ms after cancel");
  }

  @Test
  void aProbeInAwaitWaitsForAServiceToComeBack() {
    RunResult r = run("""
        playbook "restart" {
          scenario "s" {
            step "restart on the same port" {
              let svc = demo.service()
              let port = svc.port
              svc.stop()
              expect http.get(svc.health_url).status == 0
              let back = demo.service(port: port)
              let took = await http.get(svc.health_url).ok within 5s
              expect took < 5s
            }
          }
        }
        """);
    assertEquals(0, r.exitCode(), explain(r));
  }
}
