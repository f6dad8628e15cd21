/**
 * Docker container faults, through docker-java over the engine's socket:
 * {@code docker.container(name)} ({@link dev.faultline.stdlib.docker.ContainerTarget}) and
 * {@code docker.containers(label: …)} ({@link dev.faultline.stdlib.docker.ContainerGroup}).
 *
 * <p>{@code Engine} wraps the client and turns engine failures into clear errors;
 * {@code ContainerFault} is the one fault type (pause, stop, kill of one container or of a seeded
 * {@code Selection} from a group, checked against the blast radius); {@code ContainerUndo} reverts
 * from undo records, for the faults and for {@link dev.faultline.stdlib.docker.ContainerRecoverer}
 * alike. A container is known by its id, so a container recreated under the same name is never
 * mistaken for it. Start with {@code ContainerFault}. Reference: docs/stdlib/containers.md.
 */
package dev.faultline.stdlib.docker;
