package dev.faultline.host;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a Java method callable from playbooks. On a library object it is a global function; a
 * dotted name ({@code "docker.container"}) puts it in a namespace. On a {@link HostType} class it is
 * a member ({@code link.url}); a member whose parameters all have defaults can be read without
 * parentheses, like a property.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface HostFunction {
  /** {@return the name playbooks call}: {@code "sleep"}, {@code "docker.container"}, or a member's name */
  String name();

  /** {@return what the function does, in a sentence or two}; required, it feeds {@code faultline doc}, REPL help and the reference */
  String doc();

  /**
   * {@return what the call does to the world}; decides whether a dry run may call it. Members of
   * host values that only return what the value already holds are {@link Effect#PURE}.
   */
  Effect effect() default Effect.ACTION;

  /**
   * {@return the capabilities the call needs}, each to be granted with {@code --allow} before a
   * playbook that calls it may run; see {@link dev.faultline.fault.Capability}
   */
  dev.faultline.fault.Capability[] requires() default {};
}
