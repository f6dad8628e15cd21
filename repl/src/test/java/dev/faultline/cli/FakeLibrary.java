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
 * the standard library), and a host function with a bug (to show how internal errors print).
 */
public final class FakeLibrary implements Library {

  @Injector(name = "fake.fault", doc = "A fault that touches nothing; its revert can be made to fail.")
  public Fault fault(
      @Arg(name = "what", doc = "what the fault pretends to do") String what,
      @Arg(name = "revert_fails", doc = "whether every attempt to revert it fails", byDefault = "false") boolean revertFails) {
    return new FakeFault(what, revertFails);
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
