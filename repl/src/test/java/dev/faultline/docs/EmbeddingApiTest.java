package dev.faultline.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import dev.faultline.host.Injector;
import dev.faultline.report.Event;
import dev.faultline.report.EventType;
import dev.faultline.run.DryRun;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.Status;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What docs/embedding.md says about the Java API, shown to hold: each test runs the snippet or the
 * behaviour a paragraph of that file describes.
 */
class EmbeddingApiTest {

  /** A library for these tests: a few functions and an injector that writes what it does. */
  public static final class Probe {
    final List<String> journal = new CopyOnWriteArrayList<>();

    @HostFunction(name = "three", doc = "An int result, widened to a whole number.")
    public int three() {
      return 3;
    }

    @HostFunction(name = "twice", doc = "Doubles a whole number.")
    public long twice(@Arg(name = "n", doc = "a whole number") long n) {
      return 2 * n;
    }

    @HostFunction(name = "refuse", doc = "Fails the way a host function should.")
    public long refuse() {
      throw new HostError("connection refused by 127.0.0.1:8080", "is the service up?");
    }

    @HostFunction(name = "buggy", doc = "Fails the way a host function should not.")
    public long buggy() {
      throw new IllegalStateException("a bug in the host function");
    }

    @HostFunction(name = "start_server", doc = "Starts a resource owned by the calling scope.")
    public String startServer(@Arg(name = "name", doc = "its name") String name, CallContext ctx) {
      journal.add("start " + name);
      ctx.own(() -> journal.add("close " + name), "server " + name);
      return name;
    }

    @Injector(name = "wipe", doc = "Pretends to delete a file; needs the 'fs' permission.", requires = Capability.FS)
    public Fault wipe(@Arg(name = "path", doc = "the file") String path) {
      return new Fault() {
        public String describe() { return "wipe " + path; }
        public String target() { return path; }
        public void inject(CallContext c) { journal.add("wipe " + path); }
        public void revert(CallContext c) { journal.add("restore " + path); }
      };
    }

    @Injector(name = "flag", doc = "Sets a flag until reverted.")
    public Fault flag(@Arg(name = "name", doc = "the flag") String name) {
      return new Fault() {
        public String describe() { return "flag " + name; }
        public void inject(CallContext c) { journal.add("inject " + name); }
        public void revert(CallContext c) { journal.add("revert " + name); }
      };
    }
  }

  private final Probe probe = new Probe();
  private final Faultline faultline = Faultline.builder().standardLibrary().library(probe).build();

  private static final String PARAMS = """
      playbook "params" {
        param budget = 200ms
        param retries = 2
        param token = "t0k3n" secret
        scenario "s" { step "x" { record seen = "${budget} ${retries}" } }
      }
      """;

  @Test
  void paramsAsTextOrTypedValues() {
    RunResult r = faultline.run("params.fl", PARAMS,
        RunOptions.builder().param("budget", "250ms").param("retries", 3L).build());
    assertEquals("250ms 3", r.scenario("s").orElseThrow().records().get("seen"));
    assertEquals("***", r.params().get("token"));

    r = faultline.run("params.fl", PARAMS, RunOptions.builder().param("budget", Duration.ofSeconds(1)).build());
    assertEquals("1s 2", r.scenario("s").orElseThrow().records().get("seen"));

    r = faultline.run("params.fl", PARAMS, RunOptions.builder().param("retries", 3).build());
    assertEquals("200ms 3", r.scenario("s").orElseThrow().records().get("seen"));

    PlaybookError e = assertThrows(PlaybookError.class,
        () -> faultline.run("params.fl", PARAMS, RunOptions.builder().param("retries", 2.5).build()));
    assertEquals("param 'retries' is an int, got a number (2.5)", e.first().message());
  }

