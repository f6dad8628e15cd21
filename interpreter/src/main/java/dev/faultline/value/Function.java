package dev.faultline.value;

import java.util.List;
import java.util.Map;

/**
 * A callable value: a playbook {@code fn} or a host function. Arguments arrive already evaluated;
 * named arguments keep the order they were written in.
 */
public interface Function {
  /** The name used in messages: {@code latency()}. */
  String name();

  Object call(List<Object> positional, Map<String, Object> named, dev.faultline.host.CallContext context);
}
