package dev.faultline.stdlib.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embed.Faultline;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks inside real runs: probes, injectors, their faults reverted, values across the boundary. */
class HookPlaybookTest {
  static final Faultline FAULTLINE = Faultline.builder().standardLibrary().build();

  @TempDir Path dir;

  RunResult run(String playbook) throws IOException {
    Path file = dir.resolve("test.fl");
    Files.writeString(file, playbook);
    return FAULTLINE.run(file, RunOptions.builder().journalDir(dir.resolve("journal")).build());
  }

  static String explain(RunResult r) {
    return "exit " + r.exitCode() + r.error().map(d -> ", setup: " + d.message()).orElse("") + "\n"
        + r.scenarios().stream().map(s -> s.id() + " " + s.status() + " " + s.message() + "\n  "
            + s.steps().stream().map(StepResult::message).collect(Collectors.joining("\n  "))).collect(Collectors.joining("\n"))
        + "\n" + r.events().stream().map(Object::toString).collect(Collectors.joining("\n"));
  }

  @Test
  void anInlineProbeAndInjectorRun() throws IOException {
    RunResult r = run("""
        playbook "hooks" {
          hook \"\"\"
            let harmed = 0;
            faultline.probe("harm_level", { doc: "how much harm is in place", params: {}, returns: "int", run() { return harmed; } });
            faultline.probe("twice", { doc: "doubles a duration", params: { d: "duration", by: "int = 2" },
              returns: "duration", run(args) { return faultline.duration(args.d.ms * args.by); } });
            faultline.injector("harm", { doc: "adds harm", params: { amount: "int = 1" },
              inject(args) { harmed += args.amount; return { revert() { harmed -= args.amount; } }; } });
          \"\"\"
          scenario "s" {
            step "inject" {
              expect twice(250ms) == 500ms
              expect twice(1s, by: 3) == 3s
              inject harm(amount: 5)
              expect harm_level() == 5, "level ${harm_level()}"
            }
            step "reverted" {
              expect harm_level() == 0, "level ${harm_level()}"
            }
          }
        }
        """);
    assertEquals(0, r.exitCode(), explain(r));
  }

  @Test
  void aGuardThatCallsAHookProbeBreachesAndRevertsTheHooksFault() throws IOException {
    RunResult r = run("""
        playbook "guarded" {
          hook \"\"\"
            let harmed = 0;
            faultline.probe("harm_level", { doc: "how much harm is in place", returns: "int", run() { return harmed; } });
            faultline.injector("harm", { doc: "adds harm", params: { amount: "int = 1" },
              inject(args) { harmed += args.amount; return { revert() { harmed -= args.amount; } }; } });
          \"\"\"
          guard "little harm" every 100ms { harm_level() < 10 } else abort P2 "too much harm"
          scenario "s" {
            step "harm a little, then too much" {
              inject harm(amount: 5)
              wait 300ms
              inject harm(amount: 20)
              wait 5s
            }
          }
          scenario "after" {
            step "everything was reverted" { expect harm_level() == 0, "level ${harm_level()}" }
          }
        }
        """);
    assertEquals(3, r.exitCode(), explain(r));
    assertTrue(explain(r).contains("too much harm"), explain(r));
  }

  @Test
  void aDryRunPrintsTheInjectorsPlanAndRunsNothing() throws IOException {
    Path file = dir.resolve("plan.fl");
    Files.writeString(file, """
        playbook "planned" {
          hook \"\"\"
            faultline.injector("harm", { doc: "adds harm", params: { amount: "int = 1" },
              plan: (args) => `would add ${args.amount} harm`,
              inject(args) { throw new Error("a dry run must not inject"); } });
          \"\"\"
          scenario "s" { step "x" { inject harm(amount: 7) for 1s } }
        }
        """);
    RunResult r = FAULTLINE.run(file, RunOptions.builder().dryRun(dev.faultline.run.DryRun.PLAN).journalDir(dir.resolve("journal")).build());
    assertEquals(0, r.exitCode(), explain(r));
    assertTrue(explain(r).contains("would add 7 harm"), explain(r));
  }

  static final String COMPOSER = """
        hook \"\"\"
          faultline.injector("brownout", { doc: "writes fail, reads slow down, health stays green", params: { link: "any" },
            inject(args, fl) {
              fl.inject(args.link, "status", { code: 503, method: "POST" });
              fl.inject(args.link, "delay", { by: fl.duration(300), path: "/api/*", method: "GET" });
              return { revert() { fl.log("brownout over"); } };
            } });
          faultline.probe("proxied", { doc: "requests through the link", params: { link: "any" }, returns: "int",
            run(args, fl) { return fl.call(args.link, "requests"); } });
          faultline.probe("status_of", { doc: "a GET's status", params: { url: "string" }, returns: "int",
            run(args, fl) { return fl.call("http.get", { url: args.url }).status; } });
          faultline.injector("scribble", { doc: "replaces a file through the playbook's own injector", params: { path: "string" },
            inject(args, fl) {
              fl.inject(fl.call("file", { path: args.path }), "replace", { text: "scribbled" });
              return { revert() {} };
            } });
        \"\"\"
      """;

  @Test
  void aHookInjectorComposesThePlaybooksOwnFaultsAndTheyAreRevertedWithIt() throws IOException {
    Path file = dir.resolve("compose.fl");
    Files.writeString(file, """
        playbook "compose" {
        %s
          let svc = demo.service()
          let link = http_proxy(upstream: svc.url)
          scenario "s" {
            step "brownout" {
              inject brownout(link: link)
              expect http.request("${link.url}/api/items", method: "POST", body: {name: "x"}).status == 503
              expect measure { http.get("${link.url}/api/items") } >= 250ms
              expect status_of(url: "${link.url}/health") == 200
            }
            step "reverted with the hook's fault" {
              expect http.request("${link.url}/api/items", method: "POST", body: {name: "x"}).status == 201
              expect measure { http.get("${link.url}/api/items") } < 250ms
              expect proxied(link: link) >= 5
            }
          }
        }
        """.formatted(COMPOSER));
    RunResult r = FAULTLINE.run(file, RunOptions.builder().allow(dev.faultline.fault.Capability.NET).journalDir(dir.resolve("journal")).build());
    assertEquals(0, r.exitCode(), explain(r));
  }

  @Test
  void whatAHookInjectsThroughThePlaybookIsGatedByTheSamePermissions() throws IOException {
    Path target = Files.writeString(dir.resolve("config.txt"), "original");
    Path file = dir.resolve("gated.fl");
    Files.writeString(file, """
        playbook "gated" {
        %s
          scenario "s" { step "x" { inject scribble(path: "%s") } }
        }
        """.formatted(COMPOSER, target));
    RunResult r = FAULTLINE.run(file, RunOptions.builder().journalDir(dir.resolve("journal")).build());
    assertEquals(1, r.exitCode(), explain(r));
    assertTrue(explain(r).contains("replace() needs the 'fs' permission"), explain(r));
    assertEquals("original", Files.readString(target));
  }
}
