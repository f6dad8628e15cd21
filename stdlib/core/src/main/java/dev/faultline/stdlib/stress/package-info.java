/**
 * Resource stress: {@code stress.cpu}, {@code stress.memory} and {@code stress.disk}, each one
 * {@link dev.faultline.stdlib.stress.StressFault}: bounded, journaled before it starts, reverted when
 * its scope ends. CPU and memory loads run in separate processes ({@code StressEngine}: stress-ng
 * when installed, else the built-in {@link dev.faultline.stdlib.stress.StressWorker}), found again by
 * a tag in their environment ({@code Tagged}); {@code StressUndo} reverts from records, for the
 * faults and for {@link dev.faultline.stdlib.stress.StressRecoverer} alike.
 * Reference: docs/stdlib/stress.md.
 */
package dev.faultline.stdlib.stress;