  @Test
  void scenarioAndTagSelectTheScenariosMatchingBoth() {
    String text = """
        playbook "selection" {
          scenario "a" tags [smoke] { step "x" { } }
          scenario "b" tags [smoke, db] { step "x" { } }
          scenario "c" tags [db] { step "x" { } }
        }
        """;
    RunResult r = faultline.run("selection.fl", text, RunOptions.builder().scenario("b", "c").tag("smoke").build());
    assertEquals(List.of("b"), r.scenarios().stream().map(s -> s.id()).toList());
  }

  @Test
  void valuesCrossBothWays() {
    RunResult r = faultline.run("values.fl", """
        playbook "values" { scenario "s" { step "x" { expect three() == 3; expect twice(2.0) == 4 } } }
        """, RunOptions.defaults());
    assertTrue(r.passed(), () -> r.scenarios().toString());
  }

  @Test
  void aHostErrorFailsTheStepAndTheRunGoesOn() {
    RunResult r = faultline.run("errors.fl", """
        playbook "errors" {
          scenario "a" { step "call" { refuse() } }
          scenario "b" { step "next" { } }
        }
        """, RunOptions.defaults());
    assertEquals(1, r.exitCode());
    assertEquals("connection refused by 127.0.0.1:8080", r.scenario("a").orElseThrow().steps().get(0).message());
    assertEquals(Status.PASSED, r.scenario("b").orElseThrow().status());
  }

  @Test
  void aBugInAHostFunctionFailsTheStepAfterFaultsAreReverted() {
    RunResult r = faultline.run("bug.fl", """
        playbook "bug" { scenario "a" { step "call" { inject flag("f"); buggy() } } scenario "b" { step "x" { } } }
        """, RunOptions.defaults());
    assertEquals(1, r.exitCode());
    assertTrue(r.scenario("a").orElseThrow().message().contains("internal error in buggy()"), r.scenario("a").orElseThrow().message());
    assertEquals(Status.PASSED, r.scenario("b").orElseThrow().status());
    assertEquals(List.of("inject f", "revert f"), probe.journal);
  }

  @Test
  void resourcesCloseAfterTheScopesFaultsAreReverted() {
    RunResult r = faultline.run("own.fl", """
        playbook "own" { scenario "a" { step "x" { start_server("one"); inject flag("f"); start_server("two") } } }
        """, RunOptions.defaults());
    assertTrue(r.passed());
    assertEquals(List.of("start one", "inject f", "start two", "revert f", "close two", "close one"), probe.journal);
  }

  @Test
  void aDryRunPlansFaultsAndTouchesNothing() {
    RunResult r = faultline.run("dry.fl", """
        playbook "dry" { scenario "a" { step "x" { start_server("s"); inject flag("real") for 30s; inject wipe("/etc/hosts") } } }
        """, RunOptions.builder().dryRun(DryRun.PLAN).build());
    assertEquals(0, r.exitCode());
    assertTrue(r.isDryRun());
    assertEquals(List.of(), probe.journal, "nothing started, injected or reverted; no permission needed");
    List<Event> planned = r.events().stream().filter(e -> e.type() == EventType.FAULT_PLANNED).toList();
    assertEquals(List.of("flag real", "wipe /etc/hosts"), planned.stream().map(Event::message).toList());
    assertEquals("30s", planned.get(0).data().get("for"));
    assertEquals("/etc/hosts", planned.get(1).data().get("target"));
  }

  @Test
  void permissionsAreGrantedByTheEmbeddingApplication() {
    String text = """
        playbook "perm" { scenario "a" { step "x" { inject wipe("config.yaml") } } }
        """;
    PlaybookError e = assertThrows(PlaybookError.class, () -> faultline.run("perm.fl", text, RunOptions.defaults()));
    assertEquals("wipe() needs the 'fs' permission", e.first().message());
    assertEquals("run with --allow fs", e.first().help().orElseThrow());
    assertEquals(List.of(), probe.journal);
    assertTrue(faultline.run("perm.fl", text, RunOptions.builder().allow(Capability.FS).build()).passed());
    assertEquals(List.of("wipe config.yaml", "restore config.yaml"), probe.journal);
  }

