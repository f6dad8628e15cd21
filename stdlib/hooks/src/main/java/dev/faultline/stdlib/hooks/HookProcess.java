package dev.faultline.stdlib.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.ast.Decl;
import dev.faultline.eval.Aborted;
import dev.faultline.hook.HookSource;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Interrupted;
import dev.faultline.host.Signature;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child process of an isolated hook ({@link IsolatedHook}): loads one hook in a sandboxed
 * context of its own JVM and serves calls, one JSON object per line on stdin and stdout. It ends
 * when stdin closes (its parent is gone) or when it is killed. Values cross as journal records do
 * ({@link JsValues#toRecord}). Single-threaded: one request at a time.
 *
 * <p>Messages: the first line is the hook ({@code name, file, text, first_line, first_column});
 * the answer is {@code {functions: […]}} or {@code {error, line, column}}. Then each request
 * {@code {id, op, fn, args, fault, record, params, recorded}} with {@code op} one of probe,
 * inject, revert, plan, recover gets log lines {@code {log}} and one answer {@code {id, ok}} or
 * {@code {id, error, help, kind}} ({@code kind}: host, aborted, interrupted).
 */
public final class HookProcess {
  private HookProcess() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));  // nothing but the protocol on stdout
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String first = in.readLine();
    if (first == null) return;
    @SuppressWarnings("unchecked")
    Map<String, Object> h = JSON.readValue(first, Map.class);
    String name = (String) h.get("name");
    String file = (String) h.getOrDefault("file", "");
    Decl.Hook decl = new Decl.Hook(Position.NONE, "", name, file.isEmpty(), Position.NONE);
    HookSource source = new HookSource(decl, name, file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file)),
        (String) h.get("text"), ((Number) h.get("first_line")).intValue(), ((Number) h.get("first_column")).intValue(), false);
    JsHook hook;
    try {
      hook = JsHook.load(source, HookLimits.DEFAULT);
    } catch (PlaybookError e) {
      Diagnostic d = e.diagnostics().get(0);
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("error", d.message());
      err.put("help", d.help());
      err.put("line", d.at().line());
      err.put("column", d.at().column());
      err.put("file", d.at().file());
      out.println(JSON.writeValueAsString(err));
      return;
    }
    List<Map<String, Object>> functions = new ArrayList<>();
    for (HostRegistry.Bound b : hook.functions()) functions.add(describe(b.signature(), ((HookFunction) b.receiver()).time()));
    out.println(JSON.writeValueAsString(Map.of("functions", functions)));

    Map<Long, HookFault> faults = new HashMap<>();
    String line;
    while ((line = in.readLine()) != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> req = JSON.readValue(line, Map.class);
      Object id = req.get("id");
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("id", id);
      try {
        answer.put("ok", serve(hook, faults, req, out));
      } catch (Aborted e) {
        answer.put("error", e.getMessage());
        answer.put("kind", "aborted");
      } catch (Interrupted e) {
        answer.put("error", e.getMessage());
        answer.put("kind", "interrupted");
      } catch (HostError e) {
        answer.put("error", e.getMessage());
        answer.put("help", e.help());
        answer.put("kind", "host");
      } catch (RuntimeException e) {
        answer.put("error", String.valueOf(e));
        answer.put("kind", "host");
      }
      out.println(JSON.writeValueAsString(answer));
    }
    System.exit(0);
  }

  private static Map<String, Object> describe(Signature s, Duration time) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("doc", s.doc());
    m.put("injector", s.isInjector());
    m.put("returns", s.isInjector() ? "any" : word(s.returnType()));
    m.put("timeout_ms", time.toMillis());
    List<Map<String, Object>> params = new ArrayList<>();
    for (Signature.Parameter p : s.params()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.name());
      pm.put("type", word(p.type()));
      if (!p.isRequired()) pm.put("default", p.defaultText());
      params.add(pm);
    }
    m.put("params", params);
    return m;
  }

  static String word(Class<?> type) {
    for (var e : JsValues.TYPES.entrySet()) if (e.getValue() == type) return e.getKey();
    return "any";
  }

  @SuppressWarnings("unchecked")
  private static Object serve(JsHook hook, Map<Long, HookFault> faults, Map<String, Object> req, PrintStream out) {
    String op = (String) req.get("op");
    String fn = (String) req.get("fn");
    CallContext ctx = new ChildContext(out, (Map<String, Object>) req.getOrDefault("params", Map.of()),
        (Map<String, Object>) req.getOrDefault("recorded", Map.of()));
    switch (op) {
      case "probe", "inject", "plan" -> {
        HookFunction f = hook.function(fn);
        if (f == null) throw new HostError("hook " + hook.name() + " has no function '" + fn + "'");
        Map<String, Object> named = (Map<String, Object>) JsValues.fromRecord(req.getOrDefault("args", Map.of()));
        List<Object> args = new ArrayList<>();
        for (Signature.Parameter p : f.signature().params()) args.add(named.get(p.name()));
        if (op.equals("probe")) return JsValues.toRecord(f.invoke(args, ctx));
        HookFault fault = (HookFault) f.invoke(args, ctx);
        if (op.equals("plan")) return fault.plan();
        long id = ((Number) req.get("fault")).longValue();
        faults.put(id, fault);
        fault.inject(ctx);
        return null;
      }
      case "revert" -> {
        HookFault fault = faults.get(((Number) req.get("fault")).longValue());
        if (fault == null) return false;  // not injected by this process: the parent recovers it
        try {
          fault.revert(ctx);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new HostError(String.valueOf(e.getMessage()), null, e);
        }
        return true;
      }
      case "recover" -> {
        Map<String, Object> record = (Map<String, Object>) JsValues.fromRecord(req.get("record"));
        return HookFault.recoverIn(hook, fn, record, ctx);
      }
      default -> throw new HostError("unknown request '" + op + "'");
    }
  }

  /** A call's context in the child: log lines go to the parent; params and records came with the request. */
  private record ChildContext(PrintStream out, Map<String, Object> params, Map<String, Object> recorded) implements CallContext {
    public Position at() {
      return Position.NONE;
    }

    public void sleep(Duration d) {
      try {
        Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Interrupted("interrupted");
      }
    }

    public void checkInterrupted() {
      if (Thread.currentThread().isInterrupted()) throw new Interrupted("interrupted");
    }

    public void log(String message) {
      try {
        out.println(JSON.writeValueAsString(Map.of("log", message)));
      } catch (IOException e) {
        // the parent is gone: the next read ends the process
      }
    }

    public void own(AutoCloseable resource, String description) {}

    @Override
    public Optional<dev.faultline.value.Function> function(String name) {
      throw new HostError("an isolated hook cannot call the playbook's functions ('" + name + "'): its process has no playbook",
          "pass what the hook needs as arguments, or drop 'untrusted' to run it in the run's process");
    }

    @Override
    public Map<String, Object> params() {
      return (Map<String, Object>) JsValues.fromRecord(params);
    }

    @Override
    public Map<String, Object> recorded() {
      return (Map<String, Object>) JsValues.fromRecord(recorded);
    }
  }
}
