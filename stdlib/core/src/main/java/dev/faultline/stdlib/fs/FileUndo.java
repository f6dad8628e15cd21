package dev.faultline.stdlib.fs;

import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.HostError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The undo record of a file fault, and the two things done with it: {@link #apply} (inject) and
 * {@link #restore} (revert). Restoring reads nothing but the record, so the fault's own revert in the
 * interpreter and {@link FileRecoverer} in {@code faultline recover} run the same code.
 *
 * <p>The record (plain JSON values) is taken once, before the file is touched:
 * <pre>
 * version 1, kind "file.replace", path (absolute, symbolic links resolved), existed,
 * when it existed: mode "644", owner, group, mtime (ISO-8601 instant, nanoseconds kept), size, sha256,
 *                  and content_base64 (up to {@link #INLINE_LIMIT}) or backup (the path of a copy),
 * faulted_exists, faulted_sha256 (the content the fault writes), faulted_mode (chmod),
 * offset / length / seed (corrupt), created_dirs (parents a replace or append had to create),
 * token (names the temporary files beside the target, so that recover can remove strays).
 * </pre>
 *
 * <p>Writes are atomic: new content goes to a temporary file in the same directory, is flushed, gets
 * the mode, owner and group, and is renamed over the target. Rationale: at every instant, a crash
 * included, the file is either wholly original or wholly faulted, so that a revert can always tell
 * which state it finds. The price: the file gets a new inode (hard links keep the old content, a
 * process holding it open keeps reading the old one); extended attributes and ACLs are not kept.
 *
 * <p>A changed target is never clobbered: a revert that finds content that is neither the original
 * nor the fault's (someone else wrote the file meanwhile) changes nothing and throws
 * {@link TargetChanged}. Stateless and thread-safe; two faults on one file are ordered by the
 * rollback stack.
 */
final class FileUndo {
  /** Originals up to this size travel in the record (base64); larger ones are copied to a backup file. */
  static final long INLINE_LIMIT = 1L << 20;
  /** System property naming the directory for backups of large originals. */
  static final String BACKUP_DIR_PROPERTY = "faultline.backup.dir";
  /** Mode of a file that a fault creates. Rationale: the umask cannot be read from Java; 644 is the common result. */
  static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

  private static final int VERSION = 1;
  private static final SecureRandom TOKENS = new SecureRandom();

  private FileUndo() {}

  /** What a fault does to the file, with the fields each kind needs. */
  enum Op {
    REPLACE("file.replace"), APPEND("file.append"), CORRUPT("file.corrupt"), DELETE("file.delete"), CHMOD("file.chmod");

    final String kind;

    Op(String kind) {
      this.kind = kind;
    }

    static Op ofKind(String kind) {
      for (Op op : values()) if (op.kind.equals(kind)) return op;
      throw new IllegalArgumentException("not a file fault: " + kind);
    }
  }

  /** The fault's parameters: text for replace and append, length and seed for corrupt, mode for chmod. */
  record Change(Op op, byte[] text, int length, long seed, Set<PosixFilePermission> mode) {}

  /** A record plus what injecting needs that the record does not keep (the replacement text). */
  record Prepared(Map<String, Object> record, Change change) {}

  // ------------------------------------------------------------ snapshot

  /**
   * Records the file's state before {@code change}. Refuses (HostError) what cannot be done or
   * undone: a directory, a dangling link, deleting or corrupting a file that does not exist.
   */
  static Prepared snapshot(Path given, Change change) {
    try {
      return snapshotOrThrow(given, change);
    } catch (IOException e) {
      throw new HostError("cannot read " + given + ": " + reason(e));
    }
  }

  private static Prepared snapshotOrThrow(Path given, Change change) throws IOException {
    Path path = given;
    if (Files.isSymbolicLink(given)) {
      if (!Files.exists(given)) {
        throw new HostError(given + " is a symbolic link to a file that does not exist", "name the file itself");
      }
      // Rationale: renaming over a link would replace the link; the fault is meant for the file it names.
      path = given.toRealPath();
    }
    boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    if (exists && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new HostError(path + " is not a regular file", "file faults act on one regular file");
    }
    Op op = change.op();
    if (!exists && (op == Op.CORRUPT || op == Op.DELETE || op == Op.CHMOD)) {
      throw new HostError("cannot " + op.name().toLowerCase() + " " + path + ": the file does not exist");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("version", VERSION);
    r.put("kind", op.kind);
    r.put("path", path.toString());
    r.put("token", token());
    r.put("existed", exists);
    byte[] inline = null;
    Path backup = null;
    long size = 0;
    if (exists) {
      PosixFileAttributes a = posix(path);
      size = a.size();
      r.put("mode", octal(a.permissions()));
      r.put("owner", a.owner().getName());
      r.put("group", a.group().getName());
      r.put("mtime", a.lastModifiedTime().toInstant().toString());
      r.put("size", size);
      if (op == Op.CHMOD) {
        // Rationale: chmod leaves the content alone and 000 may make it unreadable; size and mtime
        // tell whether someone wrote the file meanwhile, without reading it.
        r.put("faulted_exists", true);
        r.put("faulted_mode", octal(change.mode()));
        return new Prepared(Collections.unmodifiableMap(r), change);
      }
      if (size <= INLINE_LIMIT) {
        inline = Files.readAllBytes(path);
        size = inline.length;
        r.put("size", size);
        r.put("sha256", hex(sha256().digest(inline)));
        r.put("content_base64", Base64.getEncoder().encodeToString(inline));
      } else {
        backup = backupOf(path, r);
      }
    } else {
      List<String> created = new ArrayList<>();
      for (Path dir = path.getParent(); dir != null && !Files.exists(dir); dir = dir.getParent()) {
        created.add(0, dir.toString());
      }
      r.put("created_dirs", List.copyOf(created));
    }

    switch (op) {
      case REPLACE -> {
        r.put("faulted_exists", true);
        r.put("faulted_sha256", hex(sha256().digest(change.text())));
      }
      case APPEND -> {
        MessageDigest md = sha256();
        if (exists) digest(md, original(inline, backup));
        md.update(change.text());
        r.put("faulted_exists", true);
        r.put("faulted_sha256", hex(md.digest()));
      }
      case CORRUPT -> {
        if (size == 0) throw new HostError("cannot corrupt " + path + ": the file is empty");
        long length = Math.min(change.length(), size);
        Random rnd = new Random(change.seed());
        long offset = Math.floorMod(rnd.nextLong(), size - length + 1);
        r.put("offset", offset);
        r.put("length", length);
        r.put("seed", change.seed());
        MessageDigest md = sha256();
        try (InputStream in = corrupted(original(inline, backup), offset, (int) length, change.seed())) {
          digest(md, in);
        }
        r.put("faulted_exists", true);
        r.put("faulted_sha256", hex(md.digest()));
      }
      case DELETE -> r.put("faulted_exists", false);
      default -> throw new IllegalStateException(op.toString());
    }
    return new Prepared(Collections.unmodifiableMap(r), change);
  }

  /** Copies a large original beside the journal, hashing it on the way, and notes both in the record. */
  private static Path backupOf(Path path, Map<String, Object> r) throws IOException {
    Path dir = backupDir();
    Files.createDirectories(dir);
    Path backup = dir.resolve(r.get("token") + "-" + path.getFileName());
    MessageDigest md = sha256();
    try (InputStream in = Files.newInputStream(path);
         FileChannel out = FileChannel.open(backup, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      // Rationale: the backup may hold secrets (a config with passwords): readable by its owner only.
      Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rw-------"));
      OutputStream os = new DigestOutputStream(Channels.newOutputStream(out), md);
      long copied = in.transferTo(os);
      os.flush();
      out.force(true);
      r.put("size", copied);
    }
    r.put("sha256", hex(md.digest()));
    r.put("backup", backup.toString());
    return backup;
  }

  /**
   * Where backups of originals larger than {@link #INLINE_LIMIT} go: the system property
   * {@value #BACKUP_DIR_PROPERTY}, else {@code .faultline/backups} in the working directory, beside the
   * journal's default {@code .faultline/journal}. The record keeps the backup's absolute path.
   */
  static Path backupDir() {
    String dir = System.getProperty(BACKUP_DIR_PROPERTY);
    if (dir != null && !dir.isBlank()) return Path.of(dir).toAbsolutePath();
    return Path.of(System.getProperty("user.dir"), ".faultline", "backups");
  }

  // ------------------------------------------------------------ inject

  /**
   * Puts the fault in place. Idempotent: a file already in the faulted state is left alone. A file
   * that is in neither state (changed since the snapshot) is refused.
   */
  static void apply(Prepared p) throws IOException {
    Record r = new Record(p.record());
    Change change = p.change();
    Current now = Current.of(r);
    if (now.isFaulted(r)) return;
    if (!now.isOriginal(r)) {
      throw new HostError(r.path + " changed after its state was recorded; nothing was injected");
    }
    switch (change.op()) {
      case REPLACE -> write(r, new ByteArrayInputStream(change.text()), true);
      case APPEND -> write(r, new SequenceInputStream(
          r.existed ? Files.newInputStream(r.path) : InputStream.nullInputStream(), new ByteArrayInputStream(change.text())), true);
      case CORRUPT -> write(r, corrupted(Files.newInputStream(r.path), r.num("offset"), (int) r.num("length"), r.num("seed")), true);
      case DELETE -> Files.deleteIfExists(r.path);
      case CHMOD -> Files.setPosixFilePermissions(r.path, PosixFilePermissions.fromString(rwx(r.str("faulted_mode"))));
    }
  }

  /** Writes the faulted content, with the original's mode and owner, or as a new file in new directories. */
  private static void write(Record r, InputStream content, boolean faulted) throws IOException {
    if (!r.existed) {
      for (String dir : r.list("created_dirs")) {
        try {
          Files.createDirectory(Path.of(dir));
        } catch (FileAlreadyExistsException alreadyThere) {
          // Created by an earlier attempt, or by someone else; either way it is there now.
        }
      }
    }
    atomicWrite(r, content, faulted ? r.str("faulted_sha256") : r.str("sha256"), faulted ? "inject" : "restore");
  }

  // ------------------------------------------------------------ restore

  /**
   * Undoes the fault a record describes, from the record alone. Idempotent: an original already in
   * place is only given back its mode and mtime. Throws {@link TargetChanged} when the file is in
   * neither the original nor the faulted state, and then changes nothing.
   */
  static void restore(Map<String, Object> record) throws IOException, TargetChanged {
    Record r = new Record(record);
    removeStrayTemporaries(r);
    if (r.op == Op.CHMOD) {
      restoreMode(r);
      return;
    }
    Current now = Current.of(r);
    if (now.isOriginal(r)) {
      if (r.existed) fixAttributes(r);
      else removeCreatedDirs(r);
      dropBackup(r);
      return;
    }
    if (!now.isFaulted(r)) {
      throw new TargetChanged(r.path + " was changed by something else after the fault was injected: "
          + now.describe() + ", neither the original" + (r.existed ? "" : " (no file)") + " nor what the fault wrote;"
          + " it was left as it is" + (r.existed ? " (the undo record keeps the original content)" : ""));
    }
    if (r.existed) {
      try (InputStream original = r.original()) {
        write(r, original, false);
      }
      fixAttributes(r);
      dropBackup(r);
    } else {
      Files.deleteIfExists(r.path);
      removeCreatedDirs(r);
    }
  }

  private static void restoreMode(Record r) throws IOException, TargetChanged {
    if (!Files.exists(r.path, LinkOption.NOFOLLOW_LINKS)) {
      throw new TargetChanged(r.path + " was deleted after its permissions were changed; nothing was restored");
    }
    PosixFileAttributes a = posix(r.path);
    String mode = octal(a.permissions());
    if (mode.equals(r.str("mode"))) return;
    boolean untouched = a.size() == r.num("size") && a.lastModifiedTime().toInstant().equals(Instant.parse(r.str("mtime")));
    if (!mode.equals(r.str("faulted_mode")) || !untouched) {
      throw new TargetChanged(r.path + " was changed by something else after its permissions were set to "
          + r.str("faulted_mode") + " (now mode " + mode + (untouched ? "" : ", content written") + "); it was left as it is");
    }
    Files.setPosixFilePermissions(r.path, PosixFilePermissions.fromString(rwx(r.str("mode"))));
  }

  /** Mode, owner and mtime as recorded: a write sets the first two, and every write moves the mtime. */
  private static void fixAttributes(Record r) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(r.path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> mode = PosixFilePermissions.fromString(rwx(r.str("mode")));
    if (!view.readAttributes().permissions().equals(mode)) view.setPermissions(mode);
    FileTime mtime = FileTime.from(Instant.parse(r.str("mtime")));
    if (!view.readAttributes().lastModifiedTime().equals(mtime)) view.setTimes(mtime, null, null);
  }

  private static void removeCreatedDirs(Record r) {
    List<String> dirs = r.list("created_dirs");
    for (int i = dirs.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(Path.of(dirs.get(i)));
      } catch (IOException notEmpty) {
        // Something else now lives there: the directory stays, and so do its parents.
        return;
      }
    }
  }

  private static void dropBackup(Record r) throws IOException {
    String backup = r.str("backup");
    if (backup != null) Files.deleteIfExists(Path.of(backup));
  }

  // ------------------------------------------------------------ writing

  /**
   * Writes {@code content} to a temporary file beside the target, checks its hash, gives it the
   * recorded mode and owner (or those of a new file), renames it over the target and flushes the
   * directory. Nothing is renamed when the hash differs: the source changed while it was copied.
   */
  private static void atomicWrite(Record r, InputStream content, String expectedSha, String purpose) throws IOException {
    Path tmp = temporary(r, purpose);
    try {
      MessageDigest md = sha256();
      try (InputStream in = content;
           FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        OutputStream os = new DigestOutputStream(Channels.newOutputStream(out), md);
        in.transferTo(os);
        os.flush();
        out.force(true);
      }
      String got = hex(md.digest());
      if (expectedSha != null && !got.equals(expectedSha)) {
        throw new IOException(purpose.equals("restore")
            ? "the original content of " + r.path + " could not be read back intact (sha256 " + got + ", expected " + expectedSha + ")"
            : r.path + " changed while the fault was being written; nothing was injected");
      }
      PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
      view.setPermissions(r.existed ? PosixFilePermissions.fromString(rwx(r.str("mode"))) : NEW_FILE_MODE);
      if (r.existed) setOwner(view, r.str("owner"), r.str("group"));
      try {
        Files.move(tmp, r.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + r.path + " atomically on this file system");
      }
      forceDirectory(r.path.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void setOwner(PosixFileAttributeView view, String owner, String group) throws IOException {
    PosixFileAttributes now = view.readAttributes();
    UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
    if (owner != null && !now.owner().getName().equals(owner)) {
      UserPrincipal user = lookup.lookupPrincipalByName(owner);
      view.setOwner(user);
    }
    if (group != null && !now.group().getName().equals(group)) {
      GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
      view.setGroup(g);
    }
  }

  /** The temporary file of one write: named by the record's token, so a later restore finds strays. */
  private static Path temporary(Record r, String purpose) {
    return r.path.resolveSibling("." + r.path.getFileName() + ".faultline-" + purpose + "-" + r.str("token") + ".tmp");
  }

  private static void removeStrayTemporaries(Record r) throws IOException {
    if (r.str("token") == null || r.path.getParent() == null || !Files.isDirectory(r.path.getParent())) return;
    Files.deleteIfExists(temporary(r, "inject"));
    Files.deleteIfExists(temporary(r, "restore"));
  }

  private static void forceDirectory(Path dir) {
    if (dir == null) return;
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException unsupported) {
      // Some file systems cannot flush a directory; the rename itself has happened.
    }
  }

  // ------------------------------------------------------------ the current state

  /** What the file holds now, compared with a record's two states. */
  private record Current(boolean exists, boolean regular, String sha) {
    static Current of(Record r) throws IOException {
      if (!Files.exists(r.path, LinkOption.NOFOLLOW_LINKS)) return new Current(false, false, null);
      if (!Files.isRegularFile(r.path, LinkOption.NOFOLLOW_LINKS)) return new Current(true, false, null);
      if (r.op == Op.CHMOD) return new Current(true, true, null);
      MessageDigest md = sha256();
      try (InputStream in = Files.newInputStream(r.path)) {
        digest(md, in);
      } catch (NoSuchFileException goneMeanwhile) {
        return new Current(false, false, null);
      }
      return new Current(true, true, hex(md.digest()));
    }

    boolean isOriginal(Record r) {
      if (r.op == Op.CHMOD) return exists && regular;
      return r.existed ? exists && regular && sha.equals(r.str("sha256")) : !exists;
    }

    boolean isFaulted(Record r) {
      if (r.op == Op.CHMOD) return false;
      return r.bool("faulted_exists") ? exists && regular && sha.equals(r.str("faulted_sha256")) : !exists;
    }

    String describe() {
      if (!exists) return "it no longer exists";
      if (!regular) return "it is no longer a regular file";
      return "it now holds other content (sha256 " + sha.substring(0, 12) + "…)";
    }
  }

  /** Typed reads of a record that may have been through JSON (numbers of any width). */
  static final class Record {
    final Map<String, Object> map;
    final Op op;
    final Path path;
    final boolean existed;

    Record(Map<String, Object> map) {
      this.map = map;
      Object kind = map.get("kind");
      Object path = map.get("path");
      Object existed = map.get("existed");
      if (!(kind instanceof String) || !(path instanceof String) || !(existed instanceof Boolean)) {
        throw new IllegalArgumentException("not a file fault's undo record (it needs kind, path and existed): " + map.keySet());
      }
      this.op = Op.ofKind((String) kind);
      this.path = Path.of((String) path);
      this.existed = (Boolean) existed;
      if (this.existed && str("mode") == null) throw new IllegalArgumentException("the undo record of " + path + " has no mode");
    }

    String str(String key) {
      Object v = map.get(key);
      return v == null ? null : v.toString();
    }

    long num(String key) {
      Object v = map.get(key);
      if (v instanceof Number n) return n.longValue();
      if (v instanceof String s) return Long.parseLong(s);
      throw new IllegalArgumentException("the undo record of " + path + " has no number '" + key + "'");
    }

    boolean bool(String key) {
      return Boolean.TRUE.equals(map.get(key));
    }

    List<String> list(String key) {
      Object v = map.get(key);
      if (!(v instanceof List<?> l)) return List.of();
      List<String> out = new ArrayList<>();
      for (Object o : l) out.add(String.valueOf(o));
      return out;
    }

    /** The original content, from the record or from its backup. */
    InputStream original() throws IOException {
      String inline = str("content_base64");
      if (inline != null) return new ByteArrayInputStream(Base64.getDecoder().decode(inline));
      String backup = str("backup");
      if (backup == null) throw new IOException("the undo record of " + path + " holds neither its content nor a backup");
      try {
        return Files.newInputStream(Path.of(backup));
      } catch (NoSuchFileException e) {
        throw new IOException("the backup of " + path + " is missing (" + backup + "); its original content cannot be restored");
      }
    }
  }

  private static InputStream original(byte[] inline, Path backup) throws IOException {
    return inline != null ? new ByteArrayInputStream(inline) : Files.newInputStream(backup);
  }

  // ------------------------------------------------------------ corruption

  /**
   * {@code in} with {@code length} bytes from {@code offset} changed. Each byte is XORed with a value
   * from 1 to 255 drawn from {@code seed}, so every byte in the range really changes and the same
   * seed on the same file always gives the same result.
   */
  static InputStream corrupted(InputStream in, long offset, int length, long seed) {
    Random rnd = new Random(seed);
    rnd.nextLong(); // the draw that chose the offset
    byte[] mask = new byte[length];
    for (int i = 0; i < length; i++) mask[i] = (byte) (1 + rnd.nextInt(255));
    return new InputStream() {
      private long pos;

      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b < 0) return b;
        b = patch(b, pos++);
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        for (int i = 0; i < n; i++) buf[off + i] = (byte) patch(buf[off + i] & 0xff, pos + i);
        if (n > 0) pos += n;
        return n;
      }

      private int patch(int b, long at) {
        long i = at - offset;
        return i >= 0 && i < length ? (b ^ (mask[(int) i] & 0xff)) & 0xff : b;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  // ------------------------------------------------------------ helpers

  static PosixFileAttributes posix(Path path) throws IOException {
    try {
      return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      throw new HostError("file faults need a file system with POSIX permissions; " + path + " is not on one");
    }
  }

  /** {@code rw-r--r--} as {@code "644"}. */
  static String octal(Set<PosixFilePermission> perms) {
    int bits = 0;
    for (PosixFilePermission p : perms) bits |= 1 << (8 - p.ordinal());
    return String.format("%03o", bits);
  }

  /** {@code "644"} (or {@code "0644"}) as {@code rw-r--r--}; IllegalArgumentException otherwise. */
  static String rwx(String octal) {
    String s = octal.length() == 4 && octal.charAt(0) == '0' ? octal.substring(1) : octal;
    if (!s.matches("[0-7]{3}")) throw new IllegalArgumentException("not a mode: " + octal);
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      int d = c - '0';
      b.append((d & 4) != 0 ? 'r' : '-').append((d & 2) != 0 ? 'w' : '-').append((d & 1) != 0 ? 'x' : '-');
    }
    return b.toString();
  }

  static Set<PosixFilePermission> mode(String octal) {
    return PosixFilePermissions.fromString(rwx(octal));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void digest(MessageDigest md, InputStream in) throws IOException {
    try (in) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static String token() {
    return Long.toHexString(TOKENS.nextLong() & Long.MAX_VALUE);
  }

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) return "no such file";
    if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
