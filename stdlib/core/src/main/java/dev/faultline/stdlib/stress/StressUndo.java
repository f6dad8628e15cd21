package dev.faultline.stdlib.stress;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The reverts of stress faults, from their undo records alone, so that the faults' own revert and
 * {@link StressRecoverer} run the same code.
 *
 * <p>Records: {@code version}, {@code kind} ({@code stress.cpu}, {@code stress.memory},
 * {@code stress.disk}), {@code engine} ({@code stress-ng} or {@code builtin}), {@code bound_ms};
 * CPU and memory add {@code tag} (the {@code FAULTLINE_STRESS} value in their workers' environment)
 * and {@code workers} or {@code bytes}; disk adds {@code path} (the fill file), {@code bytes} and
 * {@code made_dirs} (directories created for it, deepest first, removed when empty). Stateless.
 */
final class StressUndo {
  static final Duration GRACE = Duration.ofSeconds(2);

  private StressUndo() {}

  static void revert(Map<String, Object> record, Consumer<String> note) throws IOException {
    String kind = String.valueOf(record.get("kind"));
    if (kind.equals("stress.disk")) {
      removeFill(record, note);
      return;
    }
    Object tag = record.get("tag");
    if (!(tag instanceof String t) || t.isEmpty()) throw new IllegalArgumentException("a stress record without a tag: " + record.keySet());
    int ended = Tagged.end(t, GRACE);
    if (ended > 0) note.accept("ended " + ended + " stress process" + (ended == 1 ? "" : "es"));
  }

  private static void removeFill(Map<String, Object> record, Consumer<String> note) throws IOException {
    Path path = Path.of(String.valueOf(record.get("path")));
    if (Files.deleteIfExists(path)) note.accept("removed " + path);
    if (record.get("made_dirs") instanceof List<?> dirs) {
      for (Object d : dirs) {
        try {
          Files.deleteIfExists(Path.of(String.valueOf(d)));
        } catch (DirectoryNotEmptyException e) {
          // something else was put there meanwhile: not ours to remove
        }
      }
    }
  }
}
