package dev.faultline.host;

import java.util.Map;

/** The members of a {@link HostType} class, read once per class. Immutable. */
public record HostTypeInfo(String name, String doc, Map<String, Signature> members) {
  public HostTypeInfo {
    members = Map.copyOf(members);
  }
}
