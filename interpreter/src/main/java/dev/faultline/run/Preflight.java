package dev.faultline.run;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Stmt;
import dev.faultline.ast.TypeName;
import dev.faultline.eval.Literals;
import dev.faultline.parse.PlaybookParser;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.source.SourceFile;
import dev.faultline.source.Suggest;
import dev.faultline.value.ByteSize;
import dev.faultline.value.Percent;
import dev.faultline.value.Rate;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the run's options against the playbook before anything runs, and reports every problem
 * at once: unknown {@code --scenario}, tag or {@code --env}, a {@code -p} the playbook does not
 * declare or whose value has the wrong type, a param without default that was not given, a
 * production profile chosen for a playbook without a guard. The result is the selection, the
 * profile and the typed parameter values.
 */
public final class Preflight {
  /** Where command-line problems point: there is no file line to show. */
  public static final Position COMMAND_LINE = new Position("command line", 0, 0, 0);

  /**
   * What the options resolve to. {@code params} holds given values only; defaults are evaluated later.
   *
   * @param scenarios the selected scenarios, in the playbook's order
   * @param profile the chosen profile, if the playbook has profiles
   * @param params the given params' values, converted to their types
   */
  public record Plan(List<Decl.Scenario> scenarios, Optional<Decl.Profile> profile, Map<String, Object> params) {}

  /**
   * Resolves the options against the playbook.
   *
   * @param playbook the checked playbook
   * @param options the run's options
   * @return the selection, the profile and the params
   * @throws PlaybookError with every problem at once
   */
  public static Plan resolve(LoadedPlaybook playbook, RunOptions options) {
    List<Diagnostic> problems = new ArrayList<>();
    List<Decl.Scenario> selected = select(playbook, options, problems);
    Optional<Decl.Profile> profile = profile(playbook, options, problems);
    Map<String, Object> params = params(playbook, options, problems);
    dev.faultline.guard.Limits.productionNeedsGuard(playbook.main(), profile).ifPresent(problems::add);
    if (!problems.isEmpty()) throw new PlaybookError(problems);
    return new Plan(selected, profile, params);
  }

  static List<Decl.Scenario> select(LoadedPlaybook playbook, RunOptions options, List<Diagnostic> problems) {
    List<Decl.Scenario> all = playbook.scenarios();
    List<String> ids = all.stream().map(Decl.Scenario::id).toList();
    for (String wanted : options.scenarios()) {
      if (!ids.contains(wanted)) {
        problems.add(Diagnostic.error(COMMAND_LINE, "no scenario '" + wanted + "' in " + playbook.main().file())
            .withHelp(Optional.ofNullable(Suggest.didYouMean(wanted, ids))
                .orElse(ids.isEmpty() ? "the playbook has no scenarios" : "scenarios are " + String.join(", ", ids))));
      }
    }
    Set<String> allTags = new LinkedHashSet<>();
    all.forEach(s -> allTags.addAll(s.tags()));
    for (String tag : options.tags()) {
      if (!allTags.contains(tag)) {
        problems.add(Diagnostic.error(COMMAND_LINE, "no scenario has the tag '" + tag + "'")
            .withHelp(Optional.ofNullable(Suggest.didYouMean(tag, allTags))
                .orElse(allTags.isEmpty() ? "no scenario has tags" : "tags are " + String.join(", ", allTags))));
      }
    }
    List<Decl.Scenario> out = new ArrayList<>();
    for (Decl.Scenario s : all) {
      boolean byId = options.scenarios().isEmpty() || options.scenarios().contains(s.id());
      boolean byTag = options.tags().isEmpty() || s.tags().stream().anyMatch(options.tags()::contains);
      if (byId && byTag) out.add(s);
    }
    if (out.isEmpty() && !all.isEmpty() && problems.isEmpty() && (!options.scenarios().isEmpty() || !options.tags().isEmpty())) {
      // Rationale: a selection that matches nothing would "pass" having tested nothing.
      problems.add(Diagnostic.error(COMMAND_LINE, "no scenario matches both the scenario ids and the tags given")
          .withHelp("scenario ids and tags must both match; drop one of them"));
    }
    return out;
  }

  static Optional<Decl.Profile> profile(LoadedPlaybook playbook, RunOptions options, List<Diagnostic> problems) {
    List<Decl.Profile> profiles = playbook.profiles();
    List<String> names = profiles.stream().map(Decl.Profile::name).toList();
    if (options.env().isPresent()) {
      String env = options.env().get();
      Optional<Decl.Profile> p = profiles.stream().filter(x -> x.name().equals(env)).findFirst();
      if (p.isEmpty()) {
        problems.add(Diagnostic.error(COMMAND_LINE, "no profile '" + env + "' in " + playbook.main().file())
            .withHelp(Optional.ofNullable(Suggest.didYouMean(env, names))
                .orElse(names.isEmpty() ? "the playbook declares no profiles; drop --env" : "profiles are " + String.join(", ", names))));
      }
      return p;
    }
    if (profiles.isEmpty()) return Optional.empty();
    Optional<Decl.Profile> byDefault = profiles.stream().filter(Decl.Profile::isDefault).findFirst();
    if (byDefault.isEmpty()) {
      // Rationale: running with no profile would silently use no SLO at all; make the choice explicit.
      problems.add(Diagnostic.error(COMMAND_LINE, "this playbook has profiles (" + String.join(", ", names) + "); choose one with --env")
          .withHelp("or mark one as the default: 'profile " + names.get(0) + " default { … }'"));
    }
    return byDefault;
  }

