/**
 * The run's journal and what is made of it.
 *
 * <p>Every phase of a run becomes an {@link dev.faultline.report.Event} sent to each
 * {@link dev.faultline.report.RunListener}; the terminal output and {@code report.json} are listeners
 * and renderers over the same events and results. Not to be confused with the fault journal in
 * {@code dev.faultline.fault}, which exists for crash safety.
 */
package dev.faultline.report;
