package dev.faultline.value;

import java.util.List;
import java.util.Map;

/**
 * A callable value: a playbook {@code fn} or a host function. Arguments arrive already evaluated;
 * named arguments keep the order they were written in.
 */
public interface Function {
  /** {@return the name used in messages}: {@code latency()} */
  String name();

  /**
   * Calls the function on the calling thread.
   *
   * @param positional the positional arguments, evaluated, in order
   * @param named the named arguments, evaluated, in the order written
   * @param context the calling run's context
   * @return the result, a playbook value (null for none)
   * @throws dev.faultline.host.HostError for a failure a person can act on, or a wrong argument
   */
  Object call(List<Object> positional, Map<String, Object> named, dev.faultline.host.CallContext context);
}
