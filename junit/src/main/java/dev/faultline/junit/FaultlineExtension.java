package dev.faultline.junit;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.report.EventType;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.PlaybookRun;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.run.ScenarioResult;
import dev.faultline.source.PlaybookError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Faults around a test's own code. Register it with {@code @RegisterExtension}; in a test,
 * {@link #during} runs Faultline statements (start a proxy, inject a fault…), then the test's body
 * with the values they {@code record}, then reverts every fault, whether the body passed, failed
 * or threw:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FaultlineExtension faultline = FaultlineExtension.builder().standardLibrary().allow(Capability.NET).build();
 *
 * @Test
 * void checkoutSurvivesASlowDatabase() {
 *   faultline.during(Map.of("db", "127.0.0.1:" + db.port()), """
 *       let link = proxy(upstream: db)
 *       record address = link.address
 *       inject link.latency(200ms)
 *       """, recorded -> assertEquals(200, checkout(recorded.get("address")).status()));
 * }
 * }</pre>
 *
 * <p>After each test it cancels anything of that test still running (a test that timed out on
 * another thread), so every fault is reverted before the next test starts. Thread-safe.
 */
public final class FaultlineExtension implements AfterEachCallback {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Faultline faultline;
  private final TestBody bodies;
  private final List<Capability> allowed;
  private final Set<PlaybookRun> running = ConcurrentHashMap.newKeySet();

  private FaultlineExtension(Faultline faultline, TestBody bodies, List<Capability> allowed) {
    this.faultline = faultline;
    this.bodies = bodies;
    this.allowed = List.copyOf(allowed);
  }

  /** {@return a builder of an extension with the core functions only, and no permission} */
  public static Builder builder() {
    return new Builder();
  }

  /** The test's code, given the values the statements recorded, as Faultline shows them ({@code 41234}, {@code 250ms}). */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the test's code while the faults are in place, on the test's thread.
     *
     * @param recorded the values the statements recorded, by name, as Faultline prints them
     * @throws Throwable anything; it is rethrown to the test once the faults are reverted
     */
    void run(Map<String, String> recorded) throws Throwable;
  }

  /**
   * {@link #during(Map, String, Body)} without params.
   *
   * @param statements Faultline statements, one or more lines, run as a step before the body
   * @param body the test's code
   */
  public void during(String statements, Body body) {
    during(Map.of(), statements, body);
  }

  /**
   * Runs {@code statements} as one step, then {@code body}, then reverts every fault the step
   * injected. {@code params} become params of the step (usable as names and in {@code ${…}}).
   * What the body throws is rethrown after the reverts; a statement that fails fails the test with
   * its step, statement and message.
   *
   * @param params values of the step's params by name: a {@code String} is read as on the command
   *     line, anything else taken as is
   * @param statements Faultline statements, run as a step before the body
   * @param body the test's code
   * @throws AssertionFailedError when the statements do not check, a statement fails, the body does
   *     not run, or a fault could not be reverted
   * @throws IllegalArgumentException when a param's name is not a Faultline name
   */
  public void during(Map<String, ?> params, String statements, Body body) {
    String token = UUID.randomUUID().toString();
    Map<String, String> recorded = Collections.synchronizedMap(new LinkedHashMap<>());
    TestBody.Call call = bodies.register(token, () -> {
      try {
        body.run(Collections.unmodifiableMap(new LinkedHashMap<>(recorded)));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new BodyFailure(t);
      }
    });
    LoadedPlaybook playbook = null;
    try {
      playbook = load(params, statements, token);
      RunOptions.Builder options = RunOptions.builder().allow(allowed);
      params.forEach(options::param);
      PlaybookRun run = faultline.start(playbook, options.build(), event -> {
        if (event.type() == EventType.RECORD) {
          String name = String.valueOf(event.data().get("name"));
          String message = event.message();
          recorded.put(name, message.substring(Math.min(message.length(), name.length() + 3)));
        }
      });
      running.add(run);
      RunResult result;
      try {
        result = run.execute();
      } finally {
        running.remove(run);
      }
      if (call.thrown != null) sneakyThrow(call.thrown instanceof BodyFailure f ? f.getCause() : call.thrown);
      ScenarioResult scenario = result.scenarios().isEmpty() ? null : result.scenarios().get(0);
      if (scenario != null && scenario.status() != dev.faultline.run.Status.PASSED) {
        throw new AssertionFailedError(ScenarioRun.failure(scenario, playbook));
      }
      if (result.exitCode() != 0) {
        throw new AssertionFailedError("the faults around the test ended with exit code " + result.exitCode()
            + result.error().map(d -> ": " + d.message()).orElse("") + String.join("\n  revert failed: ", result.revertFailures()));
      }
      if (!call.ran) throw new AssertionFailedError("the test code did not run");
    } finally {
      bodies.forget(token);
      if (playbook != null) playbook.closeHooks();
    }
  }

  private LoadedPlaybook load(Map<String, ?> params, String statements, String token) {
    StringBuilder text = new StringBuilder("playbook \"during\" {\n");
    for (String name : params.keySet()) {
      if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("param name '" + name + "' is not a Faultline name");
      text.append("  param ").append(name).append('\n');
    }
    text.append("  scenario \"during\" {\n    step \"during\" {\n");
    for (String line : statements.strip().split("\n")) text.append("      ").append(line).append('\n');
    text.append("      junit.body(\"").append(token).append("\")\n    }\n  }\n}\n");
    try {
      return faultline.load("during", text.toString());
    } catch (PlaybookError e) {
      throw new AssertionFailedError("the statements do not check:\n"
          + dev.faultline.source.DiagnosticRenderer.plain(Map.of("during", new dev.faultline.source.SourceFile("during", text.toString())))
              .renderAll(e.diagnostics()));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (PlaybookRun run : new ArrayList<>(running)) run.cancel("the test ended");
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  /** A checked exception from the body, carried through the step unchanged. */
  private static final class BodyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyFailure(Throwable cause) {
      super(cause);
    }
  }

  /** Builds the interpreter the statements run with: the standard library and your own libraries. Not thread-safe. */
  public static final class Builder {
    private final Faultline.Builder interpreter = Faultline.builder();
    private final List<Capability> allowed = new ArrayList<>();

    /**
     * Adds every library on the class path (the standard library's areas).
     *
     * @return this builder
     */
    public Builder standardLibrary() {
      interpreter.standardLibrary();
      return this;
    }

    /**
     * Adds the test's own host functions and injectors.
     *
     * @param library an object with {@code @HostFunction} and {@code @Injector} methods
     * @return this builder
     * @throws IllegalStateException when its annotations are malformed
     */
    public Builder library(Object library) {
      interpreter.library(library);
      return this;
    }

    /**
     * Grants the statements these capabilities, as {@code --allow} does.
     *
     * @param capabilities the side effects the statements may have
     * @return this builder
     */
    public Builder allow(Capability... capabilities) {
      allowed.addAll(Arrays.asList(capabilities));
      return this;
    }

    /** {@return the extension}; register it in a static field with {@code @RegisterExtension} */
    public FaultlineExtension build() {
      TestBody bodies = new TestBody();
      interpreter.library(bodies);
      return new FaultlineExtension(interpreter.build(), bodies, allowed);
    }
  }
}
