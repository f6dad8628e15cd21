package dev.faultline.host;

import java.util.Map;

/**
 * The members of a {@link HostType} class, read once per class. Immutable.
 *
 * @param name the type's name in playbooks
 * @param doc what a value of the type stands for; empty when not given
 * @param members the annotated methods by name
 */
public record HostTypeInfo(String name, String doc, Map<String, Signature> members) {
  /**
   * Copies {@code members}, which must hold no null.
   *
   * @param name the type's name in playbooks
   * @param doc what a value of the type stands for; empty when not given
   * @param members the annotated methods by name
   */
  public HostTypeInfo {
    members = Map.copyOf(members);
  }
}
