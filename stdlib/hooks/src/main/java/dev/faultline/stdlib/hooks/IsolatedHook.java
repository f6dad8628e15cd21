package dev.faultline.stdlib.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.eval.Aborted;
import dev.faultline.fault.Fault;
import dev.faultline.hook.HookSource;
import dev.faultline.hook.LoadedHook;
import dev.faultline.host.CallContext;
import dev.faultline.host.Conversions;
import dev.faultline.host.Effect;
import dev.faultline.host.HostError;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Interrupted;
import dev.faultline.host.Invocable;
import dev.faultline.host.Signature;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.value.Severity;
import dev.faultline.value.Values;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A hook run in a child JVM ({@link HookProcess}) that can be killed outright: {@code hook
 * untrusted "x.js"} or {@code hook isolated "x.js"}. Rationale: in-process, a hook that cannot be
 * stopped keeps a CPU until the process ends; a child process is killed, and its heap is capped
 * ({@code -Xmx}), which community GraalVM cannot do for a context.
 *
 * <p>Calls are serialized (one request at a time) and waited for at most the function's time limit
 * plus {@link #SLACK}; a child that does not answer in time is killed, and the call aborts the run
 * like a runaway in-process hook. A killed or dead child is started again for the next call; the
 * faults it held are reverted through the new child's {@code recover(record)}. Thread-safe.
 */
final class IsolatedHook implements LoadedHook {
  /** Rationale: the child enforces the limits itself; this is for a child that stopped answering at all. */
  static final Duration SLACK = Duration.ofSeconds(2);
  /** Rationale: a sandboxed hook needs little heap; the cap is the memory limit community GraalVM lacks. */
  static final String HEAP = "-Xmx256m";
  private static final Duration START_TIME = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HookSource source;
  private final List<HostRegistry.Bound> functions = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong ids = new AtomicLong();
  private Child child;
  private volatile boolean closed;

  private IsolatedHook(HookSource source) {
    this.source = source;
  }

  /** Starts the child, loads the hook there and reads what it registered. */
  static IsolatedHook load(HookSource source) {
    IsolatedHook hook = new IsolatedHook(source);
    Map<String, Object> hello;
    try {
      hook.child = Child.start(source);
      hello = hook.child.read(START_TIME, null);
    } catch (IOException | HostError e) {
      hook.close();
      throw new PlaybookError(List.of(Diagnostic.error(source.decl().at(), "hook " + source.name()
          + " did not start in its own process: " + e.getMessage())));
    }
    if (hello.containsKey("error")) {
      hook.close();
      Object line = hello.get("line");
      Position at = line instanceof Number n && n.intValue() > 0
          ? new Position(String.valueOf(hello.get("file")), n.intValue(), ((Number) hello.get("column")).intValue(), 1)
          : source.decl().sourceAt();
      Diagnostic d = Diagnostic.error(at, String.valueOf(hello.get("error")));
      if (hello.get("help") != null) d = d.withHelp(String.valueOf(hello.get("help")));
      throw new PlaybookError(List.of(d));
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> fns = (List<Map<String, Object>>) hello.get("functions");
    for (Map<String, Object> f : fns) hook.functions.add(hook.bound(f));
    return hook;
  }

  @SuppressWarnings("unchecked")
  private HostRegistry.Bound bound(Map<String, Object> f) {
    String name = (String) f.get("name");
    boolean injector = Boolean.TRUE.equals(f.get("injector"));
    List<Signature.Parameter> params = new ArrayList<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) f.get("params")) {
      String pname = (String) p.get("name");
      Class<?> type = JsValues.TYPES.getOrDefault((String) p.get("type"), Object.class);
      if (p.containsKey("default")) {
        String text = (String) p.get("default");
        Object value = HostRegistry.parseDefault(name, pname, text);
        if (value != null) value = Conversions.toJava(value, type, name, pname);
        params.add(new Signature.Parameter(pname, (String) p.get("type"), type, true, value, text));
      } else {
        params.add(new Signature.Parameter(pname, (String) p.get("type"), type, false, null, ""));
      }
    }
    Class<?> returns = injector ? Fault.class : JsValues.TYPES.getOrDefault((String) f.get("returns"), Object.class);
    Signature sig = new Signature(name, (String) f.get("doc"), injector ? Signature.Kind.INJECTOR : Signature.Kind.FUNCTION,
        params, returns, false, null, injector ? Effect.PURE : Effect.PROBE, Set.of());
    Duration time = Duration.ofMillis(((Number) f.get("timeout_ms")).longValue());
    return new HostRegistry.Bound(sig, new Function(sig, time));
  }

  /**
   * Sends one request and waits for its answer, forwarding log lines to {@code context}; kills the
   * child when it does not answer within {@code time} plus {@link #SLACK}.
   */
  Object request(Map<String, Object> req, Duration time, CallContext context, String what) {
    if (closed) throw new HostError("hook " + source.name() + " is closed, so " + what + " cannot run");
    try {
      if (!lock.tryLock(time.plus(SLACK).toNanos(), TimeUnit.NANOSECONDS)) {
        throw new HostError(what + " of hook " + source.name() + " waited too long for the hook's previous call");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted("interrupted before " + what + " of hook " + source.name());
    }
    try {
      Child c = child;
      if (c == null || !c.process.isAlive()) c = restart(context);
      long id = ids.incrementAndGet();
      req.put("id", id);
      req.put("params", JsValues.toRecord(context.params()));
      req.put("recorded", JsValues.toRecord(context.recorded()));
      Map<String, Object> answer;
      try {
        c.send(req);
        answer = c.read(time.plus(SLACK), context);
      } catch (IOException | HostError e) {
        kill();
        throw new Aborted(Severity.P1, what + " of hook " + source.name() + " (in its own process) did not answer within "
            + Values.show(time.plus(SLACK)) + "; its process was killed (" + e.getMessage() + ")", context.at());
      }
      if (answer.containsKey("error")) {
        String message = String.valueOf(answer.get("error"));
        switch (String.valueOf(answer.get("kind"))) {
          case "aborted" -> {
            kill();  // a runaway: whatever it left running in the child goes with it
            throw new Aborted(Severity.P1, message + " (its process was killed)", context.at());
          }
          case "interrupted" -> throw new Interrupted(message);
          default -> throw new HostError(message, answer.get("help") == null ? null : String.valueOf(answer.get("help")));
        }
      }
      return answer.get("ok");
    } finally {
      lock.unlock();
    }
  }

  private Child restart(CallContext context) {
    try {
      Child c = Child.start(source);
      Map<String, Object> hello = c.read(START_TIME, context);
      if (hello.containsKey("error")) throw new HostError("hook " + source.name() + " no longer loads: " + hello.get("error"));
      child = c;
      return c;
    } catch (IOException e) {
      throw new HostError("hook " + source.name() + " could not be started again: " + e.getMessage());
    }
  }

  private void kill() {
    Child c = child;
    child = null;
    if (c != null) c.process.destroyForcibly();
  }

  /** Whether the child that injected {@code generation}'s faults still runs. */
  boolean holds(Child generation) {
    Child c = child;
    return c != null && c == generation && c.process.isAlive();
  }

  Child current() {
    return child;
  }

  HookSource source() {
    return source;
  }

  @Override
  public String name() {
    return source.name();
  }

  @Override
  public List<HostRegistry.Bound> functions() {
    return List.copyOf(functions);
  }

  @Override
  public void close() {
    closed = true;
    Child c = child;
    child = null;
    if (c != null) c.close();
  }

  /** A probe or injector of the isolated hook, as the playbook calls it. */
  final class Function implements Invocable {
    private final Signature signature;
    private final Duration time;

    Function(Signature signature, Duration time) {
      this.signature = signature;
      this.time = time;
    }

    @Override
    public Object invoke(List<Object> args, CallContext context) {
      Map<String, Object> named = new LinkedHashMap<>();
      for (int i = 0; i < signature.params().size(); i++) named.put(signature.params().get(i).name(), args.get(i));
      if (signature.isInjector()) return new IsolatedFault(IsolatedHook.this, signature.name(), named, time);
      Map<String, Object> req = new LinkedHashMap<>();
      req.put("op", "probe");
      req.put("fn", signature.name());
      req.put("args", JsValues.toRecord(named));
      Object result = JsValues.fromRecord(request(req, time, context, "probe '" + signature.name() + "'"));
      if (signature.returnType() == Object.class || result == null) return result;
      return Conversions.toJava(result, signature.returnType(), signature.name(), "result");
    }
  }

  /** The child JVM and its pipes. */
  static final class Child {
    final Process process;
    private final Writer to;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Child(Process process) {
      this.process = process;
      this.to = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) lines.add(line);
        } catch (IOException ignored) {
          // the child ended
        }
        lines.add("");  // end of the child's output
      }, "faultline-hook-child-reader");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(HookSource source) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = List.of(java, HEAP, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
          "-cp", System.getProperty("java.class.path"), HookProcess.class.getName());
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Child c = new Child(p);
      Map<String, Object> hook = new LinkedHashMap<>();
      hook.put("name", source.name());
      hook.put("file", source.file().map(Path::toString).orElse(""));
      hook.put("text", source.text());
      hook.put("first_line", source.firstLine());
      hook.put("first_column", source.firstColumn());
      c.send(hook);
      return c;
    }

    synchronized void send(Map<String, Object> message) throws IOException {
      to.write(JSON.writeValueAsString(message));
      to.write('\n');
      to.flush();
    }

    /** The next answer, forwarding log lines; HostError when none comes in time or the child ended. */
    @SuppressWarnings("unchecked")
    Map<String, Object> read(Duration time, CallContext context) throws IOException {
      long deadline = System.nanoTime() + time.toNanos();
      while (true) {
        String line;
        try {
          line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the hook's process");
        }
        if (line == null) throw new HostError("no answer within " + Values.show(time));
        if (line.isEmpty()) throw new HostError("the hook's process ended");
        Map<String, Object> m = JSON.readValue(line, Map.class);
        if (m.containsKey("log") && m.size() == 1) {
          if (context != null) context.log(String.valueOf(m.get("log")));
          continue;
        }
        return m;
      }
    }

    void close() {
      try {
        to.close();  // the child ends when its input does
      } catch (IOException ignored) {
        // gone already
      }
      try {
        if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
