/**
 * File faults: {@code file(path).replace(text)}, {@code .append(text)}, {@code .corrupt(bytes, seed)},
 * {@code .delete()} and {@code .chmod(mode)}, each restored byte for byte with its permissions and mtime.
 *
 * <p>{@link dev.faultline.stdlib.fs.FilesLibrary} gives playbooks {@code file()}, which returns a
 * {@link dev.faultline.stdlib.fs.FileTarget} (host type {@code file}) with readers and injectors. Each
 * injector returns a {@code FileFault}; everything that touches the disk is in {@code FileUndo}: the
 * undo record taken before injecting, the atomic writes, and the restore that reads nothing but the
 * record, which {@link dev.faultline.stdlib.fs.FileRecoverer} also runs for {@code faultline recover}.
 * Start with {@code FileUndo}. Reference: docs/stdlib/files.md.
 */
package dev.faultline.stdlib.fs;
