/**
 * A Toxiproxy-compatible HTTP control API over Faultline's TCP fault proxy: each Toxiproxy toxic is
 * a link fault injected through a {@link dev.faultline.fault.FaultLifecycle}.
 */
package dev.faultline.stdlib.toxiproxy;