  static Map<String, Object> params(LoadedPlaybook playbook, RunOptions options, List<Diagnostic> problems) {
    Map<String, Decl.Param> declared = new LinkedHashMap<>();
    for (Decl.Param p : playbook.params()) declared.put(p.name(), p);
    Map<String, Object> values = new LinkedHashMap<>();
    for (var e : options.params().entrySet()) {
      Decl.Param p = declared.get(e.getKey());
      if (p == null) {
        problems.add(Diagnostic.error(COMMAND_LINE, "the playbook has no param '" + e.getKey() + "'")
            .withHelp(Optional.ofNullable(Suggest.didYouMean(e.getKey(), declared.keySet()))
                .orElse(declared.isEmpty() ? "it declares no params" : "params are " + String.join(", ", declared.keySet()))));
        continue;
      }
      Optional<TypeName> type = typeOf(p);
      try {
        values.put(p.name(), e.getValue() instanceof String s ? parse(p, type, s) : checkType(p, type, e.getValue()));
      } catch (PlaybookError err) {
        problems.addAll(err.diagnostics());
        values.put(p.name(), null); // given, if wrongly: do not also report it as missing
      }
    }
    for (Decl.Param p : declared.values()) {
      if (p.byDefault().isEmpty() && !values.containsKey(p.name())) {
        problems.add(Diagnostic.error(COMMAND_LINE, "param '" + p.name() + "' has no default and was not given")
            .withHelp("pass -p " + p.name() + "=" + example(typeOf(p).orElse(TypeName.STRING))));
      }
    }
    return values;
  }

  /**
   * {@return a param's declared type, or the one its constant default implies}
   *
   * @param p the param's declaration
   */
  public static Optional<TypeName> typeOf(Decl.Param p) {
    if (p.type().isPresent()) return p.type();
    return p.byDefault().flatMap(Literals::constant).map(Literals::unwrap).flatMap(Preflight::typeOfValue);
  }

  static Optional<TypeName> typeOfValue(Object v) {
    if (v instanceof String) return Optional.of(TypeName.STRING);
    if (v instanceof Long) return Optional.of(TypeName.INT);
    if (v instanceof Double) return Optional.of(TypeName.NUMBER);
    if (v instanceof Boolean) return Optional.of(TypeName.BOOL);
    if (v instanceof Duration) return Optional.of(TypeName.DURATION);
    if (v instanceof Percent) return Optional.of(TypeName.PERCENT);
    if (v instanceof ByteSize) return Optional.of(TypeName.SIZE);
    if (v instanceof Rate) return Optional.of(TypeName.RATE);
    if (v instanceof Severity) return Optional.of(TypeName.SEVERITY);
    if (v instanceof List) return Optional.of(TypeName.LIST);
    if (v instanceof Map) return Optional.of(TypeName.MAP);
    return Optional.empty();
  }

  private static Object parse(Decl.Param p, Optional<TypeName> type, String text) {
    if (type.isEmpty() || type.get() == TypeName.STRING) return text;
    Object value;
    try {
      var unit = new PlaybookParser().parseStatements(new SourceFile("-p " + p.name(), text));
      value = unit.body().size() == 1 && unit.body().get(0) instanceof Stmt.ExprStmt e
          ? Literals.constant(e.expr()).map(Literals::unwrap).orElse(null) : null;
    } catch (PlaybookError e) {
      value = null;
    }
    if (value == null) {
      throw new PlaybookError(Diagnostic.error(COMMAND_LINE,
          "-p " + p.name() + "=" + text + ": '" + text + "' is not " + article(type.get()))
          .withNote("param '" + p.name() + "' is declared at " + p.at())
          .withHelp("write e.g. -p " + p.name() + "=" + example(type.get())));
    }
    return checkType(p, type, value);
  }

  private static Object checkType(Decl.Param p, Optional<TypeName> type, Object value) {
    if (type.isEmpty()) return value;
    TypeName t = type.get();
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) value = ((Number) value).longValue();
    if (value instanceof Float f) value = f.doubleValue();
    if (t == TypeName.NUMBER && value instanceof Long l) return l.doubleValue();
    Optional<TypeName> actual = typeOfValue(value);
    if (actual.isPresent() && actual.get() == t) return value;
    throw new PlaybookError(Diagnostic.error(COMMAND_LINE,
        "param '" + p.name() + "' is " + article(t) + ", got " + Values.typeOf(value) + " (" + Values.showNested(value) + ")")
        .withNote("param '" + p.name() + "' is declared at " + p.at())
        .withHelp("write e.g. -p " + p.name() + "=" + example(t)));
  }

  static String article(TypeName t) {
    return switch (t) {
      case INT -> "an int";
      case DURATION -> "a duration";
      case PERCENT -> "a percentage";
      default -> "a " + t.word();
    };
  }

  static String example(TypeName t) {
    return switch (t) {
      case STRING -> "text";
      case INT -> "5";
      case NUMBER -> "2.5";
      case BOOL -> "true";
      case DURATION -> "500ms";
      case PERCENT -> "30%";
      case SIZE -> "256MB";
      case RATE -> "50/s";
      case SEVERITY -> "P2";
      case LIST -> "[1,2]";
      case MAP -> "{a:1}";
    };
  }
}
