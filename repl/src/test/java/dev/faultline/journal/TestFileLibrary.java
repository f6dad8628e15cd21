package dev.faultline.journal;

import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Injector;
import dev.faultline.host.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test-only file fault and its recoverer, so that the journal's tests do not depend on the standard
 * library's file injectors: {@code testfile.replace(path, text)} replaces a file's content (atomically,
 * by rename) and restores it byte for byte. Registered for ServiceLoader in the test resources.
 */
public final class TestFileLibrary implements Library {
  public static final String KIND = "test.file.replace";

  @Injector(name = "testfile.replace", doc = "Replaces a file's content with `text`; the original is restored on revert.")
  public Fault replace(
      @Arg(name = "path", doc = "the file") String path,
      @Arg(name = "text", doc = "the new content") String text,
      @Arg(name = "fail_after", doc = "throw after the content was replaced (an ambiguous failure)", byDefault = "false") boolean failAfter,
      @Arg(name = "delay", doc = "wait this long after replacing, inside inject", byDefault = "0ms") Duration delay) {
    return new FileFault(Path.of(path), text.getBytes(java.nio.charset.StandardCharsets.UTF_8), failAfter, delay);
  }

  /** Replaces a file's bytes; the original is read once, before the first inject. */
  static final class FileFault implements Fault {
    private final Path path;
    private final byte[] text;
    private final boolean failAfter;
    private final Duration delay;
    private byte[] original;

    FileFault(Path path, byte[] text, boolean failAfter, Duration delay) {
      this.path = path;
      this.text = text;
      this.failAfter = failAfter;
      this.delay = delay;
    }

    private synchronized byte[] original() throws IOException {
      if (original == null) original = Files.readAllBytes(path);
      return original;
    }

    @Override
    public String describe() {
      return "replace " + path.getFileName() + " with " + text.length + " bytes";
    }

    @Override
    public String target() {
      return path.toString();
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> undoRecord() {
      try {
        byte[] o = original();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path.toString());
        m.put("original", Base64.getEncoder().encodeToString(o));
        m.put("original_sha256", sha256(o));
        m.put("injected_sha256", sha256(text));
        return m;
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void inject(CallContext context) throws IOException {
      original();
      writeAtomically(path, text);
      if (!delay.isZero()) context.sleep(delay);
      if (failAfter) throw new IOException("simulated: the file was replaced, then the call failed");
    }

    @Override
    public void revert(CallContext context) throws IOException {
      byte[] o = original();
      if (!Arrays.equals(Files.readAllBytes(path), o)) writeAtomically(path, o);
    }
  }

  /** Restores the original when the file holds the injected content; leaves a file someone else changed alone. */
  public static final class Recoverer implements FaultRecoverer {
    @Override
    public Set<String> kinds() {
      return Set.of(KIND);
    }

    @Override
    public void revert(String kind, Map<String, Object> undo) throws Exception {
      Path path = Path.of((String) undo.get("path"));
      byte[] original = Base64.getDecoder().decode((String) undo.get("original"));
      if (!sha256(original).equals(undo.get("original_sha256"))) throw new IOException("the record's original content is damaged");
      String now = sha256(Files.readAllBytes(path));
      if (now.equals(undo.get("original_sha256"))) return;
      if (!now.equals(undo.get("injected_sha256"))) {
        throw new TargetChanged(path + " holds neither the injected nor the original content: someone changed it");
      }
      writeAtomically(path, original);
    }
  }

  static void writeAtomically(Path path, byte[] bytes) throws IOException {
    Path tmp = path.resolveSibling("." + path.getFileName() + "." + ThreadLocalRandom.current().nextInt(1 << 30) + ".tfl-tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
