package dev.faultline.host;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names a Java class whose instances playbooks hold; its members are its annotated methods. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HostType {
  /** {@return the type's name as playbooks and error messages show it} ({@code "link"}, {@code "container"}) */
  String name();

  /** {@return what a value of the type stands for}, shown by REPL help; empty when not given */
  String doc() default "";
}
