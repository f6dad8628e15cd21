package dev.faultline.eval;

/** A namespace of host functions as a value: {@code docker} in {@code docker.container("x")}. */
public record Namespace(String prefix) {
  @Override
  public String toString() {
    return "<namespace " + prefix + ">";
  }
}
