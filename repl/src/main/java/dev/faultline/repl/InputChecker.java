package dev.faultline.repl;

import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.check.Checker;
import dev.faultline.host.HostRegistry;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.SourceFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what is typed at the prompt as the checker checks a playbook, before anything runs: the
 * input is checked as if it followed the playbook's top level and every statement that already ran
 * in the session, so that names, calls, arguments and units are known. Only the problems in the new
 * input are reported.
 *
 * <p>Rationale: a statement joins the context only once it has run without error, so that a
 * {@code let} whose value failed can be typed again. A {@code let} of a name that is already defined
 * is refused as in a playbook; {@code name = …} changes it.
 */
final class InputChecker {
  private final Checker checker;
  private final LoadedPlaybook playbook;
  private final List<Stmt> ran = new ArrayList<>();
  private final Map<String, SourceFile> inputs = new HashMap<>();

  InputChecker(HostRegistry registry, LoadedPlaybook playbook) {
    this.checker = new Checker(registry);
    this.playbook = playbook;
  }

  /** Every file the session knows, to quote lines in messages: the playbook's and each input's. */
  synchronized Map<String, SourceFile> sources() {
    Map<String, SourceFile> all = new HashMap<>(playbook.sources());
    all.putAll(inputs);
    return all;
  }

  synchronized void remember(SourceFile input) {
    inputs.put(input.name(), input);
  }

  /** The problems (errors and warnings) of {@code stmts}, parsed from {@code input}, in the session's context. */
  List<Diagnostic> check(SourceFile input, List<Stmt> stmts) {
    Playbook main = playbook.main();
    List<Stmt> body;
    synchronized (this) {
      body = new ArrayList<>(main.body().size() + ran.size() + stmts.size());
      body.addAll(main.body());
      body.addAll(ran);
    }
    body.addAll(stmts);
    Map<String, SourceFile> sources = sources();
    sources.put(input.name(), input);
    LoadedPlaybook context = new LoadedPlaybook(new Playbook(main.at(), main.file(), main.name(), body), playbook.imports(), sources);
    return checker.check(context).stream().filter(d -> d.at().file().equals(input.name())).toList();
  }

  /** A statement that ran without error: later inputs may use what it defined. */
  synchronized void ran(Stmt stmt) {
    ran.add(stmt);
  }
}
