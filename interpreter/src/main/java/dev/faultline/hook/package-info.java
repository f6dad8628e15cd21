/**
 * JavaScript hooks as the interpreter sees them: a service interface and nothing of GraalVM.
 *
 * <p>A playbook's {@code hook "hooks/x.js"} is loaded by {@link dev.faultline.hook.Hooks} together with
 * the playbook, before anything is checked or run: the {@link dev.faultline.hook.HookLoader} found
 * through {@link java.util.ServiceLoader} (the standard library's, in {@code dev.faultline.stdlib.hooks})
 * runs the hook's top level, which only registers functions, and returns a
 * {@link dev.faultline.hook.LoadedHook}: host functions with {@link dev.faultline.host.Signature}s like
 * any Java one, so the checker knows their names, parameters and units. The loader is looked up only
 * when a playbook declares a hook: a playbook without hooks loads no class of the JavaScript runtime.
 */
package dev.faultline.hook;
