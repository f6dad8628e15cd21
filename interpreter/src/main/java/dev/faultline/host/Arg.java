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
  String name();

  String doc();

  String byDefault() default "";
}
