package dev.faultline.stdlib.hooks;

import dev.faultline.eval.Aborted;
import dev.faultline.hook.HookSource;
import dev.faultline.hook.LoadedHook;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.host.HostRegistry;
import dev.faultline.host.Interrupted;
import dev.faultline.host.Signature;
import dev.faultline.source.Diagnostic;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.Position;
import dev.faultline.value.Severity;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * One loaded hook: a sandboxed GraalJS context, the thread that alone enters it, and the functions
 * the hook registered. Thread-safe: any thread may {@link #call}; the work runs on the hook thread.
 *
 * <p>Rationale for a thread of its own: a call that cannot be stopped (see docs/hooks.md, "What
 * cannot be stopped") must not take the evaluator, a guard or a revert with it. The caller waits
 * for at most the call's time limit; then the context is interrupted, and a call that still runs
 * after {@link HookLimits#grace} marks the hook stuck: the caller gets {@link Aborted} (the run
 * reverts every fault and ends), later calls fail at once, and the hook's faults are reverted
 * through a fresh copy of the hook ({@link #successor}) and its {@code recover(record)}.
 *
 * <p>Sandbox: {@link SandboxPolicy#CONSTRAINED}, and the builder never asks for host class lookup,
 * host access, IO, threads, processes, environment or native access, so none is allowed. A statement
 * limit per call ({@link Context#resetLimits} before each) stops plain busy loops; the time limit
 * stops the rest that can be stopped; an {@link AllocationMonitor} closes the context of a call
 * that allocates too much.
 */
final class JsHook implements LoadedHook {
  private static final AtomicInteger THREADS = new AtomicInteger();
  /** Rationale: the process's first context costs about a second, several on a busy machine. */
  private static final Duration LOAD_TIME = Duration.ofSeconds(30);

  private final HookSource source;
  private final HookLimits limits;
  private final ThreadPoolExecutor executor;
  private final List<HostRegistry.Bound> functions = new ArrayList<>();
  private final Map<String, HookFunction> byName = new LinkedHashMap<>();
  /** Host values given to the hook, by number; hook thread only. */
  private final Handles handles = new Handles();
  /** The fault whose inject is under way, which owns faults the hook injects through the API; hook thread only. */
  private HookFault injecting;

  // Confined to the hook thread.
  private Context context;
  private Value helpers;
  private Thread thread;
  /** The call under way, for log and sleep; set and read on the hook thread only. */
  private CallContext current;
  private long deadline;

  /** Why the context is gone (a memory bomb, a statement limit, closed), or null while it is usable. */
  private volatile String stopped;
  private volatile boolean stuck;
  private volatile String stuckIn;
  private JsHook successor;

  private JsHook(HookSource source, HookLimits limits) {
    this.source = source;
    this.limits = limits;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "faultline-hook-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads a hook: creates its context, runs the prelude and the hook's top level, and reads what
   * it registered. Throws {@link PlaybookError} naming the hook's line and column on any failure.
   */
  static JsHook load(HookSource source, HookLimits limits) {
    JsHook hook = new JsHook(source, limits);
    JsEngine.shared();  // the process's first hook starts the engine here, outside the limits of a call
    JsEngine.prelude();
    try {
      hook.call("loading", LOAD_TIME.compareTo(limits.time()) > 0 ? LOAD_TIME : limits.time(), hook::init, CallContext.detached());
    } catch (PlaybookError e) {
      hook.close();
      throw e;
    } catch (HostError | Aborted | Interrupted e) {
      hook.close();
      Position at = e instanceof HookFailure f && f.at() != null ? f.at() : source.decl().sourceAt();
      Diagnostic d = Diagnostic.error(at, "hook " + source.name() + " did not load: " + e.getMessage());
      if (e instanceof HostError he && he.help() != null) d = d.withHelp(he.help());
      throw new PlaybookError(List.of(d));
    }
    return hook;
  }

  private Void init() {
    thread = Thread.currentThread();
    context = Context.newBuilder("js")
        .engine(JsEngine.shared())
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(new LineOutput())
        .err(new LineOutput())
        .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build())
        .build();
    Value install = context.eval(JsEngine.prelude());
    helpers = install.execute(new HookHost(this));
    Source hookSource = Source.newBuilder("js", source.text(), source.name()).buildLiteral();
    try {
      context.eval(hookSource);
    } catch (PolyglotException e) {
      throw loadError(e);
    }
    helpers.invokeMember("done");
    if (functions.isEmpty()) {
      throw new PlaybookError(List.of(Diagnostic.error(source.decl().sourceAt(), "hook " + source.name()
          + " registers no injector or probe").withHelp("call faultline.injector(\"name\", {…}) or faultline.probe(\"name\", {…}) at its top level")));
    }
    return null;
  }

  /** A failure while the hook's top level ran, as a diagnostic at its line in the hook. */
  private PlaybookError loadError(PolyglotException e) {
    Position at = locate(e);
    String message;
    if (e.isHostException() && e.asHostException() instanceof HostError he) {
      Diagnostic d = Diagnostic.error(at != null ? at : source.decl().sourceAt(), he.getMessage());
      return new PlaybookError(List.of(he.help() == null ? d : d.withHelp(he.help())));
    }
    message = e.isSyntaxError() ? "syntax error in hook: " + e.getMessage() : "hook " + source.name() + " failed while loading: " + e.getMessage();
    return new PlaybookError(List.of(Diagnostic.error(at != null ? at : source.decl().sourceAt(), message)));
  }

  // ------------------------------------------------------------ registration (the prelude calls it)

  /** {@code faultline.injector(name, spec)} / {@code faultline.probe(name, spec)}, at load time. */
  void register(String kind, String name, Value spec) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new HostError("'" + name + "' cannot name a hook function", "use letters, digits and '_', dotted for a namespace: \"myteam.flaky\"");
    }
    if (byName.containsKey(name)) throw new HostError("this hook registers '" + name + "' twice");
    HookFunction fn = HookSpec.read(this, kind, name, spec);
    byName.put(name, fn);
    functions.add(new HostRegistry.Bound(fn.signature(), fn));
  }

  // ------------------------------------------------------------ calls

  /**
   * Runs {@code work} on the hook thread for {@code context}'s call, waiting at most {@code time}
   * (then {@link HookLimits#grace} for it to stop). {@code what} names the call in messages
   * ({@code "probe 'depth'"}). Throws {@link HostError} for what the hook did wrong,
   * {@link Aborted} when the hook is stuck, {@link Interrupted} when the run is.
   */
  <T> T call(String what, Duration time, Callable<T> work, CallContext context) {
    if (stuck) throw stuckError(context);
    if (stopped != null) throw new HostError("hook " + source.name() + " was stopped earlier (" + stopped + "), so " + what + " cannot run");
    CallState state = new CallState();
    Future<T> f;
    try {
      f = executor.submit(() -> enter(what, time, work, context, state));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new HostError("hook " + source.name() + " is closed, so " + what + " cannot run");
    }
    long waitNanos = time.toNanos();
    try {
      return f.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException late) {
      state.timedOut = true;
      return stop(what, time, f, context, state);
    } catch (InterruptedException e) {
      // The run is being cancelled (Ctrl-C, a breach, a step timeout): stop the call too.
      state.cancelled = true;
      interruptQuietly();
      Thread.currentThread().interrupt();
      throw new Interrupted("interrupted while " + what + " of hook " + source.name() + " ran");
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  /** On the hook thread: one call with its limits in force. */
  private <T> T enter(String what, Duration time, Callable<T> work, CallContext ctx, CallState state) throws Exception {
    if (context != null) context.resetLimits();
    current = ctx;
    Handles.CURRENT.set(handles);
    deadline = System.nanoTime() + time.toNanos();
    // Creating the context allocates some tens of MB of its own: loading gets that much more.
    long allowed = context == null ? Math.max(limits.allocatedBytes(), limits.allocatedBytes() + (256L << 20)) : limits.allocatedBytes();
    try (AllocationMonitor.Watch w = AllocationMonitor.get().watch(Thread.currentThread(), allowed, () -> {
      state.overMemory = true;
      stopped = "it allocated more than " + (limits.allocatedBytes() >> 20) + " MB in one call";
      closeInBackground();
    })) {
      return work.call();
    } catch (PolyglotException e) {
      throw translate(e, what, time, state);
    } finally {
      current = null;
      Handles.CURRENT.remove();
    }
  }

  /** The call ran past its time: interrupt it, wait a little, and declare the hook stuck if it still runs. */
  private <T> T stop(String what, Duration time, Future<T> f, CallContext ctx, CallState state) {
    interruptQuietly();
    try {
      return f.get(limits.grace().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException still) {
      stuck = true;
      stuckIn = what;
      closeInBackground();
      throw stuckError(ctx);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted("interrupted while stopping " + what + " of hook " + source.name());
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  private Aborted stuckError(CallContext ctx) {
    return new Aborted(Severity.P1, "hook " + source.name() + " is stuck: " + stuckIn + " ran past its time limit and"
        + " could not be stopped; every fault is reverted and the run ends", ctx.at());
  }

  private RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException re) return re;
    if (cause instanceof Error err) throw err;
    return new HostError("hook " + source.name() + " failed: " + cause, null, cause);
  }

  /** A JavaScript failure as a message that names the hook's file, line and column, and what was called. */
  private RuntimeException translate(PolyglotException e, String what, Duration time, CallState state) {
    if (e.isHostException()) {
      Throwable h = e.asHostException();
      if (h instanceof HostError || h instanceof Interrupted || h instanceof Aborted) return (RuntimeException) h;
      return new HostError(what + " of hook " + source.name() + " failed: " + h, null, h);
    }
    Position at = locate(e);
    String where = at == null ? "" : " at " + at;
    // Rationale: a hook that runs away is stopped, and the run ends with every fault reverted
    // (Aborted) rather than going on to call a hook whose context may be gone.
    if (state.overMemory) {
      return runaway(what + " of hook " + source.name() + " allocated more than " + (limits.allocatedBytes() >> 20)
          + " MB" + where + " and was stopped (a growing array or string?)");
    }
    if (state.timedOut || (e.isInterrupted() && !state.cancelled)) {
      return runaway(what + " of hook " + source.name() + " ran past its time limit of " + show(time) + where
          + " and was stopped (an endless loop? a call must return within its time limit, 'timeout' in its spec)");
    }
    if (e.isInterrupted() || state.cancelled) return new Interrupted("interrupted while " + what + " of hook " + source.name() + " ran");
    if (e.isResourceExhausted()) {
      stopped = "it ran more than " + limits.statements() + " statements in one call";
      return runaway(what + " of hook " + source.name() + " ran more than " + limits.statements()
          + " statements" + where + " and was stopped (an endless loop?)");
    }
    if (e.isCancelled()) return new HookFailure(what + " of hook " + source.name() + " was stopped (" + stopped + ")", null, at, e);
    return new HookFailure(what + " failed" + where + ": " + e.getMessage(),
        "the error is in the hook's JavaScript; rerun with --debug for its stack", at, e);
  }

  private RuntimeException runaway(String message) {
    CallContext c = current;
    return new Aborted(Severity.P1, message, c == null ? source.decl().at() : c.at());
  }

  /** Where in the hook's own source a failure happened: its innermost frame there, or null. */
  Position locate(PolyglotException e) {
    SourceSection s = e.getSourceLocation();
    if (isOurs(s)) return position(s);
    for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
      if (f.isGuestFrame() && isOurs(f.getSourceLocation())) return position(f.getSourceLocation());
    }
    return null;
  }

  private boolean isOurs(SourceSection s) {
    return s != null && s.isAvailable() && s.getSource().getName().equals(source.name()) && !s.getSource().isInternal();
  }

  private Position position(SourceSection s) {
    int length = s.getStartLine() == s.getEndLine() ? s.getEndColumn() - s.getStartColumn() + 1 : 1;
    return source.position(s.getStartLine(), s.getStartColumn(), length);
  }

  private void interruptQuietly() {
    Context c = context;
    if (c == null) return;
    try {
      c.interrupt(limits.grace());
    } catch (TimeoutException | RuntimeException e) {
      // not stopped in time, or already closed: the caller decides what that means
    }
  }

  /** Cancels the context on a thread of its own: closing a context whose code cannot be stopped never returns. */
  private void closeInBackground() {
    Context c = context;
    if (c == null) return;
    Thread t = new Thread(() -> {
      try {
        c.close(true);
      } catch (RuntimeException ignored) {
        // already closed, or closing failed: the context is unusable either way
      }
    }, "faultline-hook-close");
    t.setDaemon(true);
    t.start();
  }

  /** What a call made of a unit it returned. */
  private static final class CallState {
    volatile boolean timedOut;
    volatile boolean overMemory;
    volatile boolean cancelled;
  }

  // ------------------------------------------------------------ for functions, faults and the prelude

  /** Calls {@code fn} with the playbook values {@code arg} (copied in) and the API, on the hook thread. */
  Value invoke(Value fn, Value self, Object arg) {
    return helpers.invokeMember("call", fn, self, JsValues.toGuest(arg, 0));
  }

  /** {@code fn} bound to {@code self}, taking the named parameters one by one; on the hook thread. */
  Value caller(Value fn, Value self, List<String> names) {
    return helpers.invokeMember("caller", fn, self, org.graalvm.polyglot.proxy.ProxyArray.fromArray(names.toArray()));
  }

  HookSource source() {
    return source;
  }

  HookLimits limits() {
    return limits;
  }

  /** Whether calls can still run in this hook's context. */
  boolean isAlive() {
    return !stuck && stopped == null;
  }

  /** The function a hook registered under {@code name}, or null. */
  HookFunction function(String name) {
    return byName.get(name);
  }

  /**
   * A fresh copy of this hook, loaded from the same source, for reverting this one's faults once its
   * context is gone; loaded once and shared.
   */
  synchronized JsHook successor() {
    if (successor == null) successor = load(source, limits);
    return successor;
  }

  /** The call under way; only on the hook thread. */
  CallContext current() {
    if (current == null) throw new HostError("this can only be used while the hook is called, not while it loads");
    return current;
  }

  /** Sets (or clears, with null) the fault whose inject is under way; only on the hook thread. */
  void injecting(HookFault fault) {
    injecting = fault;
  }

  /** The fault whose inject is under way, or null; only on the hook thread. */
  HookFault injecting() {
    return injecting;
  }

  /** Whether the caller is this hook's own thread (a hook calling its own functions would wait on itself). */
  boolean isHookThread() {
    return Thread.currentThread() == thread;
  }

  /** Nanoseconds left in the call under way; only on the hook thread. */
  long remainingNanos() {
    return deadline - System.nanoTime();
  }

  @Override
  public String name() {
    return source.name();
  }

  @Override
  public List<HostRegistry.Bound> functions() {
    return List.copyOf(functions);
  }

  List<Signature> signatures() {
    return functions.stream().map(HostRegistry.Bound::signature).toList();
  }

  @Override
  public void close() {
    if (stopped == null) stopped = "closed";
    if (!stuck) {
      executor.execute(() -> {
        if (context != null) {
          try {
            context.close(true);
          } catch (RuntimeException ignored) {
            // closed already
          }
        }
      });
    }
    executor.shutdown();
    JsHook s;
    synchronized (this) {
      s = successor;
    }
    if (s != null) s.close();
  }

  static String show(Duration d) {
    return dev.faultline.value.Values.show(d);
  }

  /** console.log and print: lines to the run's log while a call runs (dropped while loading). */
  private final class LineOutput extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      if (b == '\n') flushLine();
      else if (line.size() < 8192) line.write(b);
    }

    private void flushLine() {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      CallContext c = current;
      if (c != null) c.log(text);
    }
  }
}
