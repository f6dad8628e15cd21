package dev.faultline.host;

import java.util.Map;
import java.util.Optional;

/**
 * The standard library's areas that live in modules of their own, because they bring heavy
 * dependencies (docker-java, the JDBC driver and HikariCP, Jedis, GraalJS): an embedding application
 * has them only when it adds those modules. When a playbook names one of these namespaces and no
 * library on the class path provides it, the checker says which module to add instead of only
 * "unknown name".
 */
public final class OptionalModules {
  private static final Map<String, String> MODULE_OF_NAMESPACE = Map.of(
      "docker", "faultline-docker",
      "postgres", "faultline-postgres",
      "redis", "faultline-redis");

  private OptionalModules() {}

  /**
   * The artifact that provides {@code namespace}, if it is one of the standard library's optional
   * modules.
   *
   * @param namespace a top-level name as written in a playbook, such as {@code docker}
   * @return the artifactId in the {@code dev.faultline} group, or empty for any other name
   */
  public static Optional<String> moduleOf(String namespace) {
    return Optional.ofNullable(MODULE_OF_NAMESPACE.get(namespace));
  }

  /**
   * The help line for a missing optional module: what to add, and that the command has it.
   *
   * @param artifactId the module's artifactId, as {@link #moduleOf} gives it
   * @return one line for a diagnostic's help
   */
  public static String help(String artifactId) {
    return "add the dev.faultline:" + artifactId + " module to the class path (the faultline command has every module)";
  }
}
