package dev.faultline.measure;

/**
 * One SLO target judged at the end of a scenario.
 *
 * @param key the profile entry, e.g. {@code slo.error_rate}
 * @param figure what was measured, in words: {@code error rate of traffic "api"}
 * @param value the measured value as the playbook prints it, or empty when nothing was measured
 * @param target the target as the playbook prints it, with its comparison: {@code ≤ 5%}
 * @param passed whether the value meets the target; true when nothing was measured
 * @param measured whether there was anything to judge
 */
public record SloVerdict(String key, String figure, String value, String target, boolean passed, boolean measured) {
  /** The verdict in one line: {@code slo.error_rate violated: error rate of traffic "api" was 7.2%, the target is ≤ 5%}. */
  public String message() {
    if (!measured) return key + " not judged: no " + figure + " was measured in this scenario";
    return key + (passed ? " met: " : " violated: ") + figure + " was " + value + ", the target is " + target;
  }
}
