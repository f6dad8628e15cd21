package dev.faultline.stdlib.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.fault.Fault;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.fault.FaultRecoverer.TargetChanged;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file injector on real files in a temporary directory: inject, revert, recover, refuse. */
class FileFaultsTest {
  private static final byte[] ORIGINAL = "service: magdb\nreplicas: 2\nport: 8080\n".getBytes(StandardCharsets.UTF_8);
  private static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07.123456789Z"));
  private static final CallContext CTX = CallContext.detached();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void writeOriginal() throws IOException {
    file = dir.resolve("app.yaml");
    Files.write(file, ORIGINAL);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(file, MTIME);
    System.setProperty(FileUndo.BACKUP_DIR_PROPERTY, dir.resolve("backups").toString());
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(FileUndo.BACKUP_DIR_PROPERTY);
  }

  /** Content, permissions and mtime, read without Faultline's code. */
  record State(boolean exists, byte[] content, String mode, FileTime mtime) {
    static State of(Path p) throws IOException {
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return new State(false, null, null, null);
      return new State(true, Files.readAllBytes(p), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
          Files.getLastModifiedTime(p));
    }

    void assertSame(State other) {
      assertEquals(exists, other.exists, "exists");
      if (!exists) return;
      assertArrayEquals(content, other.content, "content");
      assertEquals(mode, other.mode, "permissions");
      assertEquals(mtime, other.mtime, "mtime");
    }
  }

  static Stream<Arguments> injectors() {
    return Stream.of(
        Arguments.of("file.replace", (Function<FileTarget, Fault>) f -> f.replace("replicas: -1\n")),
        Arguments.of("file.append", (Function<FileTarget, Fault>) f -> f.append("replicas: -1\n")),
        Arguments.of("file.corrupt", (Function<FileTarget, Fault>) f -> f.corrupt(16, 42L)),
        Arguments.of("file.delete", (Function<FileTarget, Fault>) FileTarget::delete),
        Arguments.of("file.chmod", (Function<FileTarget, Fault>) f -> f.chmod("000")));
  }

