package dev.faultline.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a playbook as tests: one test per selected scenario, named after it, each scenario a run of
 * its own (the playbook's top level is set up and torn down for each). A failed scenario fails its
 * test with the step, the statement and the message; an aborted one fails it too; a skipped one is
 * reported as skipped. Every fault is reverted before the test ends.
 *
 * <pre>{@code
 * @FaultlinePlaybook(value = "playbooks/quickstart.fl", allow = "net")
 * void quickstart(ScenarioResult scenario) {
 *   // optional: further assertions on the scenario's result
 * }
 * }</pre>
 *
 * <p>The method may take a {@link dev.faultline.run.ScenarioResult} and a
 * {@link dev.faultline.run.RunResult}. The interpreter is the standard library's unless the class
 * has a static field or no-argument method annotated {@link FaultlineInterpreter}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(PlaybookScenarios.class)
public @interface FaultlinePlaybook {
  /** {@return the playbook's path}, relative to the working directory (a Maven module's directory in a Maven build) */
  String value();

  /** {@return params as on the command line}: {@code "name=value"} */
  String[] params() default {};

  /** {@return the permissions the scenarios may use}: {@code "net"}, {@code "fs"}, {@code "exec"}, {@code "docker"}, {@code "db"} */
  String[] allow() default {};

  /** {@return the profile to run with} ({@code --env}); empty for the playbook's default */
  String env() default "";

  /** {@return the tags that select scenarios}: only scenarios carrying one of them run; empty for every scenario */
  String[] tags() default {};
}
