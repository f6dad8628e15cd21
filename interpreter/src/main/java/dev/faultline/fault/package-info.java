/**
 * The fault lifecycle: what makes Faultline leave nothing behind.
 *
 * <p>{@link dev.faultline.fault.Fault} is the SPI every injector returns; {@link dev.faultline.fault.FaultLifecycle}
 * injects, tracks and reverts faults for one run; each scope (playbook, scenario, step) owns a
 * {@link dev.faultline.fault.RollbackStack} that reverts its faults newest first, runs its
 * {@code rollback} blocks and closes its resources when it ends; {@link dev.faultline.fault.ActiveFault}
 * is the handle playbooks hold; {@link dev.faultline.fault.BlastRadius} is the limit injectors check
 * before touching a selection of a group. Start with {@code FaultLifecycle}.
 *
 * <p>Crash safety: {@link dev.faultline.fault.FaultJournal} writes each fault to disk before it is
 * injected ({@link dev.faultline.fault.JournalRecord} is the format) and deletes it after its revert;
 * {@link dev.faultline.fault.Recovery} reverts what dead runs left, through the
 * {@link dev.faultline.fault.FaultRecoverer}s, for {@code faultline recover} and the
 * {@link dev.faultline.fault.Watchdog} process; {@link dev.faultline.fault.ProcessIdentity} tells a
 * dead run from a live one. docs/recovery.md describes all of it for users.
 */
package dev.faultline.fault;
