package dev.faultline.host;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names and documents one parameter of a host function. {@code byDefault} is written in playbook
 * syntax ({@code "0ms"}, {@code "30%"}, {@code "\"GET\""}, {@code "null"}); empty means required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Arg {
  /** {@return the parameter's name in playbooks, used for named arguments} ({@code jitter: 300ms}) */
  String name();

  /** {@return one line on what the parameter means}; required, it feeds {@code faultline doc} and REPL help */
  String doc();

  /**
   * {@return the default in playbook syntax}, checked against the parameter's type when the
   * library is registered; empty (the default) makes the parameter required
   */
  String byDefault() default "";
}
