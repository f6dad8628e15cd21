package dev.faultline.repl;

import dev.faultline.eval.Environment;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Signature;
import dev.faultline.source.Suggest;
import dev.faultline.value.Values;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code help} and {@code help NAME} print: the commands, or the documentation of a host
 * function or member ({@code help http.get}, {@code help link.latency}), or the members of a value
 * or namespace ({@code help link}, {@code help net}). Nothing is evaluated (see {@link Names}).
 */
final class Help {
  private Help() {}

  static String of(String name, HostRegistry registry, Environment env) {
    if (name == null) return Command.HELP;
    Names names = new Names(registry, env);
    Optional<Signature> sig = names.signature(name);
    if (sig.isPresent()) return Views.signature(name, sig.get());
    Optional<Object> value = names.value(name);
    if (value.isPresent()) {
      var members = names.members(value.get());
      String doc = Names.typeOf(value.get()).map(t -> t.name() + ": " + t.doc()).orElse(Values.typeOf(value.get()));
      return members.isEmpty() ? name + " = " + Values.showNested(value.get()) : Views.members(name + " - " + doc, members);
    }
    if (Command.WORDS.contains(name) || Command.WORDS.stream().anyMatch(w -> w.startsWith(name + " "))) return Command.HELP;
    Set<String> known = new TreeSet<>(registry.functions().keySet());
    known.addAll(env.names());
    String close = Suggest.didYouMean(name, known);
    return "error: nothing is called '" + name + "'" + (close != null ? "; " + close : "") + " ('help' lists the commands)";
  }
}
