/**
 * Runtime values. Playbook values are plain Java objects ({@code Long}, {@code Double}, {@code String},
 * {@code Boolean}, {@code java.time.Duration}, {@code List}, {@code Map}) plus the unit records
 * {@link dev.faultline.value.Percent}, {@link dev.faultline.value.ByteSize}, {@link dev.faultline.value.Rate}
 * and {@link dev.faultline.value.Severity}. {@link dev.faultline.value.Values} gives type words, printing
 * and equality; {@link dev.faultline.value.HostValue} marks Java objects exposed to playbooks.
 * Start with {@code Values}.
 */
package dev.faultline.value;
