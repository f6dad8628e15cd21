/**
 * A run of a playbook: loading with imports ({@link dev.faultline.run.PlaybookLoader}), checking the
 * options ({@link dev.faultline.run.Preflight}), and the scenario and step lifecycle
 * ({@link dev.faultline.run.PlaybookRun}) that ends in a {@link dev.faultline.run.RunResult} and an
 * exit code ({@link dev.faultline.run.ExitCode}). Start with {@code PlaybookRun}.
 * {@link dev.faultline.run.Permissions} refuses an ungranted capability at first use;
 * {@code DryRunPlan} turns what a dry run did not do into events.
 */
package dev.faultline.run;
