/**
 * The public API for running playbooks from other JVM code.
 *
 * <p>{@link dev.faultline.embed.Faultline#builder()} makes an interpreter with the host functions you
 * register; {@code run} returns a {@link dev.faultline.run.RunResult}. Nothing here prints or exits.
 * See docs/embedding.md for a complete example.
 */
package dev.faultline.embed;
