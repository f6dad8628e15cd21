package dev.faultline.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.faultline.embed.Faultline;
import dev.faultline.run.ScenarioResult;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** Playbooks as JUnit tests, run through the real JUnit Platform as a build tool would run them. */
class FaultlinePlaybookTest {
  /** Not run by the build on its own (a nested class); the tests below run it through the platform. */
  static class Sample {
    static int checked;

    @FaultlinePlaybook(value = "src/test/resources/playbooks/mixed.fl", params = "rounds=4")
    void mixed(ScenarioResult scenario) {
      // Runs only for passing scenarios: the failing ones fail before the body.
      assertEquals(4L, ((Number) scenario.records().get("counted")).longValue());
      checked++;
    }
  }

  static class Tagged {
    @FaultlinePlaybook(value = "src/test/resources/playbooks/mixed.fl", tags = "slow")
    void slowOnly() {}
  }

  static class Custom {
    static int calls;

    @FaultlineInterpreter
    static final Faultline FAULTLINE = Faultline.builder().library(new Counter()).build();

    public static final class Counter {
      @dev.faultline.host.HostFunction(name = "count.up", doc = "counts a call", effect = dev.faultline.host.Effect.ACTION)
      public long up() {
        return ++calls;
      }
    }

    @FaultlinePlaybook("src/test/resources/playbooks/custom.fl")
    void custom() {}
  }

  static class Broken {
    @FaultlinePlaybook("src/test/resources/playbooks/missing.fl")
    void missing() {}

    @FaultlinePlaybook(value = "src/test/resources/playbooks/mixed.fl", params = "rounds=lots")
    void badParam() {}
  }

  @Test
  void oneTestPerScenarioWithTheScenarioVerdict() {
    Sample.checked = 0;
    Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute().testEvents();
    tests.assertStatistics(s -> s.started(3).succeeded(1).failed(2));
    tests.assertThatEvents().haveExactly(1, event(displayName("counts"), finishedSuccessfully()));
    tests.assertThatEvents().haveExactly(1, event(displayName("miscounts"),
        finishedWithFailure(instanceOf(AssertionFailedError.class),
            message(m -> m.contains("scenario 'miscounts' failed in step 'count wrong'") && m.contains("counted 1, wanted 4")
                && m.contains("mixed.fl:16")))));
    tests.assertThatEvents().haveExactly(1, event(displayName("gives up"),
        finishedWithFailure(message(m -> m.contains("aborted") && m.contains("not today")))));
    assertEquals(1, Sample.checked);
  }

  @Test
  void tagsSelectScenarios() {
    Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Tagged.class)).execute().testEvents();
    tests.assertStatistics(s -> s.started(1).failed(1));
    tests.assertThatEvents().haveExactly(1, event(displayName("gives up"), finishedWithFailure()));
  }

  @Test
  void theTestClassGivesItsOwnInterpreter() {
    Custom.calls = 0;
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(Custom.class)).execute().testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
    assertEquals(2, Custom.calls);
  }

  @Test
  void badInputFailsTheContainerWithAClearMessage() {
    Events all = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Broken.class)).execute().allEvents();
    all.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m -> m.contains("no playbook at") && m.contains("missing.fl")))));
    all.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m -> m.contains("rounds") && m.contains("lots")))));
  }
}
