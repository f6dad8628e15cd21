package dev.faultline.hook;

import dev.faultline.host.Effect;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Invocable;
import dev.faultline.host.Signature;
import java.util.List;
import java.util.Set;

/**
 * The interpreter's tests have no JavaScript runtime (it lives in the standard library): this
 * loader stands in for it, so that playbooks with a {@code hook} can be loaded and checked here. Every
 * hook registers one probe, {@code hooked_answer()}, returning 42. The real runtime is tested in
 * stdlib (dev.faultline.stdlib.hooks).
 */
public final class ConstantHookLoader implements HookLoader {
  @Override
  public LoadedHook load(HookSource source) {
    Signature sig = new Signature("hooked_answer", "the answer, from a hook", Signature.Kind.FUNCTION, List.of(), Long.class,
        false, null, Effect.PROBE, Set.of());
    Invocable answer = (args, context) -> 42L;
    return new LoadedHook() {
      public String name() {
        return source.name();
      }

      public List<HostRegistry.Bound> functions() {
        return List.of(new HostRegistry.Bound(sig, answer));
      }

      public void close() {}
    };
  }
}
