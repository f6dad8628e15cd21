package dev.faultline.host;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Like {@link HostFunction}, for a method that returns a {@link dev.faultline.fault.Fault}. The
 * method only describes the fault; it is used with {@code inject}, and the lifecycle does the rest.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Injector {
  /** {@return the name playbooks use after {@code inject}}, dotted for a namespace or a member's name */
  String name();

  /** {@return what the fault does and how it is reverted}; required, it feeds {@code faultline doc} and REPL help */
  String doc();

  /** {@return the capabilities injecting the fault needs}; see {@link dev.faultline.fault.Capability} */
  dev.faultline.fault.Capability[] requires() default {};
}
