package dev.faultline.source;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link Diagnostic}s into text for a person. The headline stands alone; then the source line
 * in a gutter wide enough for the line number, a caret run under the marked characters with the
 * label, notes and help. Tabs echo as one space so carets line up. Colour only when asked.
 */
public final class DiagnosticRenderer {
  /** Where each file's text can be found, to quote the line a diagnostic points at. */
  private final Map<String, SourceFile> sources;
  private final boolean shortForm;
  private final boolean colour;

  public DiagnosticRenderer(Map<String, SourceFile> sources, boolean shortForm, boolean colour) {
    this.sources = Map.copyOf(sources);
    this.shortForm = shortForm;
    this.colour = colour;
  }

  public static DiagnosticRenderer plain(Map<String, SourceFile> sources) {
    return new DiagnosticRenderer(sources, false, false);
  }

  public String render(Diagnostic d) {
    StringBuilder out = new StringBuilder();
    String word = d.severity().word();
    String coloured = colour ? (d.isError() ? "\u001b[1;31m" : "\u001b[1;33m") + word + "\u001b[0m" : word;
    out.append(d.at()).append(": ").append(coloured).append(": ").append(d.message()).append('\n');
    if (shortForm) return out.toString();
    SourceFile src = sources.get(d.at().file());
    if (src != null && d.at().isKnown() && d.at().line() <= src.lineCount()) {
      String lineNo = Integer.toString(d.at().line());
      String pad = " ".repeat(lineNo.length());
      String text = src.line(d.at().line()).replace('\t', ' ');
      out.append(pad).append(" |\n");
      out.append(lineNo).append(" | ").append(text).append('\n');
      int col = Math.max(1, d.at().column());
      int lineLength = text.codePointCount(0, text.length()); // columns count code points
      int len = Math.max(1, Math.min(d.at().length(), lineLength - col + 1));
      out.append(pad).append(" | ").append(" ".repeat(col - 1)).append("^".repeat(len));
      d.label().ifPresent(l -> out.append(' ').append(l));
      out.append('\n');
      for (String note : d.notes()) out.append(pad).append(" = note: ").append(note).append('\n');
      d.help().ifPresent(h -> out.append(pad).append(" = help: ").append(h).append('\n'));
    } else {
      for (String note : d.notes()) out.append("  = note: ").append(note).append('\n');
      d.help().ifPresent(h -> out.append("  = help: ").append(h).append('\n'));
    }
    return out.toString();
  }

  /** Renders all, sorted by file and position, each separated by a blank line in long form. */
  public String renderAll(List<Diagnostic> diagnostics) {
    StringBuilder out = new StringBuilder();
    List<Diagnostic> sorted = diagnostics.stream().sorted(ORDER).toList();
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0 && !shortForm) out.append('\n');
      out.append(render(sorted.get(i)));
    }
    return out.toString();
  }

  public static final Comparator<Diagnostic> ORDER = Comparator
      .comparing((Diagnostic d) -> d.at().file())
      .thenComparingInt(d -> d.at().line())
      .thenComparingInt(d -> d.at().column());
}
