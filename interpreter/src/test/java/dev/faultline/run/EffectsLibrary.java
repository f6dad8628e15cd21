package dev.faultline.run;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Host functions of every effect and with capabilities, each writing what it does to {@link #log},
 * to see what a dry run calls and what permissions refuse.
 */
public final class EffectsLibrary {
  public final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @HostFunction(name = "service", doc = "Starts a pretend service (an action).", effect = Effect.ACTION)
  public Service service(@Arg(name = "name", doc = "its name") String name) {
    log.add("start " + name);
    return new Service(name, log);
  }

  @HostFunction(name = "look", doc = "Reads something (a probe).", effect = Effect.PROBE)
  public long look(@Arg(name = "n", doc = "what to read") long n) {
    log.add("look " + n);
    return n;
  }

  @HostFunction(name = "twice", doc = "Twice a number (pure).", effect = Effect.PURE)
  public long twice(@Arg(name = "n", doc = "a number") long n) {
    return 2 * n;
  }

  @HostFunction(name = "shell", doc = "Runs a pretend command.", effect = Effect.ACTION, requires = Capability.EXEC)
  public String shell(@Arg(name = "command", doc = "the command") String command) {
    log.add("shell " + command);
    return "ok";
  }

  @HostFunction(name = "file", doc = "A pretend file (pure: it only names it).", effect = Effect.PURE)
  public File file(@Arg(name = "path", doc = "its path") String path) {
    return new File(path, log);
  }

  @Injector(name = "flood", doc = "Floods the network; needs two capabilities.", requires = {Capability.NET, Capability.EXEC})
  public Fault flood(@Arg(name = "rate", doc = "how hard") long rate) {
    return new Logged("flood " + rate, "network", log);
  }

  /** A pretend service: pure members, an action member and an injector. */
  @HostType(name = "service", doc = "A pretend service.")
  public static final class Service implements HostValue {
    private final String name;
    private final List<String> log;

    Service(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @HostFunction(name = "url", doc = "Its URL.", effect = Effect.PURE)
    public String url() {
      return "http://" + name;
    }

    @HostFunction(name = "ok", doc = "Whether it answers (a probe).", effect = Effect.PROBE)
    public boolean ok() {
      log.add("probe " + name);
      return true;
    }

    @HostFunction(name = "size", doc = "How much it holds (a probe).", effect = Effect.PROBE)
    public long size() {
      log.add("size " + name);
      return 3;
    }

    @HostFunction(name = "latency", doc = "How fast it answers (a probe).", effect = Effect.PROBE)
    public java.time.Duration latency() {
      log.add("latency " + name);
      return java.time.Duration.ofMillis(450);
    }

    @HostFunction(name = "items", doc = "What it holds (a probe).", effect = Effect.PROBE)
    public List<Object> items() {
      log.add("items " + name);
      return List.of();
    }

    @Injector(name = "outage", doc = "Takes it down.")
    public Fault outage(@Arg(name = "status", doc = "the status it answers", byDefault = "503") long status) {
      return new Logged("outage " + status + " of " + name, name, log);
    }

    @Override
    public String show() {
      return "service " + name;
    }
  }

  /** A pretend file whose injector needs the 'fs' permission. */
  @HostType(name = "file", doc = "A pretend file.")
  public static final class File implements HostValue {
    private final String path;
    private final List<String> log;

    File(String path, List<String> log) {
      this.path = path;
      this.log = log;
    }

    @Injector(name = "replace", doc = "Replaces its content.", requires = Capability.FS)
    public Fault replace(@Arg(name = "text", doc = "the new content") String text) {
      return new Logged("replace " + path, path, log);
    }

    @Injector(name = "delete", doc = "Deletes it.", requires = Capability.FS)
    public Fault delete() {
      return new Logged("delete " + path, path, log);
    }
  }

  record Logged(String what, String on, List<String> log) implements Fault {
    public String describe() { return what; }
    public String target() { return on; }
    public String plan() { return "would " + what; }
    public void inject(CallContext c) { log.add("inject " + what); }
    public void revert(CallContext c) { log.add("revert " + what); }
  }
}
