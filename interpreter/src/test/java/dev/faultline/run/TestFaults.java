package dev.faultline.run;

import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.value.HostValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A library whose faults only write to a shared list, to observe the lifecycle in tests. */
public final class TestFaults {
  public final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @HostFunction(name = "target", doc = "A named target for test faults.")
  public Target target(@Arg(name = "name", doc = "its name") String name) {
    return new Target(name, log);
  }

  @HostType(name = "target", doc = "A test target.")
  public static final class Target implements HostValue {
    private final String name;
    private final List<String> log;

    Target(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Injector(name = "break", doc = "Marks the target broken.")
    public Fault breakIt(@Arg(name = "how", doc = "how", byDefault = "\"hard\"") String how) {
      return new Recorded(name + ":" + how, log, false);
    }

    @Injector(name = "stuck", doc = "A fault whose revert always fails.")
    public Fault stuck() {
      return new Recorded(name + ":stuck", log, true);
    }

    @HostFunction(name = "name", doc = "The target's name.")
    public String name() {
      return name;
    }
  }

  record Recorded(String what, List<String> log, boolean failRevert) implements Fault {
    public String describe() { return "break " + what; }
    public String target() { return what; }
    public void inject(CallContext c) { log.add("inject " + what); }
    public void revert(CallContext c) {
      log.add("revert " + what);
      if (failRevert) throw new IllegalStateException("target gone");
    }
  }
}
