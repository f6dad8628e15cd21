package dev.faultline.host;

import java.util.List;

/**
 * A host function implemented by something other than a Java method: the receiver of a
 * {@link HostRegistry.Bound} whose {@link Signature#method()} is null (a JavaScript hook's injector
 * or probe). {@link HostCall} binds the arguments as for any host function and hands them over.
 */
public interface Invocable {
  /**
   * Calls the function with {@code args} in the order of the signature's parameters, defaults
   * filled in and converted to the declared types. Throws {@link HostError} for failures a person
   * can act on.
   *
   * @param args the arguments, one per parameter of the signature
   * @param context the calling run's context; wait only through it
   * @return the result, a playbook value (or a {@link dev.faultline.fault.Fault} for an injector)
   */
  Object invoke(List<Object> args, CallContext context);
}
