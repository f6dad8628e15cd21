/**
 * The {@code faultline} command: {@code run}, {@code check} and {@code list}, one picocli class each.
 *
 * <p>{@link dev.faultline.cli.Main} is the entry point; {@code Main.run(args, out, err, env)} runs a
 * command in-process and returns its exit code ({@link dev.faultline.run.ExitCode}), which is how
 * the golden tests drive it. {@link dev.faultline.cli.RootCommand} wires the subcommands and turns
 * usage mistakes and unexpected exceptions into one-line messages; {@link dev.faultline.cli.Problems}
 * prints a playbook's problems. Start with {@link dev.faultline.cli.RunCommand}.
 */
package dev.faultline.cli;
