/**
 * Source text and the problems found in it.
 *
 * <p>{@link dev.faultline.source.SourceFile} holds a playbook's text and line index;
 * {@link dev.faultline.source.Position} is a place in it; {@link dev.faultline.source.Diagnostic} is one
 * problem to show a person, raised as {@link dev.faultline.source.PlaybookError} and printed only by
 * {@link dev.faultline.source.DiagnosticRenderer}. {@link dev.faultline.source.Suggest} finds the
 * did-you-mean candidate. Start with {@code Diagnostic}: every user-facing error in Faultline is one.
 */
package dev.faultline.source;
