/**
 * Probes beyond HTTP and TCP: {@code command()}, {@code prometheus.query()} and the generic
 * {@code probe()} wrapper; {@link dev.faultline.stdlib.probe.ProbeLibrary} holds them. Results are
 * {@link dev.faultline.stdlib.probe.CommandResult}, {@link dev.faultline.stdlib.probe.PromResult} and
 * {@link dev.faultline.stdlib.probe.ProbeResult}; {@code Members} reads {@code latency} and {@code ok}
 * from any probe-like value, which is how host functions of other libraries (a SQL query) satisfy
 * {@code probe()}. Reference: docs/stdlib/validation.md.
 */
package dev.faultline.stdlib.probe;
