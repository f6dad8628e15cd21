package dev.faultline.repl;

import dev.faultline.eval.Environment;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Signature;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion at the prompt: commands and keywords, names in scope and host functions at the
 * start of a name; the members of a value after a dot ({@code link.} lists the faults a proxy
 * offers, {@code http.} the functions of a namespace); inside the parentheses of a call, the
 * call's named parameters ({@code link.latency(} offers {@code delay:} and {@code jitter:}).
 * Nothing is evaluated: see {@link Names}.
 */
final class Completion implements Completer {
  static final List<String> KEYWORDS = List.of("let", "if", "else", "for", "in", "repeat", "decide", "when", "wait",
      "expect", "record", "log", "abort", "revert", "rollback", "inject", "await", "within", "every", "measure", "fn",
      "guard", "scenario", "step", "true", "false", "null", "and", "or", "not", "return");

  private final HostRegistry registry;
  private volatile Environment env;

  Completion(HostRegistry registry, Environment env) {
    this.registry = registry;
    this.env = env == null ? new Environment(null) : env;
  }

  /** The session's names, once its run has started. */
  void environment(Environment names) {
    this.env = names;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    String word = line.word().substring(0, line.wordCursor());
    String before = line.line().substring(0, Math.max(0, line.cursor() - word.length()));
    candidates.addAll(candidates(before, word));
  }

  /** The candidates for {@code word}, typed after {@code before}. */
  List<Candidate> candidates(String before, String word) {
    Environment env = this.env;
    Names names = new Names(registry, env);
    List<Candidate> out = new java.util.ArrayList<>();
    int dot = word.lastIndexOf('.');
    if (dot >= 0) {
      String path = word.substring(0, dot);
      Optional<Object> value = names.value(path);
      if (value.isEmpty()) return out;
      names.members(value.get()).forEach((name, sig) -> out.add(member(path + "." + name, name, sig)));
      return out;
    }
    Optional<String> callee = openCall(before);
    if (callee.isPresent()) {
      Optional<Signature> sig = names.signature(callee.get());
      sig.ifPresent(s -> {
        for (Signature.Parameter p : s.params()) {
          out.add(new Candidate(p.name() + ": ", p.name() + ":", "parameters", p.doc(), null, null, false));
        }
      });
      // Right after '(' or ',' the parameters are what is wanted; names come back once a letter is typed.
      if (sig.isPresent() && word.isEmpty()) return out;
    }
    if (before.isBlank()) {
      for (String c : Command.WORDS) out.add(new Candidate(c, c, "commands", null, null, null, true));
    }
    for (String k : KEYWORDS) out.add(new Candidate(k, k, "keywords", null, null, null, true));
    Set<String> scope = new TreeSet<>(env.names());
    for (String n : scope) out.add(new Candidate(n, n, "names", null, null, null, true));
    for (String n : registry.globalNames()) {
      if (scope.contains(n)) continue;
      Optional<Signature> sig = registry.function(n).map(HostRegistry.Bound::signature);
      if (sig.isPresent()) out.add(member(n, n, sig));
      else out.add(new Candidate(n + ".", n, "functions", null, null, null, false));
    }
    return out;
  }

  private static Candidate member(String value, String display, Optional<Signature> sig) {
    if (sig.isEmpty()) return new Candidate(value, display, "members", null, null, null, true);
    Signature s = sig.get();
    boolean call = !s.params().isEmpty() || s.isInjector();
    String group = s.isInjector() ? "injectors" : "functions";
    String about = s.params().isEmpty() ? brief(s.doc()) : s.synopsis();
    return new Candidate(call ? value + "(" : value, display, group, about, null, null, !call);
  }

  /** The first sentence of a documentation text, at most 60 characters. */
  private static String brief(String doc) {
    int dot = doc.indexOf(". ");
    String first = dot < 0 ? doc : doc.substring(0, dot + 1);
    return first.length() <= 60 ? first : first.substring(0, 59) + "…";
  }

  /** The callee of the innermost call still open before the cursor: {@code link.latency} in {@code inject link.latency(200ms, }. */
  static Optional<String> openCall(String before) {
    int depth = 0;
    for (int i = before.length() - 1; i >= 0; i--) {
      char c = before.charAt(i);
      if (c == ')') depth++;
      else if (c == '(') {
        if (depth == 0) {
          int end = i;
          int start = end;
          while (start > 0 && InputParser.isWordChar(before.charAt(start - 1))) start--;
          return start < end ? Optional.of(before.substring(start, end)) : Optional.empty();
        }
        depth--;
      }
    }
    return Optional.empty();
  }
}
