/**
 * Guards and limits: what stops a run that hurts the system it tests.
 *
 * <p>{@link dev.faultline.guard.GuardMonitor} checks each declared {@link dev.faultline.guard.Guard}
 * on one pre-started background thread: once before an injection into a system with no active fault,
 * then every interval while any fault is active. A condition that does not hold, or that fails, is a
 * {@link dev.faultline.guard.Breach}: every active fault is reverted at once from that thread, then
 * the run is cancelled as an abort (exit 3). {@code max_duration} limits end the same way.
 * {@link dev.faultline.guard.Limits} reads the playbook's settings ({@code max_duration},
 * {@code max_blast_radius}, {@code rollback_strategy}) and enforces the production-profile rule.
 * {@link dev.faultline.guard.GuardContext} is what a guard's condition may use of the run: it reads,
 * and refuses to inject, run steps or record. Start with {@code GuardMonitor}.
 */
package dev.faultline.guard;
