package example;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.run.StepResult;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import dev.faultline.value.HostValue;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.Map;

/**
 * Runs a playbook against a component of this application: a payment client whose calls can be
 * slowed down by an injector. Prints each scenario and step with its status; exits 1 when the run
 * did not pass, 2 when the playbook has a mistake.
 */
public final class EmbedExample {

  /** The component under test. A real application would pass its own client here. */
  @HostType(name = "payments", doc = "The payment client of the application.")
  public static final class PaymentClient implements HostValue {
    private volatile Duration extraDelay = Duration.ZERO;

    @HostFunction(name = "pay", doc = "Makes one payment and returns how long it took.")
    public Duration pay(CallContext ctx) {
      long start = System.nanoTime();
      ctx.sleep(Duration.ofMillis(5).plus(extraDelay)); // interruptible: a timeout or cancel stops it
      return Duration.ofNanos(System.nanoTime() - start);
    }

    @HostFunction(name = "extra_delay", doc = "The delay currently added to each payment.")
    public Duration extraDelay() {
      return extraDelay;
    }

    /** Only describes the fault; the run injects it, owns it and reverts it. */
    @Injector(name = "delay", doc = "Adds `delay` to every payment until the fault is reverted.")
    public Fault delay(@Arg(name = "delay", doc = "time added to each payment") Duration delay) {
      return new DelayFault(this, delay);
    }

    @Override
    public String show() {
      return "payments (extra delay " + Values.show(extraDelay) + ")";
    }
  }

  /** A fault: inject and revert must both be safe to run twice. */
  record DelayFault(PaymentClient client, Duration delay) implements Fault {
    @Override
    public String describe() {
      return "delay payments by " + Values.show(delay);
    }

    @Override
    public String target() {
      return "payments";
    }

    @Override
    public String kind() {
      return "payments.delay";
    }

    @Override
    public void inject(CallContext ctx) {
      client.extraDelay = delay;
    }

    @Override
    public void revert(CallContext ctx) {
      client.extraDelay = Duration.ZERO;
    }
  }

  /** The global functions this application adds: here, one that hands out its payment client. */
  public static final class PaymentsLibrary {
    private final PaymentClient client;

    public PaymentsLibrary(PaymentClient client) {
      this.client = client;
    }

    @HostFunction(name = "payments", doc = "The application's payment client.")
    public PaymentClient payments() {
      return client;
    }
  }

  static final String PLAYBOOK = """
      playbook "payments-latency" {
        param budget = 200ms

        scenario "slow gateway" tags [smoke] {
          step "a 100 ms delay stays within the budget" {
            let client = payments()
            inject client.delay(100ms)
            let took = client.pay()
            record pay_time = took
            expect took < budget, "a payment took ${took}, the budget is ${budget}"
          }
          step "the delay is gone once the step has ended" {
            expect payments().extra_delay == 0ms
          }
        }
      }
      """;

  public static void main(String[] args) {
    PaymentClient client = new PaymentClient();
    Faultline faultline = Faultline.builder()
        .standardLibrary()
        .library(new PaymentsLibrary(client))
        .build();
    RunOptions options = RunOptions.builder()
        .param("budget", "250ms")   // a String is read as on the command line
        .scenario("slow gateway")
        .build();
    RunResult result;
    try {
      result = faultline.run("payments.fl", PLAYBOOK, options);
    } catch (PlaybookError e) {
      // A mistake in the playbook or the options: nothing was run.
      var sources = Map.of("payments.fl", new SourceFile("payments.fl", PLAYBOOK));
      System.err.print(DiagnosticRenderer.plain(sources).renderAll(e.diagnostics()));
      System.exit(2);
      return;
    }
    for (ScenarioResult scenario : result.scenarios()) {
      System.out.println("scenario " + scenario.id() + ": " + scenario.status().word());
      for (StepResult step : scenario.steps()) {
        System.out.println("  step " + step.name() + ": " + step.status().word()
            + (step.message().isEmpty() ? "" : " (" + step.message() + ")"));
      }
      scenario.records().forEach((name, value) -> System.out.println("  record " + name + " = " + Values.show(value)));
    }
    System.out.println("exit code " + result.exitCode());
    System.exit(result.passed() ? 0 : 1);
  }
}
