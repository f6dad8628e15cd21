package dev.faultline.stdlib.hooks;

import dev.faultline.fault.Fault;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostError;
import dev.faultline.value.Values;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault made by an injector of an {@link IsolatedHook}: injected and reverted by the child
 * process; when the child that injected it is gone (killed after a runaway, or dead), reverted
 * through a new child's {@code recover(record)}. Its journal record is a {@link HookFault}'s, so
 * {@code faultline recover} treats both alike. Thread-safe.
 */
final class IsolatedFault implements Fault {
  private static final AtomicLong IDS = new AtomicLong();

  private final IsolatedHook hook;
  private final String injector;
  private final Map<String, Object> args;
  private final Duration time;
  private final long id = IDS.incrementAndGet();
  private volatile IsolatedHook.Child injectedBy;
  private volatile boolean reverted;

  IsolatedFault(IsolatedHook hook, String injector, Map<String, Object> args, Duration time) {
    this.hook = hook;
    this.injector = injector;
    this.args = args;
    this.time = time;
  }

  @Override
  public String kind() {
    return HookFault.KIND;
  }

  @Override
  public String target() {
    return hook.name();
  }

  @Override
  public String describe() {
    StringBuilder b = new StringBuilder(injector).append('(');
    boolean first = true;
    for (var e : args.entrySet()) {
      if (!first) b.append(", ");
      first = false;
      b.append(e.getKey()).append(": ").append(Values.showNested(e.getValue()));
    }
    return b.append(") from hook ").append(hook.name()).append(" (own process)").toString();
  }

  @Override
  public String plan() {
    Object text = hook.request(request("plan"), time, CallContext.detached(), "plan of injector '" + injector + "'");
    return text == null ? describe() : String.valueOf(text);
  }

  @Override
  public void inject(CallContext context) {
    injectedBy = hook.current();
    Map<String, Object> req = request("inject");
    hook.request(req, time, context, "injector '" + injector + "'");
    injectedBy = hook.current();
  }

  @Override
  public void revert(CallContext context) {
    if (reverted) return;
    boolean done = false;
    if (injectedBy != null && hook.holds(injectedBy)) {
      done = Boolean.TRUE.equals(hook.request(request("revert"), time, context, "revert of injector '" + injector + "'"));
    }
    if (!done) {
      Map<String, Object> req = request("recover");
      req.put("record", JsValues.toRecord(record()));
      if (!Boolean.TRUE.equals(hook.request(req, time, context, "recover of injector '" + injector + "'"))) {
        throw new HostError("cannot revert " + describe() + ": the process that injected it is gone and the injector has"
            + " no recover(record)", "undo it by hand; the fault journal keeps its record");
      }
    }
    reverted = true;
  }

  private Map<String, Object> request(String op) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("op", op);
    req.put("fn", injector);
    req.put("fault", id);
    req.put("args", JsValues.toRecord(args));
    return req;
  }

  private Map<String, Object> record() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("injector", injector);
    r.put("args", args);
    r.put("hook", hook.name());
    return r;
  }

  @Override
  public Map<String, Object> undoRecord() {
    Map<String, Object> r = new LinkedHashMap<>();
    var src = hook.source();
    r.put("hook", src.name());
    r.put("file", src.file().map(p -> p.toString()).orElse(""));
    r.put("source", src.text());
    r.put("first_line", (long) src.firstLine());
    r.put("first_column", (long) src.firstColumn());
    r.put("injector", injector);
    r.put("args", JsValues.toRecord(args));
    return r;
  }
}
