/**
 * The game-day REPL ({@code faultline repl}): a session at the prompt on JLine 3, built on the run
 * machinery of {@code faultline run} through {@link dev.faultline.run.InteractiveRun}. Start at
 * {@link dev.faultline.repl.ReplSession}; commands are {@link dev.faultline.repl.Command}, the
 * multi-line rule {@link dev.faultline.repl.InputParser}, completion
 * {@link dev.faultline.repl.Completion}, the bottom line {@link dev.faultline.repl.StatusLine}.
 */
package dev.faultline.repl;
