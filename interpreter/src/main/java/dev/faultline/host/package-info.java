/**
 * Java seen from playbooks: one annotated way to expose functions, injectors and value types, used
 * by the standard library and by embedding applications alike.
 *
 * <p>Annotate methods with {@link dev.faultline.host.HostFunction} or {@link dev.faultline.host.Injector},
 * each parameter with {@link dev.faultline.host.Arg}, value classes with {@link dev.faultline.host.HostType}.
 * {@link dev.faultline.host.HostRegistry} reads the annotations once into {@link dev.faultline.host.Signature}s,
 * which the checker and the help use; {@link dev.faultline.host.HostCall} binds arguments and invokes.
 * A trailing {@link dev.faultline.host.CallContext} parameter gives position, interruptible sleep and output.
 */
package dev.faultline.host;
