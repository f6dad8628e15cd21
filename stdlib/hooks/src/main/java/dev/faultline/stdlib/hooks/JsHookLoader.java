package dev.faultline.stdlib.hooks;

import dev.faultline.hook.HookLoader;
import dev.faultline.hook.HookSource;
import dev.faultline.hook.LoadedHook;

/**
 * The interpreter's {@link HookLoader}, registered in
 * {@code META-INF/services/dev.faultline.hook.HookLoader}. Cheap to create: the GraalJS engine
 * starts on the first {@link #load}. A hook declared {@code isolated} or {@code untrusted} runs in a
 * child JVM ({@link IsolatedHook}); any other in a context of this process ({@link JsHook}).
 */
public final class JsHookLoader implements HookLoader {

  @Override
  public LoadedHook load(HookSource source) {
    if (source.isolated()) return IsolatedHook.load(source);
    return JsHook.load(source, HookLimits.DEFAULT);
  }
}
