/**
 * Process faults on local Linux processes: {@code process(pid)} / {@code process(command: …)} with
 * {@code .stop()} (SIGSTOP, reverted with SIGCONT) and {@code .kill(signal, restart)}, and
 * {@code spawn()} for processes owned by a scope.
 *
 * <p>{@link dev.faultline.stdlib.process.ProcessLibrary} holds the functions;
 * {@link dev.faultline.stdlib.process.ProcessTarget} (host type {@code process}) the readers and
 * injectors. A process is known by its {@code Identity} (PID, start time from {@code /proc/<pid>/stat},
 * boot id), read by {@code ProcFs}, so a reused PID is never mistaken for it. {@code ProcessUndo}
 * sends signals and reverts from undo records, for the faults and for
 * {@link dev.faultline.stdlib.process.ProcessRecoverer} alike. Start with {@code ProcessFault}.
 * Reference: docs/stdlib/processes.md.
 */
package dev.faultline.stdlib.process;
