package dev.faultline.cli;

import dev.faultline.fault.Capability;
import dev.faultline.fault.Fault;
import dev.faultline.host.Arg;
import dev.faultline.host.CallContext;
import dev.faultline.host.Effect;
import dev.faultline.host.HostFunction;
import dev.faultline.host.HostType;
import dev.faultline.host.Injector;
import dev.faultline.host.Library;
import dev.faultline.value.HostValue;
import java.io.IOException;

/**
 * Test-only host functions, found through ServiceLoader on the test class path: a fault that
 * touches nothing (so the golden playbooks can show injection, reverts and revert failures without
 * the standard library), and a host function with a bug (to show how internal errors print). For
 * guards, limits and signals: a fake system whose error rate an outage raises, a fault another
 * process can see (a marker file), a fault with a slow revert, and one that checks the blast radius.
 */
public final class FakeLibrary implements Library {

  @Injector(name = "fake.fault", doc = "A fault that touches nothing; its revert can be made to fail.")
  public Fault fault(
      @Arg(name = "what", doc = "what the fault pretends to do") String what,
      @Arg(name = "revert_fails", doc = "whether every attempt to revert it fails", byDefault = "false") boolean revertFails) {
    return new FakeFault(what, revertFails);
  }

  /** The fake system's error rate, in percent: 1% until a {@code fake.outage()} is injected. */
  private volatile double errorRate = 1;

  @HostFunction(name = "fake.system.error_rate", doc = "The fake system's error rate: 1% normally, 40% during a fake outage.")
  public dev.faultline.value.Percent errorRate() {
    return new dev.faultline.value.Percent(errorRate);
  }

  @Injector(name = "fake.outage", doc = "Makes the fake system's error rate 40% until reverted.")
  public Fault outage() {
    return new Fault() {
      public String describe() { return "outage of the fake system"; }
      public String kind() { return "fake.outage"; }
      public void inject(CallContext c) { errorRate = 40; }
      public void revert(CallContext c) { errorRate = 1; }
    };
  }

  @Injector(name = "fake.marker", doc = "Creates a file on inject and deletes it on revert, so that another process can see the fault.")
  public Fault marker(@Arg(name = "path", doc = "the file") String path) {
    return new Fault() {
      public String describe() { return "marker file " + java.nio.file.Path.of(path).getFileName(); }
      public String kind() { return "fake.marker"; }
      public void inject(CallContext c) throws IOException { java.nio.file.Files.writeString(java.nio.file.Path.of(path), "injected\n"); }
      public void revert(CallContext c) throws IOException { java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(path)); }
    };
  }

  @Injector(name = "fake.slow_revert", doc = "A fault whose revert takes `revert_takes`.")
  public Fault slowRevert(
      @Arg(name = "what", doc = "what the fault pretends to do") String what,
      @Arg(name = "revert_takes", doc = "how long its revert takes") java.time.Duration takes) {
    return new Fault() {
      public String describe() { return what; }
      public String kind() { return "fake.slow"; }
      public void inject(CallContext c) {}
      public void revert(CallContext c) { c.sleep(takes); }
    };
  }

  @Injector(name = "fake.pick", doc = "Stops `n` of a group of `of` fake containers; the blast radius is checked first.")
  public Fault pick(@Arg(name = "n", doc = "how many") long n, @Arg(name = "of", doc = "of how many") long of) {
    return new Fault() {
      public String describe() { return "stop " + n + " of " + of + " fake containers"; }
      public String kind() { return "fake.pick"; }
      public void inject(CallContext c) { c.blastRadius().check(n, of, "containers labelled tier=backend"); }
      public void revert(CallContext c) {}
    };
  }

  @HostFunction(name = "fake.crash", doc = "Throws an exception that is no HostError, as a host function with a bug would.")
  public Object crash() {
    throw new IllegalStateException("the fake host function crashed");
  }

  // ------------------------------------------------------------ effects and permissions

  @Injector(name = "fake.write", doc = "Pretends to overwrite a file; needs the 'fs' permission.", requires = Capability.FS)
  public Fault write(@Arg(name = "path", doc = "the file") String path) {
    return new FakeWrite(path);
  }

  /** A file fault that touches nothing. */
  record FakeWrite(String path) implements Fault {
    public String describe() { return "write " + path; }
    public String kind() { return "fake.write"; }
    public String target() { return path; }
    public void inject(CallContext context) {}
    public void revert(CallContext context) {}
  }

  @HostFunction(name = "fake.exec", doc = "Pretends to run a command; needs the 'exec' permission.",
      effect = Effect.ACTION, requires = Capability.EXEC)
  public String exec(@Arg(name = "command", doc = "the command") String command) {
    return "ran " + command;
  }

  @HostFunction(name = "fake.box", doc = "A named box whose members need permissions.", effect = Effect.PURE)
  public Box box(@Arg(name = "name", doc = "its name") String name) {
    return new Box(name);
  }

  /** A value with an injector that needs a capability, to be refused at first use when its type is unknown. */
  @HostType(name = "box", doc = "A test value.")
  public static final class Box implements HostValue {
    private final String name;

    Box(String name) {
      this.name = name;
    }

    @Injector(name = "wipe", doc = "Pretends to wipe the box's files; needs the 'fs' permission.", requires = Capability.FS)
    public Fault wipe() {
      return new FakeFault("wipe " + name, false);
    }

    @HostFunction(name = "name", doc = "The box's name.", effect = Effect.PURE)
    public String name() {
      return name;
    }

    @Override
    public String show() {
      return "box '" + name + "'";
    }
  }

  /** Does nothing on inject; on revert, does nothing or fails as asked. */
  record FakeFault(String what, boolean revertFails) implements Fault {
    @Override
    public String describe() {
      return what;
    }

    @Override
    public String kind() {
      return "fake";
    }

    @Override
    public String target() {
      return "nothing";
    }

    @Override
    public void inject(CallContext context) {}

    @Override
    public void revert(CallContext context) throws IOException {
      if (revertFails) throw new IOException("the fake target refuses to be restored");
    }
  }
}
