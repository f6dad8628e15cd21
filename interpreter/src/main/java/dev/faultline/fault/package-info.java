/**
 * The fault lifecycle: what makes Faultline leave nothing behind.
 *
 * <p>{@link dev.faultline.fault.Fault} is the SPI every injector returns; {@link dev.faultline.fault.FaultLifecycle}
 * injects, tracks and reverts faults for one run; each scope (playbook, scenario, step) owns a
 * {@link dev.faultline.fault.RollbackStack} that reverts its faults newest first, runs its
 * {@code rollback} blocks and closes its resources when it ends; {@link dev.faultline.fault.ActiveFault}
 * is the handle playbooks hold; {@link dev.faultline.fault.BlastRadius} is the limit injectors check
 * before touching a selection of a group. Start with {@code FaultLifecycle}.
 */
package dev.faultline.fault;
