package dev.faultline.junit;

import dev.faultline.host.Arg;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostFunction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host function through which a playbook step calls back into a test's Java code:
 * {@code junit.body("token")} runs the body registered under the token. What the body throws is
 * kept for the test and stops the step, so the step's faults are reverted before it is rethrown.
 */
public final class TestBody {
  private final Map<String, Call> calls = new ConcurrentHashMap<>();

  /** A body waiting for its step, with what it threw once it ran. */
  static final class Call {
    final Runnable body;
    Throwable thrown;
    boolean ran;

    Call(Runnable body) {
      this.body = body;
    }
  }

  Call register(String token, Runnable body) {
    Call c = new Call(body);
    calls.put(token, c);
    return c;
  }

  void forget(String token) {
    calls.remove(token);
  }

  /**
   * Runs the test code registered under a token; called by the step {@link FaultlineExtension#during} builds.
   *
   * @param token the token the extension registered the body under
   * @throws HostError when no body waits under the token, or the body threw (kept for the test)
   */
  @HostFunction(name = "junit.body", effect = Effect.ACTION, doc = "Runs the Java test code waiting under `token`"
      + " (FaultlineExtension.during); what it throws fails the step and is rethrown to the test after the reverts.")
  public void body(@Arg(name = "token", doc = "the test code's token") String token) {
    Call c = calls.get(token);
    if (c == null) throw new HostError("no test code waits under '" + token + "'", "junit.body() is called by FaultlineExtension.during only");
    c.ran = true;
    try {
      c.body.run();
    } catch (Throwable t) {
      c.thrown = t;
      throw new HostError("the test code threw " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }
  }
}
