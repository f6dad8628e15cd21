/**
 * JavaScript hooks: custom injectors and probes written in JavaScript and run by GraalJS in a
 * sandbox, used from playbooks like built-in host functions. See docs/hooks.md.
 *
 * <p>Start reading at {@link dev.faultline.stdlib.hooks.JsHookLoader} (the interpreter's
 * {@link dev.faultline.hook.HookLoader}), then {@link dev.faultline.stdlib.hooks.JsHook} (one hook:
 * its context, its thread, its limits), {@link dev.faultline.stdlib.hooks.HookFunction} and
 * {@link dev.faultline.stdlib.hooks.HookFault} (a probe and an injector as the playbook sees them),
 * {@link dev.faultline.stdlib.hooks.JsValues} (the value mapping) and
 * {@link dev.faultline.stdlib.hooks.HookRecoverer} ({@code faultline recover}). A hook marked
 * {@code untrusted} runs in a child JVM: {@link dev.faultline.stdlib.hooks.IsolatedHook} on this side,
 * {@link dev.faultline.stdlib.hooks.HookProcess} in the child. Every GraalVM class is
 * reached through these, so a playbook without hooks loads none: {@link dev.faultline.stdlib.hooks.JsEngine}
 * holds the one shared engine, started on the first hook.
 */
package dev.faultline.stdlib.hooks;
