package dev.faultline.cli;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Stmt;
import dev.faultline.ast.TypeName;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.Preflight;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline list FILE}: what a playbook offers, to choose {@code --scenario}, {@code --tags},
 * {@code -p} and {@code --env}: its scenarios with tags and steps, its params with types and
 * defaults, its profiles. Runs nothing; the file is checked first.
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = RootCommand.VersionProvider.class,
    description = "Lists a playbook's scenarios, params and profiles.",
    footer = {"", "Exit codes: 0 listed, 2 the file has problems."})
final class ListCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The playbook to list.")
  String file;

  @Mixin
  CommonOptions common = new CommonOptions();

  private final Invocation io;

  ListCommand(Invocation io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Playbooks.Loaded loaded = Playbooks.load(io, common, Playbooks.interpreter(), file, true);
    if (!loaded.ok()) return loaded.exitCode();
    LoadedPlaybook p = loaded.playbook();
    PrintStream out = io.out();
    out.println("playbook \"" + p.name() + "\" (" + p.main().file() + ")");
    p.description().ifPresent(d -> out.println("  " + d.strip().replaceAll("\\s*\n\\s*", " ")));

    List<Decl.Scenario> scenarios = p.scenarios();
    out.println("");
    out.println(count(scenarios.size(), "scenario") + (scenarios.isEmpty() ? "" : ":"));
    for (Decl.Scenario s : scenarios) {
      out.println("  " + s.id() + (s.tags().isEmpty() ? "" : "  [" + String.join(", ", s.tags()) + "]"));
      for (Stmt st : s.body().stmts()) {
        if (st instanceof Decl.Step step) {
          out.println("    step \"" + step.name() + "\"" + step.timeout().map(t -> " (timeout " + text(p, t.at()) + ")").orElse(""));
        }
      }
    }

    List<Decl.Param> params = p.params();
    out.println("");
    out.println(count(params.size(), "param") + (params.isEmpty() ? "" : ":"));
    List<String[]> rows = new ArrayList<>();
    for (Decl.Param param : params) {
      String type = Preflight.typeOf(param).map(TypeName::word).orElse("any");
      String value = param.byDefault().isEmpty() ? "required, no default"
          : "= " + (param.secret() ? "***" : text(p, param.byDefault().get().at()));
      rows.add(new String[] {param.name(), type, value + (param.secret() ? "  (secret)" : "")});
    }
    table(out, rows);

    List<Decl.Profile> profiles = p.profiles();
    out.println("");
    out.println(count(profiles.size(), "profile") + (profiles.isEmpty() ? "" : ":"));
    rows.clear();
    for (Decl.Profile profile : profiles) {
      List<String> entries = new ArrayList<>();
      for (Decl.Profile.Entry e : profile.entries()) entries.add(e.dotted() + " = " + text(p, e.value().at()));
      String flags = profile.flags().isEmpty() ? "" : "(" + String.join(", ", profile.flags()) + ")";
      rows.add(new String[] {profile.name(), flags, String.join(", ", entries)});
    }
    table(out, rows);
    out.flush();
    return 0;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Columns padded to their widest cell; the last column is not padded. */
  private static void table(PrintStream out, List<String[]> rows) {
    if (rows.isEmpty()) return;
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < columns; i++) {
        line.append(r[i]);
        if (i < columns - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** The playbook text an expression was written as, on its first line. */
  private static String text(LoadedPlaybook p, Position at) {
    SourceFile src = p.sources().get(at.file());
    if (src == null || !at.isKnown()) return "?";
    String line = src.line(at.line());
    int from = Math.min(line.length(), Math.max(0, at.column() - 1));
    int to = Math.min(line.length(), from + at.length());
    return line.substring(from, to).strip();
  }
}