  @Test
  void listenersSeeEveryEventAndCannotBreakTheRun() {
    List<Event> seen = new CopyOnWriteArrayList<>();
    Faultline withListeners = Faultline.builder().library(probe)
        .listener(seen::add)
        .listener(e -> { throw new IllegalStateException("a broken listener"); })
        .build();
    RunResult r = withListeners.run("events.fl", """
        playbook "events" { scenario "a" { step "x" { inject flag("f") } } }
        """, RunOptions.defaults());
    assertTrue(r.passed());
    assertEquals(r.events(), seen);
    assertEquals(List.of("run.started", "scenario.started", "step.started", "fault.injected", "fault.reverted",
        "step.ended", "scenario.ended", "run.ended"), seen.stream().map(e -> e.type().id()).toList());
    Event stepEnded = seen.stream().filter(e -> e.type() == EventType.STEP_ENDED).findFirst().orElseThrow();
    assertEquals("x passed", stepEnded.message());
    assertEquals("passed", stepEnded.data().get("status"));
  }

  @Test
  void cancelFromAnotherThread() {
    LoadedPlaybook playbook = faultline.load("soak.fl", """
        playbook "soak" {
          scenario "long" {
            step "hold the fault" { inject flag("f"); wait 1h }
            step "after" { }
          }
          scenario "other" { step "x" { } }
        }
        """);
    ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
    PlaybookRun[] holder = new PlaybookRun[1];
    // Cancel once the long step is under way, as an operator would.
    PlaybookRun run = faultline.start(playbook, RunOptions.defaults(), event -> {
      if (event.type() == EventType.STEP_STARTED && "hold the fault".equals(event.step())) {
        other.schedule(() -> holder[0].cancel("stopped by the operator"), 50, TimeUnit.MILLISECONDS);
      }
    });
    holder[0] = run;
    try {
      RunResult result = run.execute();
      assertEquals(3, result.exitCode());
      var steps = result.scenario("long").orElseThrow().steps();
      assertEquals(Status.ABORTED, steps.get(0).status());
      assertEquals("interrupted: stopped by the operator", steps.get(0).message());
      assertEquals(Status.SKIPPED, steps.get(1).status());
      assertEquals(Status.SKIPPED, result.scenario("other").orElseThrow().status());
      assertEquals(List.of("inject f", "revert f"), probe.journal);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void errorsBeforeTheRunAreThrownAndRendered() {
    String text = """
        playbook "payments" {
          scenario "s" {
            step "x" {
              wait 100sec
            }
          }
        }
        """;
    PlaybookError e = assertThrows(PlaybookError.class, () -> faultline.run("payments.fl", text, RunOptions.defaults()));
    var sources = Map.of("payments.fl", new SourceFile("payments.fl", text));
    String shown = DiagnosticRenderer.plain(sources).renderAll(e.diagnostics());
    assertTrue(shown.startsWith("""
        payments.fl:4:12: error: unknown unit 'sec' in '100sec'
          |
        4 |       wait 100sec
          |            ^^^^^^ not a unit
        """), shown);

    PlaybookError options = assertThrows(PlaybookError.class,
        () -> faultline.run("payments.fl", text.replace("100sec", "1s"), RunOptions.builder().scenario("z").build()));
    assertEquals("command line: error: no scenario 'z' in payments.fl", options.first().headline());
  }

  @Test
  void loadCheckPlanThenRun() {
    LoadedPlaybook playbook = faultline.load("plan.fl", """
        playbook "plan" { profile staging default { x = 1 } scenario "a" { step "x" { expect x == 1 } } }
        """);
    assertTrue(faultline.check(playbook).isEmpty());
    var plan = faultline.plan(playbook, RunOptions.defaults());
    assertEquals("staging", plan.profile().orElseThrow().name());
    assertTrue(faultline.start(playbook, RunOptions.defaults()).execute().passed());
  }
}