  private FileTarget target() {
    return new FilesLibrary().file(file.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("injectors")
  void injectsThenRevertsByteForByte(String kind, Function<FileTarget, Fault> make) throws Exception {
    State before = State.of(file);
    Fault fault = make.apply(target());
    assertEquals(kind, fault.kind());
    assertEquals(file.toString(), fault.target());
    fault.inject(CTX);
    State during = State.of(file);
    switch (kind) {
      case "file.replace" -> assertEquals("replicas: -1\n", new String(during.content(), StandardCharsets.UTF_8));
      case "file.append" -> assertEquals(new String(ORIGINAL, StandardCharsets.UTF_8) + "replicas: -1\n",
          new String(during.content(), StandardCharsets.UTF_8));
      case "file.corrupt" -> assertEquals(16, differing(ORIGINAL, during.content()));
      case "file.delete" -> assertFalse(during.exists());
      case "file.chmod" -> {
        assertEquals("---------", during.mode());
        assertEquals(MTIME, during.mtime(), "chmod leaves the mtime alone");
      }
      default -> throw new IllegalStateException(kind);
    }
    if (!kind.equals("file.delete") && !kind.equals("file.chmod")) assertEquals("rw-r-----", during.mode(), "the fault keeps the mode");

    fault.inject(CTX); // injecting twice changes nothing more
    State.of(file).assertSame(during);

    fault.revert(CTX);
    before.assertSame(State.of(file));
    fault.revert(CTX); // reverting twice is harmless
    before.assertSame(State.of(file));
    assertNoStrays();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("injectors")
  void aRecovererRestoresFromTheRecordAlone(String kind, Function<FileTarget, Fault> make) throws Exception {
    State before = State.of(file);
    Fault fault = make.apply(target());
    Map<String, Object> record = throughJson(fault.undoRecord()); // as the journal would keep it, before injecting
    fault.inject(CTX);
    assertFalse(Arrays2.equal(before, State.of(file)));

    FaultRecoverer fresh = recovererFor(kind); // another process: nothing but the record
    fresh.revert(kind, record);
    before.assertSame(State.of(file));
    fresh.revert(kind, record);
    recovererFor(kind).revert(kind, record);
    before.assertSame(State.of(file));
    fault.revert(CTX); // and the interpreter's own revert, later, finds nothing to do
    before.assertSame(State.of(file));
  }

  @Test
  void theRecordHoldsWhatIsNeededToUndo() throws Exception {
    Map<String, Object> r = target().replace("x").undoRecord();
    assertEquals("file.replace", r.get("kind"));
    assertEquals(file.toString(), r.get("path"));
    assertEquals(true, r.get("existed"));
    assertEquals("640", r.get("mode"));
    assertEquals("2021-03-04T05:06:07.123456789Z", r.get("mtime"));
    assertEquals((long) ORIGINAL.length, r.get("size"));
    assertEquals(new String(ORIGINAL, StandardCharsets.UTF_8),
        new String(java.util.Base64.getDecoder().decode((String) r.get("content_base64")), StandardCharsets.UTF_8));
    assertTrue(r.containsKey("sha256") && r.containsKey("faulted_sha256"));
    assertArrayEquals(ORIGINAL, Files.readAllBytes(file), "recording changes nothing");
  }

  @Test
  void aFileThatDidNotExistIsRemovedWithTheDirectoriesCreatedForIt() throws Exception {
    Path fresh = dir.resolve("a/b/new.conf");
    Fault fault = new FilesLibrary().file(fresh.toString()).replace("x = 1\n");
    Map<String, Object> record = throughJson(fault.undoRecord());
    assertEquals(List.of(dir.resolve("a").toString(), dir.resolve("a/b").toString()), record.get("created_dirs"));
    fault.inject(CTX);
    assertEquals("x = 1\n", Files.readString(fresh));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    new FileRecoverer().revert("file.replace", record);
    assertFalse(Files.exists(dir.resolve("a")));
    fault.revert(CTX);
    assertFalse(Files.exists(dir.resolve("a")));
  }

  @Test
  void aDirectoryThatGainedOtherFilesStays() throws Exception {
    Path fresh = dir.resolve("conf.d/new.conf");
    Fault fault = new FilesLibrary().file(fresh.toString()).append("x");
    fault.inject(CTX);
    Files.writeString(dir.resolve("conf.d/other.conf"), "someone else's");
    fault.revert(CTX);
    assertFalse(Files.exists(fresh));
    assertTrue(Files.exists(dir.resolve("conf.d/other.conf")));
  }

  @Test
  void corruptIsReproducibleAndPrintsItsSeed() throws Exception {
    Path copy = dir.resolve("copy.yaml");
    Files.write(copy, ORIGINAL);
    Fault a = target().corrupt(8, 1234L);
    Fault b = new FilesLibrary().file(copy.toString()).corrupt(8, 1234L);
    a.inject(CTX);
    b.inject(CTX);
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(copy), "same seed, same file: same corruption");
    assertEquals(8, differing(ORIGINAL, Files.readAllBytes(file)));
    assertTrue(a.describe().contains("seed 1234"), a.describe());
    a.revert(CTX);
    assertArrayEquals(ORIGINAL, Files.readAllBytes(file));

    Fault chosen = target().corrupt(64, null);
    assertTrue(chosen.describe().matches(".*seed \\d+.*"), "a chosen seed is printed: " + chosen.describe());
    chosen.inject(CTX);
    assertEquals(ORIGINAL.length, differing(ORIGINAL, Files.readAllBytes(file)), "a short file is corrupted whole");
    chosen.revert(CTX);
    assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
  }

  @Test
  void largeFilesAreBackedUpBesideTheJournal() throws Exception {
    byte[] big = new byte[(int) FileUndo.INLINE_LIMIT + 4096];
    new Random(7).nextBytes(big);
    Files.write(file, big);
    Files.setLastModifiedTime(file, MTIME);
    State before = State.of(file);
    for (Function<FileTarget, Fault> make : List.<Function<FileTarget, Fault>>of(
        f -> f.replace("small"), FileTarget::delete, f -> f.corrupt(100, 9L), f -> f.append("tail"))) {
      Fault fault = make.apply(target());
      Map<String, Object> record = throughJson(fault.undoRecord());
      assertFalse(record.containsKey("content_base64"));
      Path backup = Path.of((String) record.get("backup"));
      assertTrue(backup.startsWith(dir.resolve("backups")), backup.toString());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
      fault.inject(CTX);
      assertFalse(Arrays2.equal(before, State.of(file)), fault.describe());
      new FileRecoverer().revert(fault.kind(), record);
      before.assertSame(State.of(file));
      assertFalse(Files.exists(backup), "the backup goes once the original is back");
      new FileRecoverer().revert(fault.kind(), record); // still idempotent without the backup
      before.assertSame(State.of(file));
    }
  }

  @Test
  void aMissingBackupIsAnErrorNotASilentLoss() throws Exception {
    byte[] big = new byte[(int) FileUndo.INLINE_LIMIT + 1];
    Files.write(file, big);
    Fault fault = target().delete();
    Map<String, Object> record = fault.undoRecord();
    fault.inject(CTX);
    Files.delete(Path.of((String) record.get("backup")));
    IOException e = assertThrows(IOException.class, () -> new FileRecoverer().revert("file.delete", record));
    assertTrue(e.getMessage().contains("backup"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("injectors")
  void aFileChangedBySomeoneElseIsNotClobbered(String kind, Function<FileTarget, Fault> make) throws Exception {
    Fault fault = make.apply(target());
    Map<String, Object> record = throughJson(fault.undoRecord());
    fault.inject(CTX);
    byte[] theirs = "written by the operator meanwhile\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, theirs); // also recreates a deleted file, and moves the mtime of a chmod-ed one
    HostError e = assertThrows(HostError.class, () -> fault.revert(CTX));
    assertInstanceOf(TargetChanged.class, e.getCause());
    assertTrue(e.getMessage().contains("changed by something else"), e.getMessage());
    assertArrayEquals(theirs, Files.readAllBytes(file), "left as it is");
    assertThrows(TargetChanged.class, () -> new FileRecoverer().revert(kind, record));
    assertArrayEquals(theirs, Files.readAllBytes(file));
  }

  @Test
  void aFileDeletedByTheFaultAndRecreatedWithTheOriginalIsFine() throws Exception {
    Fault fault = target().delete();
    fault.inject(CTX);
    Files.write(file, ORIGINAL); // someone put back the very same content
    fault.revert(CTX);
    assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(MTIME, Files.getLastModifiedTime(file));
  }

  @Test
  void aFileCreatedByTheFaultAndChangedMeanwhileIsNotDeleted() throws Exception {
    Path fresh = dir.resolve("created.txt");
    Fault fault = new FilesLibrary().file(fresh.toString()).replace("ours");
    fault.inject(CTX);
    Files.writeString(fresh, "theirs");
    assertThrows(HostError.class, () -> fault.revert(CTX));
    assertEquals("theirs", Files.readString(fresh));
  }

  @Test
  void whatCannotBeDoneIsRefusedBeforeTouchingAnything() {
    FileTarget missing = new FilesLibrary().file(dir.resolve("missing").toString());
    for (Fault f : List.of(missing.delete(), missing.corrupt(4, 1L), missing.chmod("000"))) {
      HostError e = assertThrows(HostError.class, f::undoRecord, f.describe());
      assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
    assertThrows(HostError.class, () -> new FilesLibrary().file(dir.toString()).replace("x").inject(CTX));
    assertThrows(HostError.class, () -> target().chmod("rwx"));
    assertThrows(HostError.class, () -> target().chmod("999"));
    assertThrows(HostError.class, () -> target().corrupt(0, 1L));
    assertThrows(HostError.class, () -> new FilesLibrary().file(" "));
  }

  @Test
  void aFaultNeverInjectedRevertsToNothing() throws Exception {
    Fault fault = target().replace("x");
    fault.revert(CTX);
    assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
  }

  @Test
  void aFileChangedBetweenRecordAndInjectIsRefused() throws Exception {
    Fault fault = target().append("x");
    fault.undoRecord();
    Files.writeString(file, "changed");
    assertThrows(HostError.class, () -> fault.inject(CTX));
    assertEquals("changed", Files.readString(file));
  }

  @Test
  void aSymbolicLinkStaysALinkAndItsFileIsFaulted() throws Exception {
    Path link = dir.resolve("current.yaml");
    Files.createSymbolicLink(link, file.getFileName());
    State before = State.of(file);
    Fault fault = new FilesLibrary().file(link.toString()).replace("via link");
    assertEquals(file.toRealPath().toString(), fault.undoRecord().get("path"));
    fault.inject(CTX);
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("via link", Files.readString(file));
    fault.revert(CTX);
    assertTrue(Files.isSymbolicLink(link));
    before.assertSame(State.of(file));
  }

  @Test
  void strayTemporaryFilesFromACrashAreRemovedOnRecover() throws Exception {
    Fault fault = target().replace("x");
    Map<String, Object> record = fault.undoRecord();
    fault.inject(CTX);
    Path stray = dir.resolve(".app.yaml.faultline-inject-" + record.get("token") + ".tmp");
    Files.writeString(stray, "half written");
    new FileRecoverer().revert("file.replace", record);
    assertFalse(Files.exists(stray));
    assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
  }

  @Test
  void theOwnerIsKeptWhenRunningAsRoot() throws Exception {
    UserPrincipal me = Files.getOwner(file);
    if (!me.getName().equals("root")) return; // only root can give a file away
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    UserPrincipal nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
    view.setOwner(nobody);
    Fault fault = target().replace("x");
    fault.inject(CTX);
    assertEquals(nobody, Files.getOwner(file), "the faulted file keeps its owner");
    fault.revert(CTX);
    assertEquals(nobody, Files.getOwner(file), "the restored file keeps its owner");
  }

  @Test
  void readersLookAtTheDisk() throws Exception {
    FileTarget f = target();
    assertTrue(f.exists());
    assertEquals(new String(ORIGINAL, StandardCharsets.UTF_8), f.content());
    assertEquals(ORIGINAL.length, f.size().bytes());
    assertEquals("640", f.mode());
    assertEquals(file.toString(), f.pathName());
    FileTarget missing = new FilesLibrary().file(dir.resolve("nope").toString());
    assertFalse(missing.exists());
    HostError e = assertThrows(HostError.class, missing::content);
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void theRecoverersAreRegistered() {
    List<String> kinds = ServiceLoader.load(FaultRecoverer.class).stream()
        .flatMap(p -> p.get().kinds().stream()).sorted().toList();
    assertTrue(kinds.containsAll(List.of("file.append", "file.chmod", "file.corrupt", "file.delete", "file.replace")), kinds.toString());
  }

  // ------------------------------------------------------------ helpers

  private static FaultRecoverer recovererFor(String kind) {
    return ServiceLoader.load(FaultRecoverer.class).stream().map(ServiceLoader.Provider::get)
        .filter(r -> r.kinds().contains(kind)).findFirst().orElseThrow();
  }

  /** The record as it comes back from a JSON journal: numbers as Integer where they fit, lists as ArrayList. */
  static Map<String, Object> throughJson(Map<String, Object> record) throws IOException {
    return JSON.readValue(JSON.writeValueAsBytes(record), new TypeReference<Map<String, Object>>() {});
  }

  private static int differing(byte[] a, byte[] b) {
    assertEquals(a.length, b.length, "corruption keeps the size");
    int n = 0;
    int first = -1;
    int last = -1;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        n++;
        if (first < 0) first = i;
        last = i;
      }
    }
    assertEquals(n, n == 0 ? 0 : last - first + 1, "the changed bytes are consecutive");
    return n;
  }

  private void assertNoStrays() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.contains("faultline")).toList();
      assertEquals(List.of(), names, "temporary files left behind");
    }
  }

  /** Equality of two states, without assertions. */
  private static final class Arrays2 {
    static boolean equal(State a, State b) {
      return a.exists() == b.exists() && java.util.Arrays.equals(a.content(), b.content())
          && java.util.Objects.equals(a.mode(), b.mode()) && java.util.Objects.equals(a.mtime(), b.mtime());
    }
  }

  @Test
  void describeSaysWhatAndWhere() {
    assertEquals("delete " + file, target().delete().describe());
    assertEquals("set the permissions of " + file + " to 000", target().chmod("000").describe());
    Fault f = target().replace("x");
    assertTrue(f.plan().startsWith(f.describe()) && f.plan().contains("restored"), f.plan());
  }
}
