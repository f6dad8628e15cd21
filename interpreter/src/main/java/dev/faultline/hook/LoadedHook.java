package dev.faultline.hook;

import dev.faultline.host.HostRegistry;
import java.util.List;

/**
 * A hook that has been loaded: the injectors and probes it registered, as host functions whose
 * receivers are {@link dev.faultline.host.Invocable}s. Thread-safe; calls may come from the
 * evaluating thread, guards and reverts alike.
 */
public interface LoadedHook extends AutoCloseable {
  /** What messages call it: the hook file, or the playbook position of an inline hook. */
  String name();

  /** The registered functions, in the order they were registered. */
  List<HostRegistry.Bound> functions();

  /** Frees the hook's context (or child process); calls made after it fail. Idempotent. */
  @Override
  void close();
}
