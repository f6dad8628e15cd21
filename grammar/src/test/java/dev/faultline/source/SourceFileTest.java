package dev.faultline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFileTest {

  @Test
  void linesWithoutTheirTerminators() {
    SourceFile f = new SourceFile("a.fl", "one\r\ntwo\n\nfour");
    assertEquals(4, f.lineCount());
    assertEquals("one", f.line(1));
    assertEquals("two", f.line(2));
    assertEquals("", f.line(3));
    assertEquals("four", f.line(4));
    assertEquals("", f.line(0));
    assertEquals("", f.line(5));
  }

  @Test
  void trailingNewlineMakesAnEmptyLastLine() {
    SourceFile f = new SourceFile("a.fl", "x\n");
    assertEquals(2, f.lineCount());
    assertEquals("", f.line(2));
    assertEquals(1, new SourceFile("a.fl", "").lineCount());
  }

  @Test
  void positionOfAnOffset() {
    SourceFile f = new SourceFile("a.fl", "ab\ncde\n");
    assertEquals(new Position("a.fl", 1, 1, 2), f.positionOf(0, 2));
    assertEquals(new Position("a.fl", 1, 3, 1), f.positionOf(2, 1));
    assertEquals(new Position("a.fl", 2, 1, 1), f.positionOf(3, 1));
    assertEquals(new Position("a.fl", 2, 3, 1), f.positionOf(5, 1));
    assertEquals(new Position("a.fl", 3, 1, 0), f.positionOf(7, 0));
  }

  @Test
  void positionPrintsAsFileLineColumn() {
    assertEquals("a.fl:3:7", new Position("a.fl", 3, 7, 2).toString());
    assertEquals("a.fl", new Position("a.fl", 0, 0, 0).toString());
    assertEquals(0, new Position("a.fl", 1, 1, -5).length());
    assertEquals(new Position("a.fl", 1, 2, 9), Position.of("a.fl", 1, 2).withLength(9));
  }

  @Test
  void fromBytesDecodesUtf8AndDropsTheByteOrderMark() {
    byte[] bytes = "\uFEFFlog \"µs ± 😀\"".getBytes(StandardCharsets.UTF_8);
    assertEquals("log \"µs ± 😀\"", SourceFile.fromBytes("a.fl", bytes).text());
  }

  @Test
  void fromBytesRefusesNulAndInvalidUtf8() {
    PlaybookError nul = assertThrows(PlaybookError.class, () -> SourceFile.fromBytes("a.fl", new byte[] {'x', 0}));
    assertEquals("a.fl:1:2: error: this looks like a binary file, not a playbook (NUL byte at offset 1)",
        nul.first().headline());
    PlaybookError bad = assertThrows(PlaybookError.class,
        () -> SourceFile.fromBytes("a.fl", new byte[] {'a', '\n', (byte) 0xC0, (byte) 0x80}));
    assertEquals("a.fl:2:1: error: the file is not valid UTF-8 text (byte 0xc0 at offset 2)", bad.first().headline());
    PlaybookError surrogate = assertThrows(PlaybookError.class,
        () -> SourceFile.fromBytes("a.fl", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    assertEquals("a.fl:1:1: error: the file is not valid UTF-8 text (byte 0xed at offset 0)",
        surrogate.first().headline());
  }

  @Test
  void readNamesTheFileInEveryProblem(@TempDir Path dir) throws IOException {
    assertEquals("missing.fl: error: no such file 'missing.fl'",
        assertThrows(PlaybookError.class, () -> SourceFile.read(dir.resolve("missing.fl"), "missing.fl"))
            .first().headline());
    assertEquals("d: error: 'd' is a directory, not a playbook",
        assertThrows(PlaybookError.class, () -> SourceFile.read(dir, "d")).first().headline());
    Path ok = Files.writeString(dir.resolve("ok.fl"), "let a = 1\n");
    assertEquals("let a = 1\n", SourceFile.read(ok, "ok.fl").text());
    assertEquals("ok.fl", SourceFile.read(ok, "ok.fl").name());
  }
}
