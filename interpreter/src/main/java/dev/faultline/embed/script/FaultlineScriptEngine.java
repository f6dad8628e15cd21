package dev.faultline.embed.script;

import dev.faultline.embed.Faultline;
import dev.faultline.fault.Capability;
import dev.faultline.report.EventType;
import dev.faultline.report.RunListener;
import dev.faultline.run.LoadedPlaybook;
import dev.faultline.run.RunOptions;
import dev.faultline.run.RunResult;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.DiagnosticRenderer;
import dev.faultline.source.PlaybookError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Collection;
import java.util.List;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * Faultline behind JSR-223. {@code eval} takes a whole playbook's text, runs it and returns its
 * {@link RunResult}; a failed scenario is in the result, not an exception. Bad input (a parse or
 * check error, a missing permission) is a {@link ScriptException} carrying the file, line and
 * column and the rendered message.
 *
 * <p>Bindings of the engine scope whose names are params the playbook declares become its params
 * (a {@code String} is read as on the command line, anything else taken as is); other bindings are
 * ignored. Attributes that shape the run (any scope): {@value #ALLOW} (a comma-separated string or
 * a collection of {@link Capability}), {@value #ENV}, {@value #SCENARIO}, {@value #DRY_RUN}
 * ({@code true}), {@value #INTERPRETER} (a {@link Faultline} with your own libraries; by default
 * one with the standard library). {@code log} lines and records go to the context's writer.
 *
 * <p>Thread-safe: each evaluation is its own run.
 */
public final class FaultlineScriptEngine extends AbstractScriptEngine implements Compilable {
  /** The capabilities granted, as {@code --allow} does: {@code "exec,fs"}, {@code "all"}, or a collection of {@link Capability}. */
  public static final String ALLOW = "faultline.allow";
  /** The profile to run with, as {@code --env} does. */
  public static final String ENV = "faultline.env";
  /** The one scenario to run (by id), as {@code --scenario} does; all of them when absent. */
  public static final String SCENARIO = "faultline.scenario";
  /** {@code true} (or {@code "true"}) plans the run without touching anything, as {@code --dry-run} does. */
  public static final String DRY_RUN = "faultline.dryRun";
  /** A {@link Faultline} to run with, holding your own libraries; one with the standard library when absent. */
  public static final String INTERPRETER = "faultline.interpreter";

  private final ScriptEngineFactory factory;
  private volatile Faultline standard;

  FaultlineScriptEngine(ScriptEngineFactory factory) {
    this.factory = factory;
  }

  @Override
  public Object eval(String script, ScriptContext context) throws ScriptException {
    Compiled compiled = compile(script, context);
    try {
      return compiled.eval(context);
    } finally {
      compiled.playbook.closeHooks(); // one evaluation, one run: its JavaScript hooks end with it
    }
  }

  @Override
  public Object eval(Reader reader, ScriptContext context) throws ScriptException {
    return eval(read(reader), context);
  }

  @Override
  public CompiledScript compile(String script) throws ScriptException {
    return compile(script, getContext());
  }

  @Override
  public CompiledScript compile(Reader script) throws ScriptException {
    return compile(read(script));
  }

  /** A checked playbook, run by each {@link #eval}; its hooks stay loaded for the next evaluation. */
  private final class Compiled extends CompiledScript {
    final Faultline faultline;
    final LoadedPlaybook playbook;

    Compiled(Faultline faultline, LoadedPlaybook playbook) {
      this.faultline = faultline;
      this.playbook = playbook;
    }

    @Override
    public Object eval(ScriptContext ctx) throws ScriptException {
      return run(faultline, playbook, ctx);
    }

    @Override
    public ScriptEngine getEngine() {
      return FaultlineScriptEngine.this;
    }
  }

  private Compiled compile(String script, ScriptContext context) throws ScriptException {
    Faultline faultline = interpreter(context);
    String name = fileName(context);
    LoadedPlaybook playbook;
    try {
      playbook = faultline.load(name, script);
    } catch (PlaybookError e) {
      throw scriptException(e, DiagnosticRenderer.plain(java.util.Map.of(name, new dev.faultline.source.SourceFile(name, script))));
    }
    return new Compiled(faultline, playbook);
  }

  private RunResult run(Faultline faultline, LoadedPlaybook playbook, ScriptContext context) throws ScriptException {
    RunOptions.Builder options = RunOptions.builder();
    Bindings engine = context.getBindings(ScriptContext.ENGINE_SCOPE);
    for (var p : playbook.params()) {
      if (engine != null && engine.containsKey(p.name())) options.param(p.name(), engine.get(p.name()));
    }
    options.allow(capabilities(context.getAttribute(ALLOW)));
    Object env = context.getAttribute(ENV);
    if (env != null) options.env(env.toString());
    Object scenario = context.getAttribute(SCENARIO);
    if (scenario != null) options.scenario(scenario.toString());
    if (Boolean.parseBoolean(String.valueOf(context.getAttribute(DRY_RUN)))) options.dryRun(true);
    PrintWriter out = new PrintWriter(context.getWriter() == null ? Writer.nullWriter() : context.getWriter(), true);
    RunListener lines = event -> {
      if (event.type() == EventType.LOG || event.type() == EventType.RECORD) out.println(event.message());
    };
    try {
      return faultline.start(playbook, options.build(), lines).execute();
    } catch (PlaybookError e) {
      throw scriptException(e, DiagnosticRenderer.plain(playbook.sources()));
    } finally {
      out.flush();
    }
  }

  private static Collection<Capability> capabilities(Object allow) throws ScriptException {
    if (allow == null) return List.of();
    if (allow instanceof Collection<?> c && c.stream().allMatch(Capability.class::isInstance)) {
      return c.stream().map(Capability.class::cast).toList();
    }
    String words = allow instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList()) : allow.toString();
    try {
      return Capability.parse(words);
    } catch (IllegalArgumentException e) {
      throw new ScriptException(ALLOW + ": " + e.getMessage());
    }
  }

  private static ScriptException scriptException(PlaybookError e, DiagnosticRenderer renderer) {
    Diagnostic first = e.first();
    ScriptException s = first.at().isKnown()
        ? new ScriptException(renderer.renderAll(e.diagnostics()), first.at().file(), first.at().line(), first.at().column())
        : new ScriptException(renderer.renderAll(e.diagnostics()));
    s.initCause(e);
    return s;
  }

  private Faultline interpreter(ScriptContext context) {
    if (context.getAttribute(INTERPRETER) instanceof Faultline given) return given;
    Faultline f = standard;
    if (f == null) {
      synchronized (this) {
        if (standard == null) standard = Faultline.builder().standardLibrary().build();
        f = standard;
      }
    }
    return f;
  }

  private static String fileName(ScriptContext context) {
    Object name = context.getAttribute(ScriptEngine.FILENAME);
    return name == null ? "<script>" : name.toString();
  }

  private static String read(Reader reader) {
    StringWriter w = new StringWriter();
    try {
      reader.transferTo(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  @Override
  public Bindings createBindings() {
    return new SimpleBindings();
  }

  @Override
  public ScriptEngineFactory getFactory() {
    return factory;
  }
}
