/**
 * The run's journal and what is made of it.
 *
 * <p>Every phase of a run becomes an {@link dev.faultline.report.Event} sent to each
 * {@link dev.faultline.report.RunListener}; the terminal output and {@code report.json} are listeners
 * and renderers over the same events and results. Not to be confused with the fault journal in
 * {@code dev.faultline.fault}, which exists for crash safety.
 *
 * <p>Listeners: {@link dev.faultline.report.TerminalPrinter} (the step lines and the summary) and
 * {@link dev.faultline.report.ProgressLog} (timestamped event lines where no live progress line can
 * be drawn). Renderers of an ended run, chosen by {@link dev.faultline.report.ReportFormat}:
 * {@link dev.faultline.report.ReportJson}, {@link dev.faultline.report.ReportMarkdown},
 * {@link dev.faultline.report.ReportJUnit}, {@link dev.faultline.report.ReportHtml}. Secrets are
 * masked by {@link dev.faultline.report.SecretMask} before any of them sees an event.
 */
package dev.faultline.report;
