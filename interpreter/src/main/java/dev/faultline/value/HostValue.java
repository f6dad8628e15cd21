package dev.faultline.value;

/**
 * A Java object handed to playbooks (a proxy link, a service, a probe result). Its class carries
 * {@code @HostType}; its members are the methods annotated {@code @HostFunction} or {@code @Injector}.
 */
public interface HostValue {
  /** {@return how the value prints at the REPL and in logs}; secrets must never appear here. {@code toString()} by default */
  default String show() {
    return toString();
  }
}
