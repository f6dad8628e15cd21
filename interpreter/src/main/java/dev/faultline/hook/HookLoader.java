package dev.faultline.hook;

import dev.faultline.source.PlaybookError;

/**
 * Runs JavaScript hooks. Implementations register in
 * {@code META-INF/services/dev.faultline.hook.HookLoader}; the first one found is used. Its
 * constructor must be cheap and load no engine: the loader is created the first time a playbook
 * declares a hook, and the engine starts on the first {@link #load}.
 */
public interface HookLoader {
  /**
   * Runs the hook's top level (which registers its functions) and returns what it registered.
   * Throws {@link PlaybookError} with diagnostics naming the hook file, line and column for a
   * syntax error, an exception, or a registration that is wrong (an unknown parameter type…).
   */
  LoadedHook load(HookSource source);
}
