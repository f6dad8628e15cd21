/**
 * Faultline as a JSR-223 ({@code javax.script}) engine, so that any JVM application that already
 * speaks {@code ScriptEngine} can run playbooks.
 *
 * <p>{@code new ScriptEngineManager().getEngineByName("faultline")} finds
 * {@link dev.faultline.embed.script.FaultlineScriptEngineFactory} through
 * {@code META-INF/services/javax.script.ScriptEngineFactory}; its
 * {@link dev.faultline.embed.script.FaultlineScriptEngine} evaluates a playbook's text, turns
 * bindings into params and returns the {@link dev.faultline.run.RunResult}. Start reading at the
 * engine's class comment; docs/embedding.md has an example.
 */
package dev.faultline.embed.script;
