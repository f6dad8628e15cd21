package dev.faultline.stdlib.hooks;

import dev.faultline.ast.Decl;
import dev.faultline.hook.HookSource;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostRegistry;
import dev.faultline.source.Position;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Loads hook text directly, as the playbook loader would, and calls its functions. */
final class Hooks {
  private Hooks() {}

  /** Tight limits but for time: a busy machine must not make a time limit fire where a test means another. */
  static final HookLimits FAST = new HookLimits(Duration.ofSeconds(30), 1_000_000L, 64L << 20, Duration.ofMillis(300));

  static JsHook load(String name, String js, HookLimits limits) {
    Position at = new Position("test.fl", 1, 1, 4);
    Decl.Hook decl = new Decl.Hook(at, "", name, false, at);
    return JsHook.load(new HookSource(decl, name, Optional.empty(), js, 1, 1, false), limits);
  }

  /** Calls function {@code fn} of {@code hook} with named arguments, outside any run. */
  static Object call(JsHook hook, String fn, Map<String, Object> args) {
    HostRegistry.Bound b = hook.functions().stream().filter(f -> f.signature().name().equals(fn)).findFirst().orElseThrow();
    return new dev.faultline.host.HostCall(b.signature(), b.receiver()).call(List.of(), args, CallContext.detached());
  }
}
