/**
 * Services: local components under a lifecycle manager ({@code service("magdb", start: …,
 * health: …)}), for seed scenarios such as {@code component.crash}. {@link
 * dev.faultline.stdlib.service.ServiceTarget} starts, restarts and shuts down a component and times
 * it back to healthy ({@code Health}: a URL, a function, or its process running); its faults are the
 * process faults of {@code dev.faultline.stdlib.process} (SIGKILL with a restart, SIGSTOP), so they are
 * journaled and recovered like them. Reference: docs/stdlib/processes.md.
 */
package dev.faultline.stdlib.service;
